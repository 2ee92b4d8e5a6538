/**
 * The lineage notebook widget (anywidget) in JupyterLab, on the demo project
 * that run.sh serves as the server root: it draws the lineage of a model, and
 * a click on a node is read back from Python as `w.selected`.
 */
import { expect, test } from '@jupyterlab/galata';

const HOST = '[data-dbt-lineage-widget]';
const FCT_ORDERS = 'model.copper_kettle.fct_orders';

test('a click in the lineage widget is read back from Python', async ({
  page
}) => {
  await page.notebook.createNew('lineage-widget.ipynb');
  // No step up or down: the view fits its one node in the middle of the cell.
  await page.notebook.setCell(
    0,
    'code',
    'from jupyterlab_dbt_workbench import LineageWidget\n' +
      'w = LineageWidget("fct_orders", upstream=0, downstream=0)\n' +
      'w'
  );
  await page.notebook.runCell(0, { inplace: true });

  const host = page.locator(HOST);
  await expect(host).toHaveAttribute('data-node-count', '1', {
    timeout: 60000
  });
  const box = await host.boundingBox();
  expect(box).not.toBeNull();
  await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
  await expect(host).toHaveAttribute('data-selected', FCT_ORDERS);

  await page.notebook.addCell('code', 'print(w.selected)');
  await page.notebook.runCell(1, { inplace: true });
  expect(await page.notebook.getCellTextOutput(1)).toEqual([`${FCT_ORDERS}\n`]);

  // Python drives the view too: two steps upstream bring the parents in.
  await page.notebook.addCell('code', 'w.upstream = 2');
  await page.notebook.runCell(2, { inplace: true });
  await expect(host).not.toHaveAttribute('data-node-count', '1');
  const shown = Number(await host.getAttribute('data-node-count'));
  expect(shown).toBeGreaterThan(3);

  // Column mode fetches the focus's columns from the kernel without an error.
  await page.notebook.addCell('code', 'w.column_mode = True');
  await page.notebook.runCell(3, { inplace: true });
  await expect(host.locator('.dbt-lineage-legend')).toContainText(
    'Column edges'
  );
  await expect(host).not.toHaveAttribute('data-loading', 'true');
  await expect(
    host.locator('.dbt-lineage-message[data-kind="error"]')
  ).toBeHidden();
});
