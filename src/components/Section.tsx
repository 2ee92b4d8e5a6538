import React from 'react';

/** A titled section of a page. */
export function Section(props: {
  title: string;
  children: React.ReactNode;
  className?: string;
}): JSX.Element {
  return (
    <section
      className={`jp-DbtWorkbench-section ${props.className ?? ''}`.trim()}
    >
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
