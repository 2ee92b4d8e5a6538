/**
 * Browser tests of the Lineage panel on the demo project.
 *
 * Expected graphs come from the running server's lineage API, never from
 * lists written here. The canvas has no DOM per node, so the tests read the
 * view's state from its host's `data-node-count` attribute and act on it
 * through the panel's commands, as a keyboard or palette user would.
 */
import * as fs from 'fs';

import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { APIRequestContext, Locator } from '@playwright/test';

import { api, runCommand } from './helpers';

const SIDEBAR = '#dbt-workbench-sidebar';
const LEAF = '.jp-DbtWorkbench-treeNode[data-unique-id]';
const PANEL = '.jp-DbtWorkbench-lineageWidget';
const HOST = '.jp-DbtWorkbench-lineageHost';

interface INode {
  unique_id: string;
  name: string;
}

interface ILineageNode extends INode {
  resource_type: string;
  distance: number | null;
  parent_count: number;
}

interface ILineage {
  project: string;
  select: string;
  nodes: ILineageNode[];
  edges: [string, string][];
}

interface IColumnGraph {
  edges: {
    source: string;
    source_column: string;
    target: string;
    target_column: string;
    kind: string;
  }[];
}

interface IModelColumns {
  columns: { name: string; traced: boolean }[];
}

/** The demo project's id and dbt name. */
async function demoProject(
  request: APIRequestContext
): Promise<{ id: string; name: string }> {
  const answer = await api<{ projects: { id: string; name: string }[] }>(
    request,
    'projects'
  );
  expect(answer.projects).toHaveLength(1);
  return answer.projects[0];
}

/** The demo's central fact table: the first marts model about orders. */
async function ordersMart(request: APIRequestContext): Promise<INode> {
  const marts = await api<{ items: INode[] }>(
    request,
    'nodes?resource_type=model&path=models/marts&limit=5000'
  );
  const model = marts.items
    .filter(node => node.name.includes('orders'))
    .sort((a, b) => a.name.localeCompare(b.name))[0];
  expect(model, 'a marts model whose name contains "orders"').toBeDefined();
  return model;
}

/** `GET lineage` with the given query string. */
function lineage(
  request: APIRequestContext,
  project: string,
  query: string
): Promise<ILineage> {
  return api<ILineage>(request, `lineage?project=${project}&${query}`);
}

/** The lineage panel focused on a node, once its view painted. */
async function lineagePanel(
  page: IJupyterLabPageFixture,
  focus: ILineage
): Promise<Locator> {
  const panel = page.locator(PANEL).filter({
    has: page.locator(`input.jp-DbtWorkbench-lineageSelect`)
  });
  await expect(panel).toBeVisible();
  await expect(panel.locator(HOST)).toHaveAttribute(
    'data-node-count',
    String(focus.nodes.length)
  );
  await expect(
    panel.locator('input.jp-DbtWorkbench-lineageSelect')
  ).toHaveValue(focus.select);
  return panel;
}

test.describe('the Lineage panel on the demo project', () => {
  test('opens from a side-panel row focused on a model, and a node expands', async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    const focus = await lineage(request, project.id, `focus=${mart.unique_id}`);
    expect(focus.select).toBe(`1+${mart.name}+1`);

    await runCommand(page, 'dbt-workbench:open-sidebar');
    const row = page
      .locator(SIDEBAR)
      .locator(`${LEAF}[data-unique-id="${mart.unique_id}"]`);
    await row.click({ button: 'right' });
    await page
      .locator('.lm-Menu-item:has(.lm-Menu-itemLabel:text-is("Show Lineage"))')
      .click();
    const panel = await lineagePanel(page, focus);
    await expect(panel.locator('.jp-DbtWorkbench-lineageCount')).toHaveText(
      `${focus.nodes.length} nodes`
    );

    // A parent of the model whose own parents are not on screen yet: its
    // expansion adds them (the nodes with an edge into it).
    const shown = new Set(focus.nodes.map(node => node.unique_id));
    let parent: ILineageNode | undefined;
    let expected = 0;
    for (const node of focus.nodes.filter(n => n.distance === -1)) {
      const around = await lineage(
        request,
        project.id,
        `focus=${node.unique_id}&depth=1`
      );
      const parents = around.edges
        .filter(([, to]) => to === node.unique_id)
        .map(([from]) => from);
      const union = new Set([...shown, ...parents]);
      if (union.size > shown.size) {
        parent = node;
        expected = union.size;
        break;
      }
    }
    expect(parent, 'a parent with parents of its own').toBeDefined();

    await runCommand(page, 'dbt-workbench:lineage-expand', {
      uniqueId: parent!.unique_id,
      direction: 'upstream'
    });
    await expect(panel.locator(HOST)).toHaveAttribute(
      'data-node-count',
      String(expected)
    );
  });

  test("a node's context menu opens its SQL file", async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    // One node: the view fits it in the middle of the canvas.
    const alone = await lineage(request, project.id, `select=${mart.name}`);
    expect(alone.nodes).toHaveLength(1);
    await runCommand(page, 'dbt-workbench:open-lineage', {
      project: project.id,
      select: mart.name
    });
    const panel = await lineagePanel(page, alone);
    const canvas = panel.locator(`${HOST} canvas`).first();
    const box = await canvas.boundingBox();
    expect(box).not.toBeNull();
    await canvas.click({
      button: 'right',
      position: { x: box!.width / 2, y: box!.height / 2 }
    });
    const menu = page.locator('.jp-DbtWorkbench-lineageMenu');
    await expect(menu).toBeVisible();
    await expect(
      menu.locator('.lm-Menu-itemLabel', { hasText: 'Copy Selector' })
    ).toBeVisible();
    await menu
      .locator('.lm-Menu-item:has(.lm-Menu-itemLabel:text-is("Open SQL File"))')
      .click();
    await expect(
      page.locator(`.lm-TabBar-tab:has-text("${mart.name}.sql")`)
    ).toBeVisible();
  });

  test('a bad selector is explained and the graph stays; a good one is shown', async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    const focus = await lineage(request, project.id, `focus=${mart.unique_id}`);
    await runCommand(page, 'dbt-workbench:open-lineage', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const panel = await lineagePanel(page, focus);
    const select = panel.locator('input.jp-DbtWorkbench-lineageSelect');

    await select.fill('nosuchmethod:x');
    await select.press('Enter');
    await expect(panel.locator('.jp-DbtWorkbench-lineageError')).toContainText(
      'nosuchmethod'
    );
    await expect(select).toHaveAttribute('aria-invalid', 'true');
    await expect(panel.locator(HOST)).toHaveAttribute(
      'data-node-count',
      String(focus.nodes.length)
    );

    const upstream = await lineage(
      request,
      project.id,
      `select=${encodeURIComponent(`+${mart.name}`)}`
    );
    expect(upstream.nodes.length).not.toBe(focus.nodes.length);
    await select.fill(`+${mart.name}`);
    await select.press('Enter');
    await expect(panel.locator('.jp-DbtWorkbench-lineageError')).toHaveCount(0);
    await expect(panel.locator(HOST)).toHaveAttribute(
      'data-node-count',
      String(upstream.nodes.length)
    );
  });

  test('column mode traces a column and shows a transformation', async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    const focus = await lineage(request, project.id, `focus=${mart.unique_id}`);
    const columns = await api<IModelColumns>(
      request,
      `lineage/columns/${mart.unique_id}?project=${project.id}`
    );
    const column = columns.columns.find(item => item.traced)?.name;
    expect(column, 'a traced column of the mart').toBeDefined();
    const trace = await api<IColumnGraph>(
      request,
      `lineage/column?project=${project.id}&node=${mart.unique_id}&column=${column}&direction=both`
    );
    expect(trace.edges.length).toBeGreaterThan(0);

    await runCommand(page, 'dbt-workbench:open-lineage', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const panel = await lineagePanel(page, focus);
    const toggle = panel.locator('button.jp-DbtWorkbench-lineageColumns');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const drawer = panel.locator('.jp-DbtWorkbench-lineageDrawer');
    await expect(drawer).toBeVisible();

    await runCommand(page, 'dbt-workbench:lineage-trace-column', {
      uniqueId: mart.unique_id,
      column
    });
    const traced = drawer.locator('.jp-DbtWorkbench-lineageTrace');
    await expect(traced).toHaveAttribute(
      'data-column',
      `${mart.unique_id}.${column}`
    );
    await expect(traced).toHaveAttribute(
      'data-edge-count',
      String(trace.edges.length)
    );
    const edges = traced.locator('button.jp-DbtWorkbench-lineageTraceEdge');
    await expect(edges).toHaveCount(trace.edges.length);

    await edges.first().click();
    const transformation = drawer.locator('.jp-DbtWorkbench-lineageEdge');
    await expect(transformation).toHaveAttribute(
      'data-kind',
      trace.edges[0].kind
    );
    await expect(transformation).toContainText(
      `.${trace.edges[0].source_column}`
    );

    await toggle.click();
    await expect(drawer).toBeHidden();
  });

  test('Export SVG downloads the view with its model names', async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    const focus = await lineage(request, project.id, `focus=${mart.unique_id}`);
    await runCommand(page, 'dbt-workbench:open-lineage', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const panel = await lineagePanel(page, focus);

    const download = page.waitForEvent('download');
    await panel.locator('button.jp-DbtWorkbench-lineageExportSvg').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(
      `${project.name}-lineage-1_${mart.name}_1.svg`
    );
    const svg = fs.readFileSync(await file.path(), 'utf-8');
    expect(svg).toContain('<svg');
    for (const node of focus.nodes) {
      expect(svg, node.unique_id).toContain(node.name);
    }
  });

  test("a node page's and a focused row's Lineage buttons open the node's lineage", async ({
    page,
    request
  }) => {
    const project = await demoProject(request);
    const mart = await ordersMart(request);
    const focus = await lineage(request, project.id, `focus=${mart.unique_id}`);
    await runCommand(page, 'dbt-workbench:open-node', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const nodeWidget = page.locator(
      `[id="dbt-workbench-node:${project.id}:${mart.unique_id}"]`
    );
    await nodeWidget.locator('.jp-DbtWorkbench-nodeLineageButton').click();
    await lineagePanel(page, focus);

    // The focused side-panel row has the same button (keyboard users).
    const parent = focus.nodes.find(node => node.distance === -1)!;
    const parentFocus = await lineage(
      request,
      project.id,
      `focus=${parent.unique_id}`
    );
    await runCommand(page, 'dbt-workbench:open-sidebar');
    const row = page
      .locator(SIDEBAR)
      .locator(`${LEAF}[data-unique-id="${parent.unique_id}"]`);
    await row.focus();
    await row.locator('.jp-DbtWorkbench-lineageRowButton').click();
    await expect(page.locator(PANEL).filter({ visible: true })).toHaveCount(1);
    await expect(page.locator(`${PANEL}:visible ${HOST}`)).toHaveAttribute(
      'data-node-count',
      String(parentFocus.nodes.length)
    );
    await expect(
      page.locator(`${PANEL}:visible input.jp-DbtWorkbench-lineageSelect`)
    ).toHaveValue(parentFocus.select);
  });
});
