import React from 'react';

import { formatBytes } from '../format';
import type { ICatalogInfo } from '../tokens';

/** A statistic's value as the adapter gave it. */
function statValue(value: unknown): string {
  if (typeof value === 'number') {
    return value.toLocaleString();
  }
  return value === null || value === undefined ? '' : String(value);
}

/**
 * What the warehouse catalog says of the relation: its type, owner, rows,
 * size and any other statistics the adapter reports.
 */
export function CatalogStats(props: {
  catalog: ICatalogInfo | null;
  adapter: string | null;
}): JSX.Element {
  const { catalog } = props;
  if (!catalog) {
    return (
      <p className="jp-DbtWorkbench-muted">
        Not in the catalog: run <code>dbt docs generate</code> after building it
        to read its statistics from the warehouse.
      </p>
    );
  }
  const stats = Object.entries(catalog.stats).filter(
    ([key]) =>
      !['num_rows', 'row_count', 'rows', 'num_bytes', 'bytes'].includes(key)
  );
  const unreported = `not reported by the ${props.adapter ?? 'adapter'} adapter`;
  return (
    <dl className="jp-DbtWorkbench-facts jp-DbtWorkbench-catalogStats">
      <dt>Relation type</dt>
      <dd>{catalog.type ?? 'unknown'}</dd>
      {catalog.owner ? (
        <>
          <dt>Owner</dt>
          <dd>{catalog.owner}</dd>
        </>
      ) : null}
      <dt>Rows</dt>
      <dd data-stat="rows">
        {catalog.rows !== null ? (
          catalog.rows.toLocaleString()
        ) : (
          <span className="jp-DbtWorkbench-muted">{unreported}</span>
        )}
      </dd>
      <dt>Size</dt>
      <dd data-stat="bytes">
        {catalog.bytes !== null ? (
          formatBytes(catalog.bytes)
        ) : (
          <span className="jp-DbtWorkbench-muted">{unreported}</span>
        )}
      </dd>
      {stats.map(([key, stat]) => {
        const { label, value } = (stat ?? {}) as {
          label?: string;
          value?: unknown;
        };
        return (
          <React.Fragment key={key}>
            <dt>{label ?? key}</dt>
            <dd>{statValue(value)}</dd>
          </React.Fragment>
        );
      })}
    </dl>
  );
}
