/**
 * Helpers shared by the workbench's browser tests.
 */

import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

/** GET a workbench API route; fails the test on any error answer. */
export async function api<T>(
  request: APIRequestContext,
  route: string
): Promise<T> {
  const response = await request.get(`dbt-workbench/api/${route}`);
  expect(response.ok(), `GET ${route}: ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

/** Run a JupyterLab command once its plugin has registered it. */
export async function runCommand(
  page: IJupyterLabPageFixture,
  id: string,
  args: Record<string, unknown> = {}
): Promise<void> {
  // Plugins finish activating after JupyterLab reports it started.
  await page.waitForFunction(
    command => window.jupyterapp.commands.hasCommand(command),
    id
  );
  await page.evaluate(
    async ({ id, args }) => {
      await window.jupyterapp.commands.execute(id, args as any);
    },
    { id, args }
  );
}
