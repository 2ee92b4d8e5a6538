/**
 * Browser test of dbt runs on the demo project (run.sh prepares it and
 * serves it as the server root): a staging model is run from the side
 * panel for real, its page follows it to the end, and the history lists it.
 *
 * A run swaps its manifest and run_results into the project's target
 * folder; the test puts the demo's own back afterwards so the other specs
 * see the fully built demo whatever the order.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';
import type { APIRequestContext } from '@playwright/test';

const SIDEBAR = '#dbt-workbench-sidebar';
const LEAF = '.jp-DbtWorkbench-treeNode[data-unique-id]';

/** The artifacts a `dbt run` replaces in the project's target folder. */
const SWAPPED = ['manifest.json', 'run_results.json'];

interface IProject {
  id: string;
  path: string;
  target_path: string;
}

interface INode {
  unique_id: string;
  name: string;
}

interface IRunDetail {
  id: string;
  status: string;
  command: string;
  cli: string;
  nodes: { unique_id: string; status: string | null }[];
}

/** The demo's target folder, from the server's own project listing. */
async function targetFolder(request: APIRequestContext): Promise<string> {
  const { projects, root } = await api<{ projects: IProject[]; root: string }>(
    request,
    'projects'
  );
  expect(projects).toHaveLength(1);
  return path.join(root, projects[0].path, projects[0].target_path);
}

test.describe('dbt runs on the demo project', () => {
  // dbt needs about 10 s to start and parse on an idle machine, more on a
  // busy one: give the real run room.
  test.setTimeout(120000);

  let saved: Map<string, Buffer> = new Map();
  let target = '';

  test.beforeAll(async ({ request }) => {
    target = await targetFolder(request);
    saved = new Map(
      SWAPPED.map(name => [name, fs.readFileSync(path.join(target, name))])
    );
  });

  test.afterAll(async ({ request }) => {
    for (const [name, content] of saved) {
      // Write then rename, as the workbench does, so the watcher never
      // reads a half-written file.
      const temporary = path.join(target, `.${name}.restore`);
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, path.join(target, name));
    }
    const response = await request.post('dbt-workbench/api/artifacts/reload');
    expect(response.ok()).toBe(true);
  });

  test('running a staging model from the side panel, live to success', async ({
    page,
    request
  }) => {
    const staging = await api<{ items: INode[] }>(
      request,
      'nodes?resource_type=model&path=models/staging&limit=5000'
    );
    const model = staging.items.sort((a, b) => a.name.localeCompare(b.name))[0];
    expect(model, 'a staging model in the demo').toBeDefined();

    await runCommand(page, 'dbt-workbench:open-sidebar');
    const sidebar = page.locator(SIDEBAR);
    const row = sidebar.locator(`${LEAF}[data-unique-id="${model.unique_id}"]`);
    await expect(row).toBeVisible();
    // The run buttons show on hover.
    await row.hover();
    await row.locator('.jp-DbtWorkbench-runButton[data-command="run"]').click();

    const runPage = page.locator('.jp-DbtWorkbench-runPage');
    await expect(runPage).toBeVisible();
    const runId = await runPage.getAttribute('data-run-id');
    expect(runId).toBeTruthy();
    await expect(
      page.locator(`[id="dbt-workbench-run:${runId}"]`)
    ).toBeVisible();
    await expect(runPage.locator('.jp-DbtWorkbench-runCli')).toHaveText(
      new RegExp(`^dbt run .*${model.name}$`)
    );

    // While it runs: the status bar shows its progress and cancel is offered.
    const statusItem = page.locator(
      `.jp-DbtWorkbench-runStatusItem[data-run-id="${runId}"]`
    );
    await expect(statusItem).toContainText('dbt run');
    await expect(
      runPage.locator('.jp-DbtWorkbench-runAction[data-action="cancel"]')
    ).toBeEnabled();

    const pill = runPage.locator(
      '.jp-DbtWorkbench-runHeader .jp-DbtWorkbench-runStatus'
    );
    await expect(pill).toHaveAttribute('data-run-status', 'success', {
      timeout: 100000
    });

    // The end is announced, with a way back to the run.
    await expect(
      page.locator('.Toastify__toast', { hasText: 'succeeded' })
    ).toContainText('Open run');
    await expect(statusItem).toHaveCount(0);

    const nodeRow = runPage.locator(
      `.jp-DbtWorkbench-runNodes tr[data-unique-id="${model.unique_id}"]`
    );
    await expect(nodeRow).toHaveAttribute('data-status', 'success');
    await expect(nodeRow).toHaveAttribute('data-tone', 'pass');
    await expect(
      runPage.locator('.jp-DbtWorkbench-runProgressCount')
    ).toHaveText('1 of 1 nodes');
    await expect(
      runPage.locator('.jp-DbtWorkbench-runAction[data-action="cancel"]')
    ).toBeDisabled();
    await expect(
      runPage.locator('.jp-DbtWorkbench-runAction[data-action="rerun"]')
    ).toBeEnabled();

    // The server agrees with the page.
    const detail = await api<IRunDetail>(request, `runs/${runId}`);
    expect(detail.status).toBe('success');
    expect(detail.nodes).toContainEqual(
      expect.objectContaining({ unique_id: model.unique_id, status: 'success' })
    );

    await runPage.locator('.jp-DbtWorkbench-tab[data-tab="log"]').click();
    const lines = runPage.locator('.jp-DbtWorkbench-logLine');
    await expect(lines.first()).toBeVisible();
    await expect(
      lines.filter({ hasText: new RegExp(`OK created .*${model.name}`) })
    ).toHaveCount(1);
    // The search narrows the log to the model's lines.
    await runPage.locator('input.jp-DbtWorkbench-logSearch').fill(model.name);
    await expect
      .poll(async () =>
        (await lines.allTextContents()).every(text => text.includes(model.name))
      )
      .toBe(true);

    await runPage.locator('.jp-DbtWorkbench-tab[data-tab="timeline"]').click();
    await expect(
      runPage.locator(
        `.jp-DbtWorkbench-timelineRow[data-unique-id="${model.unique_id}"] .jp-DbtWorkbench-timelineBar[data-tone="pass"]`
      )
    ).toBeVisible();

    await runCommand(page, 'dbt-workbench:open-runs');
    const history = page.locator('#dbt-workbench-runs');
    await expect(history).toBeVisible();
    const listed = history.locator(`tr[data-run-id="${runId}"]`);
    await expect(listed).toHaveAttribute('data-run-status', 'success');
    await expect(listed.locator('.jp-DbtWorkbench-runLink')).toContainText(
      model.name
    );
    // Filtering by another status hides it.
    await history
      .locator('select.jp-DbtWorkbench-runsStatus')
      .selectOption('failed');
    await expect(listed).toHaveCount(0);
    await history
      .locator('select.jp-DbtWorkbench-runsStatus')
      .selectOption('success');
    await expect(listed).toHaveCount(1);
  });
});
