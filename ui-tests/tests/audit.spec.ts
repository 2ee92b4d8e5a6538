/**
 * Browser test of the Audit log panel: a schedule created through the API
 * (a write) shows up in the panel with its action and target, its details
 * expand, and Export CSV downloads a file holding it.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';

import { api, runCommand } from './helpers';

const PANEL = '#dbt-workbench-audit';

interface IProjects {
  projects: { id: string }[];
}

test.describe('audit log', () => {
  test('a schedule created through the API is logged and exported', async ({
    page,
    request
  }) => {
    const name = `UI audit ${Date.now()}`;
    const { projects } = await api<IProjects>(request, 'projects');
    const created = await request.post('dbt-workbench/api/schedules', {
      data: {
        name,
        project: projects[0].id,
        steps: ['debug'],
        cron: '0 6 * * *',
        timezone: 'UTC',
        enabled: false,
        env: { UI_AUDIT_TOKEN: 'not-for-the-log' }
      }
    });
    expect(created.ok(), await created.text()).toBe(true);
    const schedule = (await created.json()) as { id: string };

    await runCommand(page, 'dbt-workbench:open-audit');
    const panel = page.locator(PANEL);
    await expect(panel).toBeVisible();
    await panel
      .locator('.jp-DbtWorkbench-auditAction')
      .selectOption('schedule');
    const row = panel.locator(
      '.jp-DbtWorkbench-auditRow[data-action="schedule.create"]',
      { hasText: name }
    );
    await expect(row).toBeVisible();
    await row.locator('.jp-DbtWorkbench-auditToggle').click();
    const details = panel.locator('.jp-DbtWorkbench-auditDetailRow pre');
    await expect(details).toContainText('UI_AUDIT_TOKEN');
    await expect(details).not.toContainText('not-for-the-log');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.locator('.jp-DbtWorkbench-auditExportCsv').click()
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const file = await download.path();
    const text = fs.readFileSync(file as string, 'utf-8');
    expect(text).toContain('schedule.create');
    expect(text).toContain(name);

    const deleted = await request.delete(
      `dbt-workbench/api/schedules/${schedule.id}`
    );
    expect(deleted.ok()).toBe(true);
  });
});
