/**
 * Side-by-side alignment of two versions of a text file: a line diff
 * (Myers' O(ND) algorithm) turned into rows of old | new lines.
 */

/** How a row of the side-by-side view differs. */
export type RowKind = 'equal' | 'changed' | 'removed' | 'added' | 'hunk';

/** One row of the side-by-side view; null on the side without a line. */
export interface IDiffRow {
  kind: RowKind;
  oldNo: number | null;
  newNo: number | null;
  oldText: string | null;
  newText: string | null;
}

/** One step of a line edit script, with indexes into the old and new lines. */
export interface IEdit {
  op: 'equal' | 'delete' | 'insert';
  oldIndex: number;
  newIndex: number;
}

/**
 * Above this many differing lines the diff stops searching for the shortest
 * edit script and shows the rest as one replaced block, so a rewritten file
 * of thousands of lines still opens at once.
 */
export const MAX_EDITS = 2000;

/** The lines of a text; a final newline does not start an empty line. */
export function splitLines(text: string | null): string[] {
  if (!text) {
    return [];
  }
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/**
 * The shortest edit script turning `before` into `after` (deletes before
 * inserts within a changed block), or an approximate one when more than
 * `maxEdits` lines differ.
 */
export function diffLines(
  before: readonly string[],
  after: readonly string[],
  maxEdits = MAX_EDITS
): IEdit[] {
  let start = 0;
  while (
    start < before.length &&
    start < after.length &&
    before[start] === after[start]
  ) {
    start++;
  }
  let endOld = before.length;
  let endNew = after.length;
  while (
    endOld > start &&
    endNew > start &&
    before[endOld - 1] === after[endNew - 1]
  ) {
    endOld--;
    endNew--;
  }
  const edits: IEdit[] = [];
  for (let i = 0; i < start; i++) {
    edits.push({ op: 'equal', oldIndex: i, newIndex: i });
  }
  const middle = myers(
    before.slice(start, endOld),
    after.slice(start, endNew),
    maxEdits
  );
  for (const edit of middle) {
    edits.push({
      op: edit.op,
      oldIndex: edit.oldIndex + start,
      newIndex: edit.newIndex + start
    });
  }
  for (let i = 0; endOld + i < before.length; i++) {
    edits.push({ op: 'equal', oldIndex: endOld + i, newIndex: endNew + i });
  }
  return edits;
}

/**
 * Myers' greedy forward search, keeping each step's furthest reaching paths
 * (only diagonals -d..d, so memory grows with the square of the edit count,
 * not with the file size) to walk the script back.
 */
function myers(a: string[], b: string[], maxEdits: number): IEdit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    return replaced(n, m);
  }
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return backtrack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return replaced(n, m);
}

/** Every old line deleted, then every new line inserted. */
function replaced(n: number, m: number): IEdit[] {
  const edits: IEdit[] = [];
  for (let i = 0; i < n; i++) {
    edits.push({ op: 'delete', oldIndex: i, newIndex: 0 });
  }
  for (let j = 0; j < m; j++) {
    edits.push({ op: 'insert', oldIndex: n, newIndex: j });
  }
  return edits;
}

function backtrack(trace: Int32Array[], n: number, m: number): IEdit[] {
  const edits: IEdit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1];
    // `previous` holds diagonals -(d-1)..(d-1) at indexes 0..2d-2.
    const at = (k: number): number => previous[k + d - 1];
    const k = x - y;
    const prevK =
      k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: 'equal', oldIndex: x, newIndex: y });
    }
    if (x === prevX) {
      y--;
      edits.push({ op: 'insert', oldIndex: x, newIndex: y });
    } else {
      x--;
      edits.push({ op: 'delete', oldIndex: x, newIndex: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    edits.push({ op: 'equal', oldIndex: x, newIndex: y });
  }
  edits.reverse();
  return sortBlocks(edits);
}

/** Within each run of non-equal edits, put the deletes first. */
function sortBlocks(edits: IEdit[]): IEdit[] {
  const result: IEdit[] = [];
  let deletes: IEdit[] = [];
  let inserts: IEdit[] = [];
  const flush = (): void => {
    result.push(...deletes, ...inserts);
    deletes = [];
    inserts = [];
  };
  for (const edit of edits) {
    if (edit.op === 'equal') {
      flush();
      result.push(edit);
    } else if (edit.op === 'delete') {
      deletes.push(edit);
    } else {
      inserts.push(edit);
    }
  }
  flush();
  return result;
}

/**
 * The rows of a side-by-side view of two texts: equal lines face each other,
 * and in a changed block the n-th removed line faces the n-th added one.
 */
export function alignSideBySide(
  oldText: string | null,
  newText: string | null,
  maxEdits = MAX_EDITS
): IDiffRow[] {
  const before = splitLines(oldText);
  const after = splitLines(newText);
  const rows: IDiffRow[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = (): void => {
    const count = Math.max(removed.length, added.length);
    for (let i = 0; i < count; i++) {
      const o = i < removed.length ? removed[i] : null;
      const n = i < added.length ? added[i] : null;
      rows.push({
        kind: o === null ? 'added' : n === null ? 'removed' : 'changed',
        oldNo: o === null ? null : o + 1,
        newNo: n === null ? null : n + 1,
        oldText: o === null ? null : before[o],
        newText: n === null ? null : after[n]
      });
    }
    removed = [];
    added = [];
  };
  for (const edit of diffLines(before, after, maxEdits)) {
    if (edit.op === 'delete') {
      removed.push(edit.oldIndex);
    } else if (edit.op === 'insert') {
      added.push(edit.newIndex);
    } else {
      flush();
      rows.push({
        kind: 'equal',
        oldNo: edit.oldIndex + 1,
        newNo: edit.newIndex + 1,
        oldText: before[edit.oldIndex],
        newText: after[edit.newIndex]
      });
    }
  }
  flush();
  return rows;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/**
 * The side-by-side rows of a unified patch, for files whose whole contents
 * the server does not send (larger than 1 MB): only the hunks, each headed by
 * a `hunk` row.
 */
export function rowsFromPatch(patch: string): IDiffRow[] {
  const rows: IDiffRow[] = [];
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  let removed: string[] = [];
  let added: string[] = [];
  let removedStart = 0;
  let addedStart = 0;
  const flush = (): void => {
    const count = Math.max(removed.length, added.length);
    for (let i = 0; i < count; i++) {
      const hasOld = i < removed.length;
      const hasNew = i < added.length;
      rows.push({
        kind: !hasOld ? 'added' : !hasNew ? 'removed' : 'changed',
        oldNo: hasOld ? removedStart + i : null,
        newNo: hasNew ? addedStart + i : null,
        oldText: hasOld ? removed[i] : null,
        newText: hasNew ? added[i] : null
      });
    }
    removed = [];
    added = [];
  };
  for (const line of splitLines(patch)) {
    const header = HUNK.exec(line);
    if (header) {
      flush();
      oldNo = Number(header[1]);
      newNo = Number(header[2]);
      inHunk = true;
      rows.push({
        kind: 'hunk',
        oldNo: null,
        newNo: null,
        oldText: line,
        newText: line
      });
    } else if (!inHunk || line.startsWith('\\')) {
      // File headers before the first hunk; "\ No newline at end of file".
      continue;
    } else if (line.startsWith('-')) {
      if (removed.length === 0) {
        removedStart = oldNo;
      }
      removed.push(line.slice(1));
      oldNo++;
    } else if (line.startsWith('+')) {
      if (added.length === 0) {
        addedStart = newNo;
      }
      added.push(line.slice(1));
      newNo++;
    } else {
      flush();
      rows.push({
        kind: 'equal',
        oldNo,
        newNo,
        oldText: line.slice(1),
        newText: line.slice(1)
      });
      oldNo++;
      newNo++;
    }
  }
  flush();
  return rows;
}

/** The indexes of the first row of each block of differing rows. */
export function changeStarts(rows: readonly IDiffRow[]): number[] {
  const starts: number[] = [];
  rows.forEach((row, index) => {
    const differs = row.kind !== 'equal' && row.kind !== 'hunk';
    const previous = index > 0 ? rows[index - 1].kind : 'equal';
    if (differs && (previous === 'equal' || previous === 'hunk')) {
      starts.push(index);
    }
  });
  return starts;
}
