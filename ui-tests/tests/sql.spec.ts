/**
 * The SQL workspace in the browser, against the real server and the built
 * demo project: type a query with a ref(), run it with the keyboard, see
 * the rows; a misspelt ref shows the closest model, and clicking it fixes
 * the query.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

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
});
