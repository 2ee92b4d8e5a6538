import React from 'react';

/** A card of the dashboard: a title, an optional big figure, and details. */
export function DashboardCard(props: {
  title: string;
  /** The card's id for tests and styling, e.g. `tests`. */
  name: string;
  figure?: React.ReactNode;
  status?: string;
  children?: React.ReactNode;
  wide?: boolean;
}): JSX.Element {
  return (
    <section
      className={`jp-DbtWorkbench-card${props.wide ? ' jp-DbtWorkbench-cardWide' : ''}`}
      data-card={props.name}
      data-status={props.status}
    >
      <h2>{props.title}</h2>
      {props.figure !== undefined ? (
        <div className="jp-DbtWorkbench-cardFigure">{props.figure}</div>
      ) : null}
      {props.children}
    </section>
  );
}
