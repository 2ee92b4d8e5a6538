/**
 * Browser test of the Schedules panel against the real server and the demo
 * project: a schedule is created in Europe/Berlin with a live preview (and
 * an invalid cron refused on the way), listed with its next run, paused,
 * run now for real (`dbt debug`: quick, and it writes no artifacts the
 * other specs read), its execution followed to its run page, and deleted.
 */
import { expect, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';

const PANEL = '#dbt-workbench-schedules';
const EDITOR = '.jp-DbtWorkbench-schedEditor';

interface ISchedule {
  id: string;
  name: string;
  enabled: boolean;
  cron: string;
  timezone: string;
  next_run_at: string | null;
  next_run_local: string | null;
}

interface IPreview {
  valid: boolean;
  error: string | null;
  next: { utc: string; local: string }[];
}

test.describe('schedules', () => {
  // Run now starts a real dbt process, which needs a few seconds to start.
  test.setTimeout(150000);

  test('create in Europe/Berlin, preview, pause, run now, delete', async ({
    page,
    request
  }) => {
    const name = `UI nightly ${Date.now()}`;
    const preview = await request.post('dbt-workbench/api/schedules/preview', {
      data: { cron: '0 6 * * *', timezone: 'Europe/Berlin', count: 5 }
    });
    expect(preview.ok()).toBe(true);
    const expected = (await preview.json()) as IPreview;
    expect(expected.valid).toBe(true);
    expect(expected.next).toHaveLength(5);

    await runCommand(page, 'dbt-workbench:open-schedules');
    const panel = page.locator(PANEL);
    await expect(panel).toBeVisible();
    await panel.locator('.jp-DbtWorkbench-schedNew').click();

    const editor = page.locator(EDITOR);
    await expect(editor).toBeVisible();
    await editor.locator('.jp-DbtWorkbench-schedName').fill(name);
    await editor
      .locator('.jp-DbtWorkbench-schedStepInput')
      .first()
      .fill('debug');
    await editor
      .locator('.jp-DbtWorkbench-schedTimezone')
      .fill('Europe/Berlin');

    // An invalid expression: the live check and the save both refuse it.
    const expression = editor.locator('.jp-DbtWorkbench-cronExpression');
    await expression.fill('61 6 * * *');
    await expect(editor.locator('.jp-DbtWorkbench-cronError')).toContainText(
      '61 6 * * *'
    );
    await expect(editor.locator('.jp-DbtWorkbench-cronPreview')).toHaveCount(0);
    await editor.locator('.jp-DbtWorkbench-schedSave').click();
    await expect(
      editor.locator(
        '[data-field="cron"] > .jp-DbtWorkbench-schedControl > .jp-DbtWorkbench-schedFieldError'
      )
    ).toContainText('61 6 * * *');
    await expect(page.locator(EDITOR)).toHaveCount(1);

    // The valid one: described in words, its next five runs as the server says.
    await expression.fill('0 6 * * *');
    await expect(editor.locator('.jp-DbtWorkbench-cronError')).toHaveCount(0);
    await expect(
      editor.locator('.jp-DbtWorkbench-schedFieldError')
    ).toHaveCount(0);
    await expect(editor.locator('.jp-DbtWorkbench-cronWords')).toHaveText(
      'Every day at 06:00 (Europe/Berlin)'
    );
    const slots = editor.locator('.jp-DbtWorkbench-cronPreview tbody tr');
    await expect(slots).toHaveCount(5);
    for (let index = 0; index < 5; index++) {
      const slot = slots.nth(index);
      await expect(slot).toHaveAttribute('data-utc', expected.next[index].utc);
      await expect(slot.locator('td').first()).toContainText('06:00');
    }

    await editor.locator('.jp-DbtWorkbench-schedSave').click();
    await expect(page.locator(EDITOR)).toHaveCount(0);
    await expect(
      page.locator('.Toastify__toast', { hasText: 'created' })
    ).toBeVisible();

    const listed = await api<{ schedules: ISchedule[] }>(request, 'schedules');
    const schedule = listed.schedules.find(item => item.name === name);
    expect(schedule, 'the new schedule on the server').toBeDefined();
    const id = schedule!.id;
    expect(schedule!.cron).toBe('0 6 * * *');
    expect(schedule!.timezone).toBe('Europe/Berlin');
    expect(schedule!.next_run_at).toBe(expected.next[0].utc);
    expect(schedule!.next_run_local).toMatch(/T06:00:00\+0[12]:00$/);

    await expect(panel).toBeVisible();
    const row = panel.locator(
      `.jp-DbtWorkbench-schedRow[data-schedule-id="${id}"]`
    );
    await expect(row).toHaveAttribute('data-enabled', 'true');
    await expect(row.locator('.jp-DbtWorkbench-schedCron')).toContainText(
      'Every day at 06:00'
    );
    await expect(row.locator('.jp-DbtWorkbench-schedNextUser')).not.toBeEmpty();
    const userZone = await page.evaluate(
      () => Intl.DateTimeFormat().resolvedOptions().timeZone
    );
    if (userZone !== 'Europe/Berlin') {
      await expect(
        row.locator('.jp-DbtWorkbench-schedNextLocal')
      ).toContainText(/06:00.*in Europe\/Berlin/);
    }

    // Pause it: the server agrees and the next run is no longer shown.
    await row.locator('.jp-DbtWorkbench-schedToggle input').click();
    await expect(row).toHaveAttribute('data-enabled', 'false');
    await expect(row.locator('.jp-DbtWorkbench-schedNext')).toHaveText(
      'paused'
    );
    const paused = await api<ISchedule>(request, `schedules/${id}`);
    expect(paused.enabled).toBe(false);

    // Run now, paused or not: an execution appears and runs dbt for real.
    await row
      .locator('.jp-DbtWorkbench-schedAction[data-action="run"]')
      .click();
    await expect(
      page
        .locator('.Toastify__toast', { hasText: name })
        .filter({ hasText: 'Open run' })
    ).toBeVisible({ timeout: 30000 });
    const details = panel.locator(
      `.jp-DbtWorkbench-schedDetails[data-schedule-id="${id}"]`
    );
    const execution = details.locator(
      '.jp-DbtWorkbench-schedExecutions tr[data-trigger="manual"]'
    );
    await expect(execution).toHaveCount(1, { timeout: 30000 });
    await expect(execution).toHaveAttribute('data-status', 'success', {
      timeout: 100000
    });
    await expect(row.locator('.jp-DbtWorkbench-schedLast')).toContainText(
      'success',
      { timeout: 20000 }
    );

    const link = execution.locator('.jp-DbtWorkbench-schedRunLink').first();
    const runId = await link.getAttribute('data-run-id');
    expect(runId).toBeTruthy();
    await link.click();
    const runPage = page.locator('.jp-DbtWorkbench-runPage');
    await expect(runPage).toHaveAttribute('data-run-id', runId!);
    await expect(runPage.locator('.jp-DbtWorkbench-runCli')).toContainText(
      'dbt debug'
    );

    // Delete it, after confirming.
    await runCommand(page, 'dbt-workbench:open-schedules');
    await row
      .locator('.jp-DbtWorkbench-schedAction[data-action="delete"]')
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(name);
    await dialog.locator('button', { hasText: 'Delete' }).click();
    await expect(row).toHaveCount(0);
    const after = await request.get(`dbt-workbench/api/schedules/${id}`);
    expect(after.status()).toBe(404);
  });
});
