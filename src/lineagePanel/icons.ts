/**
 * The lineage panel's icon, themed with JupyterLab's `jp-icon*` classes.
 */
import { LabIcon } from '@jupyterlab/ui-components';

/** Three boxes joined left to right: a small DAG. */
export const lineageIcon = new LabIcon({
  name: 'dbt-workbench:lineage',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<rect x="1" y="9" width="6" height="6" rx="1"/>' +
    '<rect x="17" y="3" width="6" height="6" rx="1"/>' +
    '<rect x="17" y="15" width="6" height="6" rx="1"/>' +
    '<path d="M7 11.2h3.2V6h6.8v2h-4.8v3.2H7zM7 12.8h3.2V18h6.8v-2h-4.8v-3.2H7z"/>' +
    '</g></svg>'
});
