import React from 'react';

import { FIELD_LABELS, highlightSegments, nameHighlights } from './highlight';
import type { ISearchHit } from './types';

/** Text with the matched pieces in `<mark>`. */
export function Highlighted(props: {
  text: string;
  ranges: readonly (readonly number[])[];
}): JSX.Element {
  return (
    <>
      {highlightSegments(props.text, props.ranges).map((segment, index) =>
        segment.match ? (
          <mark key={index} className="jp-DbtWorkbench-searchMark">
            {segment.text}
          </mark>
        ) : (
          <React.Fragment key={index}>{segment.text}</React.Fragment>
        )
      )}
    </>
  );
}

/** The resource type as a small label. */
export function TypeBadge(props: { type: string }): JSX.Element {
  return (
    <span className="jp-DbtWorkbench-searchType" data-type={props.type}>
      {props.type.replace(/_/g, ' ')}
    </span>
  );
}

/** A hit's name, with the match marked when it matched the whole name. */
export function HitName(props: { hit: ISearchHit }): JSX.Element {
  const { hit } = props;
  return (
    <span className="jp-DbtWorkbench-searchName" title={hit.unique_id}>
      <Highlighted text={hit.name} ranges={nameHighlights(hit)} />
    </span>
  );
}

/**
 * Where a hit matched: the field (and column for column hits) and the
 * snippet with the match marked. Nothing when the name already shows it.
 */
export function HitSnippet(props: { hit: ISearchHit }): JSX.Element | null {
  const { match } = props.hit;
  if (!match || nameHighlights(props.hit).length > 0) {
    return null;
  }
  const showColumn = match.column !== null && match.column !== match.snippet;
  return (
    <span className="jp-DbtWorkbench-searchSnippet">
      <span className="jp-DbtWorkbench-searchField">
        {FIELD_LABELS[match.field] ?? match.field}
        {showColumn ? (
          <>
            {' '}
            <code>{match.column}</code>
          </>
        ) : null}
      </span>{' '}
      <Highlighted text={match.snippet} ranges={match.highlights} />
    </span>
  );
}
