import React from 'react';

/** The text box that filters the tree (the caller debounces). */
export function FilterBox(props: {
  value: string;
  onChange: (text: string) => void;
}): JSX.Element {
  return (
    <input
      className="jp-DbtWorkbench-filter jp-mod-styled"
      type="search"
      placeholder="Filter the tree by name, tag or path"
      aria-label="Filter nodes"
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
    />
  );
}
