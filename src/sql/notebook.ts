/**
 * "Open as DataFrame": the notebook cell that reruns a workspace query with
 * the `%%dbt_sql` magic, and which project a file belongs to.
 */

/** A shell-safe word for the magic's argument line. */
function quoteArgument(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The first cell of the DataFrame notebook: `%%dbt_sql -o df` and the
 * query. The notebook is created in the server root, so a project in a
 * sub-folder is named with `--project` (relative to the root).
 */
export function dataFrameCell(sql: string, projectPath: string | null): string {
  const project =
    projectPath && projectPath !== '.' && projectPath !== ''
      ? ` --project ${quoteArgument(projectPath)}`
      : '';
  return `%%dbt_sql -o df${project}\n${sql.trim()}\n`;
}

/**
 * The cell that registers the workbench magics in the kernel: a cell magic
 * must start its cell, so `%load_ext` cannot share the `%%dbt_sql` cell.
 */
export const LOAD_MAGICS_CELL = '%load_ext jupyterlab_dbt_workbench';

/** An nbformat 4 notebook of code cells, one per source. */
export function dataFrameNotebook(
  source: string | readonly string[],
  kernel: { name: string; display_name: string } | null
): Record<string, unknown> {
  const sources = typeof source === 'string' ? [source] : source;
  return {
    cells: sources.map(text => ({
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: text
    })),
    metadata: kernel ? { kernelspec: { ...kernel, language: 'python' } } : {},
    nbformat: 4,
    nbformat_minor: 5
  };
}

/**
 * The project holding `filePath` (both relative to the server root): the
 * one with the longest matching folder; null when none does.
 */
export function projectForPath(
  projects: readonly { id: string; path: string }[],
  filePath: string
): string | null {
  let best: { id: string; length: number } | null = null;
  for (const project of projects) {
    const folder = project.path === '.' ? '' : project.path.replace(/\/+$/, '');
    const inside = folder === '' || filePath.startsWith(`${folder}/`);
    if (inside && (best === null || folder.length > best.length)) {
      best = { id: project.id, length: folder.length };
    }
  }
  return best?.id ?? null;
}
