import React from 'react';

import { formatDuration } from '../format';
import {
  INodeRunState,
  nodeName,
  nodeStatusColor,
  nodeTone,
  timeline
} from '../model/runs';

/** The most bars drawn; a longer run shows its first ones. */
const MAX_BARS = 500;

/** Props of {@link RunTimeline}. */
export interface IRunTimelineProps {
  nodes: readonly INodeRunState[];
  /** The current time in ms: nodes still running extend to it. */
  now: number;
  onOpenNode: (uniqueId: string) => void;
}

/** One bar per node from its start to its finish, coloured by status. */
export function RunTimeline(props: IRunTimelineProps): JSX.Element {
  const { bars, span } = timeline(props.nodes, props.now);
  if (bars.length === 0) {
    return <p className="jp-DbtWorkbench-muted">No node has started yet.</p>;
  }
  return (
    <div className="jp-DbtWorkbench-timeline">
      <div className="jp-DbtWorkbench-timelineScale">
        <span>0 s</span>
        <span>{formatDuration(span)}</span>
      </div>
      {bars.slice(0, MAX_BARS).map(bar => (
        <div
          key={bar.node.unique_id}
          className="jp-DbtWorkbench-timelineRow"
          data-unique-id={bar.node.unique_id}
        >
          <a
            href="#"
            className="jp-DbtWorkbench-timelineLabel"
            title={bar.node.unique_id}
            onClick={event => {
              event.preventDefault();
              props.onOpenNode(bar.node.unique_id);
            }}
          >
            {nodeName(bar.node)}
          </a>
          <div className="jp-DbtWorkbench-timelineTrack">
            <div
              className="jp-DbtWorkbench-timelineBar"
              data-tone={nodeTone(bar.node.status)}
              style={{
                left: `${bar.left}%`,
                width: `${bar.width}%`,
                background: nodeStatusColor(bar.node.status)
              }}
              title={`${bar.node.status ?? 'pending'} · ${formatDuration(bar.seconds)}`}
            />
          </div>
        </div>
      ))}
      {bars.length > MAX_BARS ? (
        <p className="jp-DbtWorkbench-muted">
          Showing the first {MAX_BARS} of {bars.length} nodes.
        </p>
      ) : null}
    </div>
  );
}
