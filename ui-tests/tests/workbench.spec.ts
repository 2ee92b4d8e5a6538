/**
 * Browser tests of the dbt Workbench on the demo project (run.sh prepares it
 * and serves it as the server root).
 *
 * Expected values come from the running server's API and from the demo's own
 * dbt artifacts, never from lists written here, so the tests follow the demo
 * project when it changes.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';
import type { APIRequestContext, Locator, TestInfo } from '@playwright/test';

const SIDEBAR = '#dbt-workbench-sidebar';
const LEAF = '.jp-DbtWorkbench-treeNode[data-unique-id]';

interface IProject {
  id: string;
  name: string;
  path: string;
  target_path: string;
  loaded: boolean;
  counts: Record<string, number>;
}

interface INode {
  unique_id: string;
  name: string;
  resource_type: string;
  original_file_path: string;
  tags: string[];
  description: string;
  status: string | null;
  test_status: string | null;
}

interface INodeDetail extends INode {
  depends_on: { unique_id: string; name: string }[];
  tests: { unique_id: string; name: string }[];
}

interface ICatalogColumn {
  name: string;
  type: string;
  index: number;
}

/** The demo project as the server sees it, and the server root. */
async function demoProject(
  request: APIRequestContext
): Promise<{ project: IProject; root: string }> {
  const answer = await api<{ projects: IProject[]; root: string }>(
    request,
    'projects'
  );
  expect(answer.projects).toHaveLength(1);
  expect(answer.projects[0].loaded).toBe(true);
  return { project: answer.projects[0], root: answer.root };
}

/** Every node the side panel lists (tests are hidden by default). */
async function allNodes(request: APIRequestContext): Promise<INode[]> {
  const page = await api<{ total: number; items: INode[] }>(
    request,
    'nodes?limit=5000'
  );
  expect(page.items).toHaveLength(page.total);
  return page.items;
}

/** The marts model about orders: the demo's central fact table. */
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

/** The model's columns as `dbt docs generate` read them from DuckDB. */
function catalogColumns(
  root: string,
  project: IProject,
  uniqueId: string
): ICatalogColumn[] {
  const file = path.join(
    root,
    project.path,
    project.target_path,
    'catalog.json'
  );
  const catalog = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const entry = catalog.nodes[uniqueId];
  expect(entry, `${uniqueId} in ${file}`).toBeDefined();
  return (Object.values(entry.columns) as ICatalogColumn[]).sort(
    (a, b) => a.index - b.index
  );
}

/** Open the dbt panel and wait until its tree shows nodes. */
async function openSidebar(page: IJupyterLabPageFixture): Promise<Locator> {
  await runCommand(page, 'dbt-workbench:open-sidebar');
  const sidebar = page.locator(SIDEBAR);
  await expect(sidebar).toBeVisible();
  await expect(sidebar.locator(LEAF).first()).toBeVisible();
  return sidebar;
}

async function leafIds(sidebar: Locator): Promise<string[]> {
  return sidebar
    .locator(LEAF)
    .evaluateAll(leaves =>
      leaves.map(leaf => (leaf as HTMLElement).dataset.uniqueId ?? '')
    );
}

function nodePage(page: IJupyterLabPageFixture, uniqueId: string): Locator {
  return page.locator(
    `.jp-DbtWorkbench-nodePage[data-unique-id="${uniqueId}"]`
  );
}

/** The badge a node's latest run and test results call for. */
function expectedBadge(node: INode): string {
  const rank = ['none', 'pass', 'skipped', 'warn', 'error'];
  const normalize = (status: string | null): string => {
    switch ((status ?? '').toLowerCase()) {
      case 'success':
      case 'pass':
        return 'pass';
      case 'warn':
        return 'warn';
      case 'error':
      case 'fail':
      case 'runtime error':
        return 'error';
      case 'skipped':
        return 'skipped';
      default:
        return 'none';
    }
  };
  const statuses = [normalize(node.status), normalize(node.test_status)];
  return statuses.sort((a, b) => rank.indexOf(b) - rank.indexOf(a))[0];
}

/** The background color actually painted behind an element, as [r, g, b]. */
async function paintedBackground(target: Locator): Promise<number[]> {
  return target.evaluate(element => {
    for (let el: Element | null = element; el; el = el.parentElement) {
      const color = getComputedStyle(el).backgroundColor;
      const parts = (color.match(/[\d.]+/g) ?? []).map(Number);
      if (parts.length >= 3 && (parts.length < 4 || parts[3] > 0)) {
        return parts.slice(0, 3);
      }
    }
    return [255, 255, 255];
  });
}

/** WCAG relative luminance of an sRGB color, 0 (black) to 1 (white). */
function luminance([r, g, b]: number[]): number {
  const channel = (value: number): number => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

async function screenshot(
  page: IJupyterLabPageFixture,
  testInfo: TestInfo,
  name: string
): Promise<void> {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test.describe('dbt Workbench on the demo project', () => {
  test('the dbt side panel lists the demo project as a tree', async ({
    page,
    request
  }) => {
    const { project } = await demoProject(request);
    const nodes = await allNodes(request);

    await page
      .locator(
        '.lm-TabBar.jp-SideBar .lm-TabBar-tab[data-id="dbt-workbench-sidebar"]'
      )
      .click();
    const sidebar = page.locator(SIDEBAR);
    await expect(sidebar).toBeVisible();

    await expect(
      sidebar.locator('select.jp-DbtWorkbench-projectPicker option:checked')
    ).toHaveText(project.name);
    await expect(sidebar.locator('select.jp-DbtWorkbench-groupBy')).toHaveValue(
      'folder'
    );
    await expect(sidebar.locator(LEAF)).toHaveCount(nodes.length);
    expect(new Set(await leafIds(sidebar))).toEqual(
      new Set(nodes.map(node => node.unique_id))
    );

    // Folder groups nest: the marts model sits under models > marts > <area>.
    const mart = await ordersMart(request);
    const folder = path.posix.dirname(mart.original_file_path);
    const segments = folder.split('/');
    for (let depth = 1; depth <= segments.length; depth++) {
      await expect(
        sidebar.locator(
          `.jp-DbtWorkbench-treeGroup[data-group="${segments
            .slice(0, depth)
            .join('/')}"]`
        )
      ).toBeVisible();
    }
    await expect(sidebar.locator('.jp-DbtWorkbench-problem')).toHaveCount(0);
    await expect(sidebar.locator('.jp-DbtWorkbench-empty')).toHaveCount(0);

    // Each leaf's badge shows the node's latest run and test results.
    for (const node of nodes) {
      await expect(
        sidebar.locator(
          `.jp-DbtWorkbench-treeNode[data-unique-id="${node.unique_id}"] .jp-DbtWorkbench-status`
        ),
        node.unique_id
      ).toHaveAttribute('data-status', expectedBadge(node));
    }
  });

  test('grouping by resource type regroups the tree', async ({
    page,
    request
  }) => {
    const nodes = await allNodes(request);
    const sidebar = await openSidebar(page);

    await sidebar
      .locator('select.jp-DbtWorkbench-groupBy')
      .selectOption('resource_type');
    const groups = sidebar.locator('.jp-DbtWorkbench-treeGroup[data-group]');
    await expect
      .poll(async () =>
        (
          await groups.evaluateAll(elements =>
            elements.map(el => (el as HTMLElement).dataset.group ?? '')
          )
        ).sort()
      )
      .toEqual([...new Set(nodes.map(node => node.resource_type))].sort());
    await expect(sidebar.locator(LEAF)).toHaveCount(nodes.length);
  });

  test('clicking a marts model opens its page with its real columns and types', async ({
    page,
    request
  }) => {
    const { project, root } = await demoProject(request);
    const mart = await ordersMart(request);
    const columns = catalogColumns(root, project, mart.unique_id);
    expect(columns.length).toBeGreaterThan(0);

    const sidebar = await openSidebar(page);
    // The name, not the middle of the row: hovering shows the row's buttons.
    await sidebar
      .locator(`${LEAF}[data-unique-id="${mart.unique_id}"]`)
      .locator('.jp-DbtWorkbench-treeLabel')
      .click();

    const widget = page.locator(
      `[id="dbt-workbench-node:${project.id}:${mart.unique_id}"]`
    );
    await expect(widget).toBeVisible();
    const content = nodePage(page, mart.unique_id);
    await expect(content).toBeVisible();

    const rows = content.locator(
      'table.jp-DbtWorkbench-columns tr[data-column]'
    );
    await expect(rows.first()).toBeVisible();
    // Cataloged columns come first, in the warehouse's order.
    const names = await rows.evaluateAll(elements =>
      elements.map(el => (el as HTMLElement).dataset.column ?? '')
    );
    expect(names.slice(0, columns.length)).toEqual(columns.map(c => c.name));
    for (const column of columns) {
      const row = content.locator(
        `table.jp-DbtWorkbench-columns tr[data-column="${column.name}"]`
      );
      await expect(row.locator('td').nth(0)).toHaveText(column.name);
      await expect(row.locator('td').nth(1)).toHaveText(column.type);
    }

    const detail = await api<INodeDetail>(
      request,
      `nodes/${encodeURIComponent(mart.unique_id)}`
    );
    expect(detail.tests.length).toBeGreaterThan(0);
    const tests = content.locator('.jp-DbtWorkbench-tests tr[data-test]');
    await expect(tests).toHaveCount(detail.tests.length);
    for (const dbtTest of detail.tests) {
      await expect(
        content.locator(
          `.jp-DbtWorkbench-tests tr[data-test="${dbtTest.unique_id}"]`
        )
      ).toContainText(dbtTest.name);
    }
    await expect(
      content.locator('.jp-DbtWorkbench-sql[data-kind="raw"]')
    ).toContainText('select');
    await expect(
      content.locator('.jp-DbtWorkbench-sql[data-kind="compiled"]')
    ).toContainText('select');
  });

  test('an upstream link opens the parent node page', async ({
    page,
    request
  }) => {
    const { project } = await demoProject(request);
    const mart = await ordersMart(request);
    const detail = await api<INodeDetail>(
      request,
      `nodes/${encodeURIComponent(mart.unique_id)}`
    );
    expect(detail.depends_on.length).toBeGreaterThan(0);
    const parent = detail.depends_on[0];

    await runCommand(page, 'dbt-workbench:open-node', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const content = nodePage(page, mart.unique_id);
    const link = content.locator(
      `.jp-DbtWorkbench-upstream a[data-unique-id="${parent.unique_id}"]`
    );
    await expect(link).toHaveText(parent.name);
    await link.click();

    await expect(
      page.locator(
        `[id="dbt-workbench-node:${project.id}:${parent.unique_id}"]`
      )
    ).toBeVisible();
    const parentPage = nodePage(page, parent.unique_id);
    await expect(parentPage).toBeVisible();
    // The way back: the parent lists the model among its children.
    await expect(
      parentPage.locator(
        `.jp-DbtWorkbench-downstream a[data-unique-id="${mart.unique_id}"]`
      )
    ).toBeVisible();
  });

  test('the filter box narrows the tree to matching nodes', async ({
    page,
    request
  }) => {
    const nodes = await allNodes(request);
    const mart = await ordersMart(request);
    const sidebar = await openSidebar(page);
    await expect(sidebar.locator(LEAF)).toHaveCount(nodes.length);

    // The panel's documented rule: every term, case-insensitively, in the
    // name, description, file path or tags.
    const query = mart.name.toUpperCase();
    const expected = nodes
      .filter(node =>
        [node.name, node.description, node.original_file_path, ...node.tags]
          .join('\n')
          .toLowerCase()
          .includes(query.toLowerCase())
      )
      .map(node => node.unique_id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(nodes.length);

    const filter = sidebar.locator('input.jp-DbtWorkbench-filter');
    await filter.fill(query);
    await expect(sidebar.locator(LEAF)).toHaveCount(expected.length);
    expect(new Set(await leafIds(sidebar))).toEqual(new Set(expected));

    await filter.fill('no-node-is-called-this');
    await expect(sidebar.locator(LEAF)).toHaveCount(0);

    await filter.fill('');
    await expect(sidebar.locator(LEAF)).toHaveCount(nodes.length);
  });

  test('the workbench follows the dark theme', async ({
    page,
    request
  }, testInfo) => {
    const { project } = await demoProject(request);
    const mart = await ordersMart(request);
    const sidebar = await openSidebar(page);
    await runCommand(page, 'dbt-workbench:open-node', {
      project: project.id,
      uniqueId: mart.unique_id
    });
    const content = nodePage(page, mart.unique_id);
    await expect(
      content.locator('table.jp-DbtWorkbench-columns')
    ).toBeVisible();

    const tree = sidebar.locator(LEAF).first();
    expect(luminance(await paintedBackground(tree))).toBeGreaterThan(0.5);
    expect(luminance(await paintedBackground(content))).toBeGreaterThan(0.5);

    await runCommand(page, 'apputils:change-theme', {
      theme: 'JupyterLab Dark'
    });
    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    // JupyterLab shows its splash screen while it swaps the theme's CSS.
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect
      .poll(async () => luminance(await paintedBackground(tree)))
      .toBeLessThan(0.2);
    await expect
      .poll(async () => luminance(await paintedBackground(content)))
      .toBeLessThan(0.2);
    // Text stays readable: light on dark.
    const textColor = await tree.evaluate(el =>
      (getComputedStyle(el).color.match(/[\d.]+/g) ?? []).map(Number)
    );
    expect(luminance(textColor)).toBeGreaterThan(0.3);

    await screenshot(page, testInfo, 'dbt-workbench-dark.png');
  });

  test('the launcher card opens the overview with the project counts', async ({
    page,
    request
  }) => {
    const { project } = await demoProject(request);

    await runCommand(page, 'launcher:create');
    const card = page.locator(
      '.jp-LauncherCard:visible:has(.jp-LauncherCard-label p:text-is("dbt Workbench"))'
    );
    await expect(card).toHaveCount(1);
    await card.click();

    const overview = page.locator('#dbt-workbench-overview');
    await expect(overview).toBeVisible();
    const section = overview.locator(
      `.jp-DbtWorkbench-overview .jp-DbtWorkbench-overviewProject[data-project="${project.id}"]`
    );
    await expect(section).toContainText(project.name);
    const counts = Object.entries(project.counts);
    expect(counts.length).toBeGreaterThan(0);
    for (const [type, count] of counts) {
      await expect(
        section.locator(
          `.jp-DbtWorkbench-counts td[data-resource-type="${type}"]`
        )
      ).toHaveText(String(count));
    }

    // The palette command reaches the same single page.
    await runCommand(page, 'dbt-workbench:open-overview');
    await expect(page.locator('#dbt-workbench-overview')).toHaveCount(1);
  });
});
