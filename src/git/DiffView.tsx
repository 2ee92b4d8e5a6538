import React, { useEffect, useMemo, useRef, useState } from 'react';

import { errorMessage } from '../notify';
import { alignSideBySide, changeStarts, IDiffRow, rowsFromPatch } from './diff';
import type { IFileDiff } from './types';

/** The height of one row in px; the CSS gives rows exactly this height. */
const ROW_HEIGHT = 20;

/** Rows drawn above and below the visible ones, so scrolling stays smooth. */
const OVERSCAN = 30;

/** The rows of a diff: from both whole texts, else from the patch. */
export function diffRows(diff: IFileDiff): IDiffRow[] {
  const complete =
    diff.change === 'added'
      ? diff.new_text !== null
      : diff.change === 'deleted'
        ? diff.old_text !== null
        : diff.old_text !== null && diff.new_text !== null;
  return complete
    ? alignSideBySide(diff.old_text, diff.new_text)
    : rowsFromPatch(diff.patch);
}

/** Props of {@link DiffPanel}. */
export interface IDiffPanelProps {
  /** Read the diff; called again by the Reload button. */
  load: () => Promise<IFileDiff>;
  /** Whether a Reload button makes sense (working tree diffs). */
  reloadable: boolean;
}

/** A main-area page: a file's diff, side by side. */
export function DiffPanel(props: IDiffPanelProps): JSX.Element {
  const [diff, setDiff] = useState<IFileDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    props.load().then(
      value => live && (setDiff(value), setError(null)),
      reason => live && setError(errorMessage(reason))
    );
    return () => {
      live = false;
    };
  }, [props.load, generation]);

  const reload = props.reloadable ? (
    <button
      className="jp-Button jp-mod-styled jp-mod-reject"
      onClick={() => setGeneration(generation + 1)}
    >
      Reload
    </button>
  ) : null;
  if (error) {
    return (
      <div className="jp-DbtWorkbench-gitDiffPage" role="alert">
        <p className="jp-DbtWorkbench-gitEmpty">{error}</p>
        {reload}
      </div>
    );
  }
  if (!diff) {
    return (
      <div className="jp-DbtWorkbench-gitDiffPage">
        <p className="jp-DbtWorkbench-gitEmpty">Reading the diff…</p>
      </div>
    );
  }
  return <DiffView diff={diff} toolbar={reload} />;
}

/** A side-by-side diff: old | new with line numbers, virtualized. */
export function DiffView(props: {
  diff: IFileDiff;
  toolbar?: React.ReactNode;
}): JSX.Element {
  const { diff } = props;
  const rows = useMemo(() => (diff.binary ? [] : diffRows(diff)), [diff]);
  const starts = useMemo(() => changeStarts(rows), [rows]);
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    setHeight(element.clientHeight || 600);
    const observer = new ResizeObserver(() =>
      setHeight(element.clientHeight || 600)
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const jump = (direction: 1 | -1): void => {
    const element = scroller.current;
    if (!element || starts.length === 0) {
      return;
    }
    // The change whose first row is just after (or before) the top row.
    const current = Math.round(element.scrollTop / ROW_HEIGHT) + 2;
    const target =
      direction > 0
        ? (starts.find(index => index > current) ?? starts[0])
        : ([...starts].reverse().find(index => index < current - 2) ??
          starts[starts.length - 1]);
    element.scrollTop = Math.max(0, (target - 2) * ROW_HEIGHT);
  };

  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    rows.length,
    Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN
  );
  const title = diff.old_path ? `${diff.old_path} → ${diff.path}` : diff.path;

  return (
    <div className="jp-DbtWorkbench-gitDiffPage" data-change={diff.change}>
      <div className="jp-DbtWorkbench-gitDiffToolbar">
        <span className="jp-DbtWorkbench-gitDiffTitle" title={title}>
          {title}
        </span>
        <span className="jp-DbtWorkbench-gitDiffCounts">
          <span data-kind="added">+{diff.additions}</span>{' '}
          <span data-kind="removed">−{diff.deletions}</span>
        </span>
        <button
          className="jp-Button jp-mod-styled jp-mod-reject"
          disabled={starts.length === 0}
          title="Previous change"
          onClick={() => jump(-1)}
        >
          ↑ Previous
        </button>
        <button
          className="jp-Button jp-mod-styled jp-mod-reject"
          disabled={starts.length === 0}
          title="Next change"
          onClick={() => jump(1)}
        >
          ↓ Next
        </button>
        {props.toolbar}
      </div>
      {diff.binary ? (
        <p className="jp-DbtWorkbench-gitEmpty">Binary file: no text diff.</p>
      ) : rows.length === 0 ? (
        <p className="jp-DbtWorkbench-gitEmpty">No line differs.</p>
      ) : (
        <div
          ref={scroller}
          className="jp-DbtWorkbench-gitDiffScroll"
          data-rows={rows.length}
          onScroll={event => setTop(event.currentTarget.scrollTop)}
        >
          <div
            className="jp-DbtWorkbench-gitDiffCanvas"
            style={{ height: rows.length * ROW_HEIGHT }}
          >
            <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
              {rows.slice(first, last).map((row, index) => (
                <DiffRowView key={first + index} row={row} />
              ))}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

function DiffRowView(props: { row: IDiffRow }): JSX.Element {
  const { row } = props;
  if (row.kind === 'hunk') {
    return (
      <div className="jp-DbtWorkbench-gitDiffRow" data-kind="hunk">
        <span className="jp-DbtWorkbench-gitDiffHunk">{row.oldText}</span>
      </div>
    );
  }
  const oldKind = row.kind === 'added' ? 'empty' : row.kind;
  const newKind = row.kind === 'removed' ? 'empty' : row.kind;
  return (
    <div className="jp-DbtWorkbench-gitDiffRow" data-kind={row.kind}>
      <span className="jp-DbtWorkbench-gitDiffNo" data-side="old">
        {row.oldNo ?? ''}
      </span>
      <span
        className="jp-DbtWorkbench-gitDiffText"
        data-side="old"
        data-kind={oldKind}
        title={row.oldText && row.oldText.length > 80 ? row.oldText : undefined}
      >
        {row.oldText ?? ''}
      </span>
      <span className="jp-DbtWorkbench-gitDiffNo" data-side="new">
        {row.newNo ?? ''}
      </span>
      <span
        className="jp-DbtWorkbench-gitDiffText"
        data-side="new"
        data-kind={newKind}
        title={row.newText && row.newText.length > 80 ? row.newText : undefined}
      >
        {row.newText ?? ''}
      </span>
    </div>
  );
}
