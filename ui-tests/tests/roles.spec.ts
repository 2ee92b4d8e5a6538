/**
 * The UI for a viewer: the server's `permissions` answer is replaced by a
 * viewer's before the page loads, and the actions a viewer cannot take are
 * disabled with a tooltip that says why (run buttons, New schedule, Git
 * commit and sync, the run commands in the palette).
 */

import { expect, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';

const SIDEBAR = '#dbt-workbench-sidebar';
const LEAF = '.jp-DbtWorkbench-treeNode[data-unique-id]';

const VIEWER = {
  user: 'vera',
  role: 'viewer',
  can: {
    run_dbt: false,
    edit_schedules: false,
    edit_metadata: false,
    git_write: false,
    sql_write: false,
    admin: false
  }
};

interface INode {
  unique_id: string;
  name: string;
}

// The route must be in place before the workbench reads its permissions.
test.use({ autoGoto: false });

test('a viewer sees run, schedule and Git actions disabled', async ({
  page,
  request
}) => {
  test.setTimeout(120000);
  const staging = await api<{ items: INode[] }>(
    request,
    'nodes?resource_type=model&path=models/staging&limit=5000'
  );
  const model = staging.items.sort((a, b) => a.name.localeCompare(b.name))[0];
  expect(model, 'a staging model in the demo').toBeDefined();

  await page.route('**/dbt-workbench/api/permissions*', route =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(VIEWER)
    })
  );
  await page.goto();

  // Side panel row: the run buttons are there but disabled, saying why.
  await runCommand(page, 'dbt-workbench:open-sidebar');
  const row = page
    .locator(SIDEBAR)
    .locator(`${LEAF}[data-unique-id="${model.unique_id}"]`);
  await expect(row).toBeVisible();
  await row.hover();
  const run = row.locator('.jp-DbtWorkbench-runButton[data-command="run"]');
  await expect(run).toBeDisabled();
  await expect(run).toHaveAttribute(
    'title',
    'Your role (viewer) cannot run dbt'
  );

  // The palette's run and schedule commands are greyed out.
  const enabled = await page.evaluate(() =>
    [
      'dbt-workbench:run-cli',
      'dbt-workbench:run',
      'dbt-workbench:new-schedule'
    ].map(id => window.jupyterapp.commands.isEnabled(id))
  );
  expect(enabled).toEqual([false, false, false]);

  // The run history: no new run for a viewer.
  await runCommand(page, 'dbt-workbench:open-runs');
  const newRun = page.locator('.jp-DbtWorkbench-newRun');
  await expect(newRun).toBeDisabled();
  await expect(newRun).toHaveAttribute(
    'title',
    'Your role (viewer) cannot run dbt'
  );

  // Schedules: no new schedule for a viewer.
  await runCommand(page, 'dbt-workbench:open-schedules');
  const create = page.locator(
    '#dbt-workbench-schedules .jp-DbtWorkbench-schedNew'
  );
  await expect(create).toBeDisabled();
  await expect(create).toHaveAttribute(
    'title',
    'Your role (viewer) cannot change schedules'
  );

  // Git: the commit box and the branch actions are locked.
  await runCommand(page, 'dbt-workbench:git-open');
  const panel = page.locator('#dbt-workbench-git');
  const commit = panel.locator('.jp-DbtWorkbench-gitCommitBox button');
  await expect(commit).toBeDisabled();
  await expect(commit).toHaveAttribute(
    'title',
    'Your role (viewer) cannot change the Git repository'
  );
  await expect(
    panel.locator('button[aria-label="Create a branch"]')
  ).toBeDisabled();
});
