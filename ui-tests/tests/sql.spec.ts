/**
 * The SQL workspace in the browser, against the real server and the built
 * demo project: type a query with a ref(), run it with the keyboard, see
 * the rows; a misspelt ref shows the closest model, and clicking it fixes
 * the query; a write is refused with the setting that allows it; the CSV
 * export downloads the result; a model file opens from the file browser.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { readFile } from 'fs/promises';

import { runCommand } from './helpers';

const EDITOR = '.jp-DbtWorkbench-sqlEditor .cm-content';
const ROW = '.jp-DbtWorkbench-sqlRow';

/** Open a SQL Workspace tab and type `sql` into its editor. */
async function typeQuery(
  page: IJupyterLabPageFixture,
  sql: string
): Promise<void> {
  await runCommand(page, 'dbt-workbench:open-sql', {});
  const editor = page.locator(EDITOR).last();
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.type(sql);
  // Close a completion list the last word may have opened.
  await page.keyboard.press('Escape');
  await expect(editor).toHaveText(sql);
}

test.describe('SQL workspace on the demo project', () => {
  test('a query with ref() runs with Shift+Enter and shows its rows', async ({
    page
  }) => {
    await typeQuery(page, "select * from {{ ref('fct_orders') }} limit 5");
    await page.keyboard.press('Shift+Enter');

    const grid = page.locator('.jp-DbtWorkbench-sqlGrid');
    await expect(grid).toHaveAttribute('data-total', '5');
    await expect(grid.locator(ROW)).toHaveCount(5);
    await expect(page.locator('.jp-DbtWorkbench-sqlStatus')).toContainText(
      '5 rows'
    );
    // The header shows the model's columns with their types, and the rows
    // have loaded their cells.
    await expect(
      grid.locator('.jp-DbtWorkbench-sqlHeaderCell', { hasText: 'order_id' })
    ).toBeVisible();
    await expect(
      grid.locator(`${ROW} .jp-DbtWorkbench-sqlCell`).first()
    ).not.toHaveText('');
    // The compiled SQL names the warehouse relation, not the ref().
    await page.getByRole('tab', { name: 'Compiled SQL' }).click();
    await expect(page.locator('.jp-DbtWorkbench-sqlCompiled')).toContainText(
      'fct_orders'
    );
    await expect(
      page.locator('.jp-DbtWorkbench-sqlCompiled')
    ).not.toContainText('ref(');
  });

  test('a misspelt ref suggests the model; clicking it fixes the query', async ({
    page
  }) => {
    await typeQuery(page, "select * from {{ ref('fct_ordrs') }} limit 3");
    await page.keyboard.press('Control+Enter');

    const error = page.locator('.jp-DbtWorkbench-sqlError');
    await expect(error).toContainText('fct_ordrs');
    const suggestion = error.locator('.jp-DbtWorkbench-sqlSuggestion', {
      hasText: /^fct_orders$/
    });
    await expect(suggestion).toBeVisible();
    await suggestion.click();
    await expect(page.locator(EDITOR).last()).toHaveText(
      "select * from {{ ref('fct_orders') }} limit 3"
    );
    await page.keyboard.press('Shift+Enter');
    await expect(page.locator(`.jp-DbtWorkbench-sqlGrid ${ROW}`)).toHaveCount(
      3
    );
  });

  test('a write is refused with the setting that would allow it', async ({
    page
  }) => {
    await typeQuery(page, 'drop table x');
    await page.keyboard.press('Shift+Enter');

    const error = page.locator('.jp-DbtWorkbench-sqlError');
    await expect(error).toHaveAttribute('data-kind', 'write_refused');
    await expect(error).toContainText('Write refused');
    await expect(error).toContainText('drop table x');
    await expect(error).toContainText('allow_sql_writes');
  });

  test('the CSV export downloads the whole result', async ({ page }) => {
    await typeQuery(
      page,
      "select order_id, status from {{ ref('fct_orders') }} order by order_id limit 3"
    );
    await page.keyboard.press('Shift+Enter');
    await expect(page.locator('.jp-DbtWorkbench-sqlGrid')).toHaveAttribute(
      'data-total',
      '3'
    );

    const download = page.waitForEvent('download');
    await page
      .locator('.jp-DbtWorkbench-sqlWidget')
      .last()
      .getByRole('button', { name: 'CSV', exact: true })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const lines = (await readFile((await file.path())!, 'utf-8'))
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('order_id,status');
    expect(lines.length).toBe(4);
    expect(lines[1]).toMatch(/^1,/);
  });

  test('a model opens from the file browser and runs', async ({ page }) => {
    await page.filebrowser.openDirectory('models/marts/finance');
    await page
      .locator('.jp-DirListing-item', { hasText: 'fct_orders.sql' })
      .click({ button: 'right' });
    await page
      .locator('.lm-Menu-item', { hasText: 'Open in SQL Workspace' })
      .click();

    const tab = page.locator('.lm-DockPanel-tabBar .lm-mod-current');
    await expect(tab).toContainText('fct_orders.sql');
    const editor = page.locator(EDITOR).last();
    await expect(editor).toContainText("ref('int_order_payments')");
    await editor.click();
    await page.keyboard.press('Shift+Enter');
    await expect(page.locator('.jp-DbtWorkbench-sqlStatus')).toContainText(
      /rows in/
    );
    await expect(
      page.locator(`.jp-DbtWorkbench-sqlGrid ${ROW}`).first()
    ).toBeVisible();
  });
});
