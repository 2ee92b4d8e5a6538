/**
 * Run and test statuses reduced to the few states the UI shows.
 */

/** The statuses a badge can show, from the most to the least severe. */
export type DisplayStatus = 'error' | 'warn' | 'skipped' | 'pass' | 'none';

const RANK: Record<DisplayStatus, number> = {
  error: 4,
  warn: 3,
  skipped: 2,
  pass: 1,
  none: 0
};

/**
 * Map any dbt status (run result, test result or source freshness) to a
 * display status; unknown or missing statuses become `none`.
 */
export function normalizeStatus(raw: string | null | undefined): DisplayStatus {
  switch ((raw ?? '').trim().toLowerCase()) {
    case 'success':
    case 'pass':
      return 'pass';
    case 'warn':
      return 'warn';
    case 'error':
    case 'fail':
    case 'runtime error':
    case 'partial success':
      return 'error';
    case 'skipped':
    case 'skip':
      return 'skipped';
    default:
      return 'none';
  }
}

/** The severity of a status: higher is worse. */
export function statusRank(status: DisplayStatus): number {
  return RANK[status];
}

/** The most severe of some raw statuses. */
export function worstStatus(
  statuses: Iterable<string | null | undefined>
): DisplayStatus {
  let worst: DisplayStatus = 'none';
  for (const raw of statuses) {
    const status = normalizeStatus(raw);
    if (RANK[status] > RANK[worst]) {
      worst = status;
    }
  }
  return worst;
}

/** A node's badge: its worst status with a sentence explaining it. */
export interface INodeBadge {
  status: DisplayStatus;
  title: string;
}

/**
 * The badge of a node from its latest run status and its worst test status;
 * a passing model with a failing test shows the failure.
 */
export function nodeBadge(node: {
  status: string | null;
  test_status: string | null;
}): INodeBadge {
  const parts: string[] = [];
  if (node.status) {
    parts.push(`Last run: ${node.status}`);
  }
  if (node.test_status) {
    parts.push(`Tests: ${node.test_status}`);
  }
  return {
    status: worstStatus([node.status, node.test_status]),
    title: parts.length ? parts.join(' · ') : 'No run results yet'
  };
}
