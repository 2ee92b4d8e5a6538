/**
 * Metadata edits in the browser: edit a model's description from its page,
 * see the diff, save, and find the change in the YAML file on disk.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

import { api, runCommand } from './helpers';

const MODEL = 'model.copper_kettle.stg_shops';

interface IEditable {
  file: string;
  description: string;
}

/** A file's text through the Jupyter contents API. */
async function readFile(
  request: APIRequestContext,
  path: string
): Promise<string> {
  const response = await request.get(
    `api/contents/${path}?content=1&type=file&format=text`
  );
  expect(response.ok(), `GET contents ${path}`).toBe(true);
  return ((await response.json()) as { content: string }).content;
}

/** Put a file back as it was, so other specs see the demo unchanged. */
async function writeFile(
  request: APIRequestContext,
  path: string,
  content: string
): Promise<void> {
  const response = await request.put(`api/contents/${path}`, {
    data: { type: 'file', format: 'text', content }
  });
  expect(response.ok(), `PUT contents ${path}`).toBe(true);
}

test('edit a model description, see the diff, save it to the YAML file', async ({
  page,
  request
}) => {
  const { projects } = await api<{ projects: { id: string; path: string }[] }>(
    request,
    'projects'
  );
  const project = projects[0];
  const form = await api<IEditable>(
    request,
    `metadata/node?project=${encodeURIComponent(project.id)}&node=${MODEL}`
  );
  const file =
    project.path === '.' ? form.file : `${project.path}/${form.file}`;
  const original = await readFile(request, file);
  const text = `Every shop, edited in the browser at ${Date.now()}.`;
  // Galata mocks every URL containing "/api/me" (its user route), which
  // catches dbt-workbench/api/metadata/... too: let those reach the server.
  await page.unroute(galata.Routes.user);
  try {
    await runCommand(page, 'dbt-workbench:open-node', {
      project: project.id,
      uniqueId: MODEL
    });
    const edit = page.getByRole('button', { name: 'Edit metadata' });
    await expect(edit).toBeVisible();
    await edit.click();

    const dialog = page.locator('.jp-Dialog');
    const description = dialog.locator('textarea[name="description"]');
    await expect(description).toHaveValue(form.description);
    await description.fill(text);
    await dialog.getByRole('button', { name: 'Preview' }).click();

    await expect(dialog.locator('.jp-DbtWorkbench-diffAdded')).toContainText(
      text
    );
    await expect(dialog.locator('.jp-DbtWorkbench-diffRemoved')).toHaveCount(1);
    await dialog.getByRole('button', { name: 'Save' }).click();

    await expect(page.locator('.Toastify__toast').last()).toContainText(
      'dbt parses'
    );
    await expect
      .poll(async () => readFile(request, file), { timeout: 10000 })
      .toContain(text);
    const saved = await readFile(request, file);
    // One description changed; the rest of the file is as it was.
    expect(saved.split('\n').length).toBe(original.split('\n').length);
  } finally {
    await writeFile(request, file, original);
  }
});
