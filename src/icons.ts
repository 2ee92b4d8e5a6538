/**
 * The extension's icons. Shapes use JupyterLab's `jp-icon*` classes so the
 * theme recolors them (light and dark).
 */
import { LabIcon } from '@jupyterlab/ui-components';

function svg(body: string): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" ' +
    `viewBox="0 0 24 24">${body}</svg>`
  );
}

/**
 * The workbench glyph: four rounded petals pinned around a diamond, a nod
 * to a DAG's nodes meeting at one model.
 */
export const dbtIcon = new LabIcon({
  name: 'dbt-workbench:dbt',
  svgstr: svg(
    '<g class="jp-icon-warn0" fill="#E65100">' +
      '<path d="M3.2 2.2c2.6-.6 5.6 1.2 8.8 5.2 3.2-4 6.2-5.8 8.8-5.2.6 2.6-1.2 5.6-5.2 8.8h-7.2C4.4 7.8 2.6 4.8 3.2 2.2z"/>' +
      '<path d="M20.8 21.8c-2.6.6-5.6-1.2-8.8-5.2-3.2 4-6.2 5.8-8.8 5.2-.6-2.6 1.2-5.6 5.2-8.8h7.2c4 3.2 5.8 6.2 5.2 8.8z"/>' +
      '</g>' +
      '<path class="jp-icon3" fill="#616161" d="M12 8.6 15.4 12 12 15.4 8.6 12z"/>'
  )
});

const modelIcon = new LabIcon({
  name: 'dbt-workbench:model',
  svgstr: svg(
    '<path class="jp-icon-brand0" fill="#0D47A1" d="M12 2 3 7v10l9 5 9-5V7zm0 2.3 6.4 3.5L12 11.3 5.6 7.8zM5 9.5l6 3.3v6.6l-6-3.3zm8 9.9v-6.6l6-3.3v6.6z"/>'
  )
});

const sourceIcon = new LabIcon({
  name: 'dbt-workbench:source',
  svgstr: svg(
    '<path class="jp-icon-contrast1" fill="#2E7D32" d="M12 2C7.6 2 4 3.3 4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5c0-1.7-3.6-3-8-3zm0 2c3.6 0 6 1 6 1s-2.4 1-6 1-6-1-6-1 2.4-1 6-1zM6 7.3C7.5 7.8 9.7 8 12 8s4.5-.2 6-.7V11c0 .4-2.4 1.5-6 1.5S6 11.4 6 11zm0 6c1.5.5 3.7.7 6 .7s4.5-.2 6-.7V19c0 .4-2.4 1-6 1s-6-.6-6-1z"/>'
  )
});

const seedIcon = new LabIcon({
  name: 'dbt-workbench:seed',
  svgstr: svg(
    '<path class="jp-icon-contrast1" fill="#2E7D32" d="M11 22v-7.1C6.5 14.5 3 11.6 3 5V4h1c4.3 0 7.1 1.9 8.2 5.1C13.5 6 16.2 4 20 4h1v1c0 5.6-3 8.6-8 9v8zM5.1 6c.4 4.3 2.7 6.5 6.2 6.9C10.9 8.6 8.8 6.3 5.1 6zm13.8 0c-3.2.3-5.1 2.4-5.7 6 3.2-.5 5.3-2.4 5.7-6z"/>'
  )
});

const snapshotIcon = new LabIcon({
  name: 'dbt-workbench:snapshot',
  svgstr: svg(
    '<path class="jp-icon3" fill="#616161" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/>'
  )
});

const testIcon = new LabIcon({
  name: 'dbt-workbench:test',
  svgstr: svg(
    '<path class="jp-icon3" fill="#616161" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm3.6 4.6L10.5 13.7l-2.1-2.1L7 13l3.5 3.5L17 10z"/>'
  )
});

const exposureIcon = new LabIcon({
  name: 'dbt-workbench:exposure',
  svgstr: svg(
    '<path class="jp-icon-warn0" fill="#E65100" d="M3 3h2v16h16v2H3zm4 9h3v5H7zm5-5h3v10h-3zm5 3h3v7h-3z"/>'
  )
});

const analysisIcon = new LabIcon({
  name: 'dbt-workbench:analysis',
  svgstr: svg(
    '<path class="jp-icon3" fill="#616161" d="M10 3a7 7 0 0 1 5.6 11.2l5.6 5.6-1.4 1.4-5.6-5.6A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"/>'
  )
});

const unitTestIcon = new LabIcon({
  name: 'dbt-workbench:unit-test',
  svgstr: svg(
    '<path class="jp-icon3" fill="#616161" d="M8 2h8v2h-1v5.3l5.4 9.4A2.2 2.2 0 0 1 18.5 22h-13a2.2 2.2 0 0 1-1.9-3.3L9 9.3V4H8zm3 2v5.8L8.3 14.5h7.4L13 9.8V4z"/>'
  )
});

const genericNodeIcon = new LabIcon({
  name: 'dbt-workbench:node',
  svgstr: svg(
    '<path class="jp-icon3" fill="#616161" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5zM6 4v16h12V11h-7V4z"/>'
  )
});

const ICONS: Record<string, LabIcon> = {
  model: modelIcon,
  source: sourceIcon,
  seed: seedIcon,
  snapshot: snapshotIcon,
  test: testIcon,
  exposure: exposureIcon,
  analysis: analysisIcon,
  unit_test: unitTestIcon
};

/** The icon of a dbt resource type (a generic one for unknown types). */
export function resourceIcon(resourceType: string): LabIcon {
  return ICONS[resourceType] ?? genericNodeIcon;
}
