/**
 * Browser tests of the project health dashboard and the entity pages on the
 * demo project. Expected numbers come from the server's own API, so the
 * tests follow the demo when it changes; the demo is built with two tests
 * that warn, which the dashboard must show.
 */
import { expect, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';

const DASHBOARD = '#dbt-workbench-dashboard';

interface IHealth {
  project: string;
  counts: Record<string, number>;
  tests: { warn: number; fail: number; error: number };
  warning_tests: {
    total: number;
    items: {
      unique_id: string;
      name: string;
      attached_to: { unique_id: string }[];
    }[];
  };
  models_without_tests: { total: number; items: { unique_id: string }[] };
}

test.describe('project health dashboard', () => {
  test('shows the counts and the warning tests, and opens a node from a list', async ({
    page,
    request
  }) => {
    const projects = await api<{ projects: { id: string }[] }>(
      request,
      'projects'
    );
    const project = projects.projects[0].id;
    const health = await api<IHealth>(
      request,
      `dashboard?project=${encodeURIComponent(project)}`
    );
    expect(health.tests.warn).toBe(2);
    expect(health.warning_tests.total).toBe(2);

    await runCommand(page, 'dbt-workbench:open-dashboard');
    const dashboard = page.locator(DASHBOARD);
    await expect(dashboard).toBeVisible();

    const counts = dashboard.locator('[data-card="counts"]');
    await expect(counts.locator('[data-kind="model"] dd')).toHaveText(
      String(health.counts.model)
    );
    await expect(counts.locator('[data-kind="source"] dd')).toHaveText(
      String(health.counts.source)
    );
    const tests = dashboard.locator('[data-card="tests"]');
    await expect(tests.locator('[data-kind="warn"] dd')).toHaveText('2');
    await expect(tests.locator('[data-kind="fail"] dd')).toHaveText(
      String(health.tests.fail + health.tests.error)
    );

    const warning = dashboard.locator('[data-card="warning-tests"] tbody tr');
    await expect(warning).toHaveCount(2);
    for (const test of health.warning_tests.items) {
      await expect(
        dashboard.locator(
          `[data-card="warning-tests"] [data-test="${test.unique_id}"]`
        )
      ).toContainText(test.name);
    }

    // The model a warning test checks opens on its page from the list.
    const target = health.warning_tests.items[0].attached_to[0].unique_id;
    await dashboard
      .locator(
        `[data-card="warning-tests"] a.jp-DbtWorkbench-testTarget[data-unique-id="${target}"]`
      )
      .first()
      .click();
    const nodePage = page.locator(
      `[id="dbt-workbench-node:${project}:${target}"] .jp-DbtWorkbench-nodePage`
    );
    await expect(nodePage).toBeVisible();
    await expect(
      nodePage.locator('.jp-DbtWorkbench-runHistorySection')
    ).toBeVisible();
    // Built from the command line, the demo has no run kept by the workbench.
    await expect(
      nodePage.locator('.jp-DbtWorkbench-runHistory[data-runs="0"]')
    ).toBeVisible();
    await expect(
      nodePage.locator(
        '.jp-DbtWorkbench-schemaChanges [data-event="first_seen"]'
      )
    ).toBeVisible();
  });

  test('opens from the overview toolbar', async ({ page }) => {
    await runCommand(page, 'dbt-workbench:open-overview');
    await page.locator('.jp-DbtWorkbench-openDashboard').first().click();
    await expect(page.locator(DASHBOARD)).toBeVisible();
    await expect(
      page.locator(`${DASHBOARD} [data-card="coverage"] [data-kind="model"]`)
    ).toBeVisible();
  });
});
