/**
 * The dbt Git panel on the demo project: edit a model, see it modified in
 * the dbt impact section with its downstream nodes, look at its diff, stage
 * it, commit with Ctrl+Enter, and find the clean tree and the commit.
 *
 * run.sh serves a demo folder prepared by `jupyter dbt-workbench demo`, which
 * makes it a Git repository with one commit, so the panel has a history.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

import { api, runCommand } from './helpers';

const PANEL = '#dbt-workbench-git';
const MODEL = 'model.copper_kettle.stg_shops';

interface IProject {
  id: string;
  path: string;
}

interface INodeDetail {
  original_file_path: string;
  referenced_by: { unique_id: string; resource_type: string }[];
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf-8' });
}

/** The server root and the demo project, from the server's own listing. */
async function demo(
  request: APIRequestContext
): Promise<{ root: string; project: IProject }> {
  const { projects, root } = await api<{ projects: IProject[]; root: string }>(
    request,
    'projects'
  );
  expect(projects).toHaveLength(1);
  return { root, project: projects[0] };
}

test('edit a model, see its dbt impact, stage and commit it', async ({
  page,
  request
}) => {
  test.setTimeout(120000);
  const { root, project } = await demo(request);
  expect(
    fs.existsSync(path.join(root, '.git')),
    'the demo is a repository'
  ).toBe(true);
  const node = await api<INodeDetail>(
    request,
    `nodes/${MODEL}?project=${encodeURIComponent(project.id)}`
  );
  const file =
    project.path === '.'
      ? node.original_file_path
      : `${project.path}/${node.original_file_path}`;
  const child = node.referenced_by.find(ref => ref.resource_type === 'model');
  expect(child, 'stg_shops feeds a model').toBeTruthy();

  await runCommand(page, 'dbt-workbench:git-open');
  const panel = page.locator(PANEL);
  await expect(panel.locator('[data-state="clean"]')).toBeVisible();

  // A comment on the first line changes the file, not what it builds.
  const stamp = `-- edited by the git browser test ${Date.now()}`;
  const original = fs.readFileSync(path.join(root, file), 'utf-8');
  const saved = await request.put(`api/contents/${file}`, {
    data: { type: 'file', format: 'text', content: `${stamp}\n${original}` }
  });
  expect(saved.ok(), `PUT contents ${file}`).toBe(true);
  await panel.getByRole('button', { name: 'Refresh' }).click();

  const changes = panel.locator(
    '.jp-DbtWorkbench-gitGroup[data-group="changes"]'
  );
  const row = changes.locator(`.jp-DbtWorkbench-gitFile[data-path="${file}"]`);
  await expect(row).toBeVisible();

  const impact = panel.locator('.jp-DbtWorkbench-gitImpact');
  await expect(
    impact.locator(`.jp-DbtWorkbench-gitModified li[data-unique-id="${MODEL}"]`)
  ).toBeVisible();
  await expect(
    impact.locator(
      `.jp-DbtWorkbench-gitDownstream li[data-unique-id="${child!.unique_id}"]`
    )
  ).toBeVisible();

  // The side-by-side diff: the comment is an added line 1 on the new side.
  await row.locator('.jp-DbtWorkbench-gitFileName').click();
  const added = page.locator(
    '.jp-DbtWorkbench-gitDiffRow[data-kind="added"] [data-side="new"][data-kind="added"]'
  );
  await expect(added.first()).toHaveText(stamp);
  await expect(
    page.locator('.jp-DbtWorkbench-gitDiffRow[data-kind="added"]')
  ).toHaveCount(1);

  // The checkbox follows the index: staging moves the row to Staged.
  await row.getByRole('checkbox').click();
  const staged = panel.locator(
    `.jp-DbtWorkbench-gitGroup[data-group="staged"] .jp-DbtWorkbench-gitFile[data-path="${file}"]`
  );
  await expect(staged).toBeVisible();

  const message = `Annotate stg_shops ${Date.now()}`;
  const box = panel.getByRole('textbox', { name: 'Commit message' });
  await box.fill(message);
  await box.press('Control+Enter');

  await expect(panel.locator('[data-state="clean"]')).toBeVisible();
  const newest = panel.locator('.jp-DbtWorkbench-gitHistory li').first();
  await expect(newest).toContainText(message);
  expect(git(root, 'log', '-1', '--format=%s').trim()).toBe(message);

  // The commit's page lists the file; its diff opens from there.
  await newest.getByRole('button').click();
  const commitPage = page.locator('.jp-DbtWorkbench-gitCommitPage');
  await expect(commitPage.locator('h2')).toHaveText(message);
  await commitPage.locator(`li[data-path="${file}"] button`).click();
  await expect(
    page.locator(
      '.jp-DbtWorkbench-gitDiffPage:visible .jp-DbtWorkbench-gitDiffTitle'
    )
  ).toHaveText(file);
});
