import React from 'react';

import type { IConstraintInfo, IContractInfo } from '../tokens';

/** A constraint in a few words, e.g. `check (amount >= 0)`. */
export function constraintText(constraint: IConstraintInfo): string {
  const parts = [constraint.type.replace(/_/g, ' ')];
  if (constraint.expression) {
    parts.push(`(${constraint.expression})`);
  }
  if (constraint.to) {
    const columns = constraint.to_columns.join(', ');
    parts.push(`→ ${constraint.to}${columns ? ` (${columns})` : ''}`);
  }
  if (constraint.name) {
    parts.push(`"${constraint.name}"`);
  }
  return parts.join(' ');
}

/** A model's contract and its model-level constraints. */
export function ContractFacts(props: {
  contract: IContractInfo | null;
  constraints: readonly IConstraintInfo[];
}): JSX.Element {
  const { contract, constraints } = props;
  return (
    <div className="jp-DbtWorkbench-contract">
      <p data-enforced={contract?.enforced ? 'true' : 'false'}>
        {contract?.enforced
          ? 'The contract is enforced: dbt checks the column names and types below on every build.'
          : 'No enforced contract: the columns below are documentation, not checked by dbt.'}
      </p>
      {constraints.length ? (
        <ul className="jp-DbtWorkbench-constraints">
          {constraints.map((constraint, index) => (
            <li key={index}>
              {constraintText(constraint)}
              {constraint.columns.length ? (
                <span className="jp-DbtWorkbench-muted">
                  {' '}
                  on {constraint.columns.join(', ')}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
