/**
 * Browser tests of search on the demo project: the side panel's search box
 * (typo, keyboard, node page with the source's freshness) and the full
 * search page (facet toggles, counts, opening a result).
 *
 * Expected values come from the running server's API, so the tests follow
 * the demo project when it changes.
 */
import { expect, test } from '@jupyterlab/galata';

import { api, runCommand } from './helpers';
import type { APIRequestContext } from '@playwright/test';

const SIDEBAR = '#dbt-workbench-sidebar';
const SEARCH_PAGE = '#dbt-workbench-search';

interface IHit {
  unique_id: string;
  name: string;
  resource_type: string;
}

interface IResult {
  total: number;
  items: IHit[];
  facets: Record<string, { value: string; count: number }[]>;
}

/** The id of the demo project, the only one the server sees. */
async function projectId(request: APIRequestContext): Promise<string> {
  const answer = await api<{ projects: { id: string; loaded: boolean }[] }>(
    request,
    'projects'
  );
  expect(answer.projects).toHaveLength(1);
  expect(answer.projects[0].loaded).toBe(true);
  return answer.projects[0].id;
}

/** GET search with URL parameters. */
function searchApi(
  request: APIRequestContext,
  params: Record<string, string>
): Promise<IResult> {
  return api<IResult>(request, `search?${new URLSearchParams(params)}`);
}

/** The node page of a node, by its main-area id. */
function nodePageLocator(project: string, uniqueId: string): string {
  return `[id="dbt-workbench-node:${project}:${uniqueId}"]`;
}

test.describe('search', () => {
  test('a typo finds a source; the keyboard opens it and its freshness shows', async ({
    page,
    request
  }) => {
    const project = await projectId(request);
    const query = 'web_evnets';
    const answer = await searchApi(request, { q: query, limit: '8' });
    const index = answer.items.findIndex(hit => hit.resource_type === 'source');
    expect(index, `a source among ${query}'s hits`).toBeGreaterThanOrEqual(0);
    const source = answer.items[index];
    const detail = await api<{
      freshness: { status: string; max_loaded_at: string } | null;
    }>(request, `nodes/${encodeURIComponent(source.unique_id)}`);
    // The demo runs `dbt source freshness` while it is prepared.
    expect(detail.freshness).not.toBeNull();

    await runCommand(page, 'dbt-workbench:open-sidebar');
    const box = page.locator(`${SIDEBAR} input[role="combobox"]`);
    await box.fill(query);
    const option = page.locator(
      `${SIDEBAR} [role="option"][data-unique-id="${source.unique_id}"]`
    );
    await expect(option).toBeVisible();
    await expect(box).toHaveAttribute('aria-expanded', 'true');

    // The best hit starts active; ↓ walks down to the source.
    for (let step = 0; step < index; step++) {
      await box.press('ArrowDown');
    }
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await expect(box).toHaveAttribute(
      'aria-activedescendant',
      (await option.getAttribute('id')) ?? ''
    );
    await box.press('Enter');

    const nodePage = page.locator(nodePageLocator(project, source.unique_id));
    await expect(nodePage).toBeVisible();
    await expect(page.locator(`${SIDEBAR} [role="listbox"]`)).toHaveCount(0);
    const freshness = nodePage.locator('.jp-DbtWorkbench-section', {
      has: page.locator('h2', { hasText: 'Freshness' })
    });
    await expect(freshness.locator('dt')).toContainText([
      'Status',
      'Newest row',
      'Age'
    ]);
    await expect(freshness.locator('[data-status]')).toHaveText(
      detail.freshness!.status
    );
  });

  test('the search page toggles a facet, its counts follow, a result opens', async ({
    page,
    request
  }) => {
    const project = await projectId(request);
    const query = 'customer';
    const all = await searchApi(request, { q: query });
    const models = all.facets.resource_type.find(
      value => value.value === 'model'
    );
    expect(models, 'models among the hits').toBeTruthy();
    expect(models!.count).toBeLessThan(all.total);
    const onlyModels = await searchApi(request, { q: query, type: 'model' });
    expect(onlyModels.total).toBe(models!.count);

    await runCommand(page, 'dbt-workbench:search', { query });
    const view = page.locator(SEARCH_PAGE);
    const status = view.locator('.jp-DbtWorkbench-searchPageStatus');
    await expect(status).toHaveText(`${all.total} results`);
    await expect(view.locator('input[type="search"]')).toHaveValue(query);

    const toggle = view.locator(
      '.jp-DbtWorkbench-searchFacet[data-facet="resource_type"] button[data-value="model"]'
    );
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(toggle).toContainText(`${models!.count}`);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(status).toHaveText(`${onlyModels.total} results`);

    const types = view.locator(
      '.jp-DbtWorkbench-searchHit .jp-DbtWorkbench-searchType'
    );
    await expect(types).toHaveCount(Math.min(onlyModels.total, 25));
    expect(new Set(await types.allTextContents())).toEqual(new Set(['model']));
    // Other facets now count models only.
    const tag = onlyModels.facets.tag[0];
    await expect(
      view.locator(
        `.jp-DbtWorkbench-searchFacet[data-facet="tag"] button[data-value="${tag.value}"]`
      )
    ).toContainText(`${tag.count}`);

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(status).toHaveText(`${all.total} results`);

    // A macro's result opens the macro's page.
    const macros = await searchApi(request, { q: 'type:macro' });
    expect(macros.total).toBeGreaterThan(0);
    const macro = macros.items[0];
    await view.locator('input[type="search"]').fill(macro.name);
    const hit = view.locator(
      `.jp-DbtWorkbench-searchHit[data-unique-id="${macro.unique_id}"]`
    );
    await hit.click();
    await expect(
      page.locator(nodePageLocator(project, macro.unique_id))
    ).toBeVisible();
  });
});
