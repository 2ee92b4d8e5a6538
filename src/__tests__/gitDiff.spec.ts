import {
  alignSideBySide,
  changeStarts,
  diffLines,
  IEdit,
  rowsFromPatch,
  splitLines
} from '../git/diff';

/** The new lines rebuilt from the old ones and an edit script. */
function apply(before: string[], after: string[], edits: IEdit[]): string[] {
  const result: string[] = [];
  let oldSeen = 0;
  for (const edit of edits) {
    if (edit.op === 'equal') {
      expect(before[edit.oldIndex]).toBe(after[edit.newIndex]);
      expect(edit.oldIndex).toBe(oldSeen);
      oldSeen++;
      result.push(before[edit.oldIndex]);
    } else if (edit.op === 'delete') {
      expect(edit.oldIndex).toBe(oldSeen);
      oldSeen++;
    } else {
      result.push(after[edit.newIndex]);
    }
  }
  expect(oldSeen).toBe(before.length);
  return result;
}

/** The length of the longest common subsequence, by dynamic programming. */
function lcs(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0)
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i][j] =
        a[i - 1] === b[j - 1]
          ? table[i - 1][j - 1] + 1
          : Math.max(table[i - 1][j], table[i][j - 1]);
    }
  }
  return table[a.length][b.length];
}

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('splitLines', () => {
  it('splits on any line ending and ignores the final newline', () => {
    expect(splitLines('a\r\nb\nc\n')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines(null)).toEqual([]);
  });
});

describe('diffLines', () => {
  it('finds a shortest edit script on random texts', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const words = ['select', 'from', 'where', 'id', 'name', ')'];
      const make = (): string[] =>
        Array.from(
          { length: Math.floor(next() * 14) },
          () => words[Math.floor(next() * words.length)]
        );
      const before = make();
      const after = make();
      const edits = diffLines(before, after);
      expect(apply(before, after, edits)).toEqual(after);
      const changed = edits.filter(edit => edit.op !== 'equal').length;
      expect(changed).toBe(
        before.length + after.length - 2 * lcs(before, after)
      );
    }
  });

  it('stays a valid script past the edit limit', () => {
    const before = Array.from({ length: 300 }, (_, i) => `old ${i}`);
    const after = Array.from({ length: 280 }, (_, i) =>
      i % 3 === 0 ? `old ${i}` : `new ${i}`
    );
    const edits = diffLines(before, after, 10);
    expect(apply(before, after, edits)).toEqual(after);
  });
});

describe('alignSideBySide', () => {
  it('puts a changed line next to its new version', () => {
    const rows = alignSideBySide(
      'select\n  id,\n  name\nfrom users\n',
      'select\n  id,\n  full_name,\n  email\nfrom users\n'
    );
    expect(rows.map(row => row.kind)).toEqual([
      'equal',
      'equal',
      'changed',
      'added',
      'equal'
    ]);
    expect(rows[2]).toEqual({
      kind: 'changed',
      oldNo: 3,
      newNo: 3,
      oldText: '  name',
      newText: '  full_name,'
    });
    expect(rows[3]).toMatchObject({ oldNo: null, oldText: null, newNo: 4 });
    expect(rows[4]).toMatchObject({ oldNo: 4, newNo: 5 });
  });

  it('shows a deleted block with nothing on the new side', () => {
    const rows = alignSideBySide('a\nb\nc\nd\n', 'a\nd\n');
    expect(rows.map(row => [row.kind, row.oldNo, row.newNo])).toEqual([
      ['equal', 1, 1],
      ['removed', 2, null],
      ['removed', 3, null],
      ['equal', 4, 2]
    ]);
  });

  it('shows an added file as added lines only', () => {
    const rows = alignSideBySide(null, 'x\ny\n');
    expect(rows.every(row => row.kind === 'added')).toBe(true);
    expect(rows.map(row => row.newNo)).toEqual([1, 2]);
  });

  it('aligns files of thousands of lines quickly', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const after = before.map((line, i) => (i % 50 === 0 ? `${line} !` : line));
    after.splice(2500, 0, 'inserted');
    const started = Date.now();
    const rows = alignSideBySide(before.join('\n'), after.join('\n'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(rows.filter(row => row.kind === 'changed')).toHaveLength(100);
    expect(rows.filter(row => row.kind === 'added')).toHaveLength(1);
    expect(rows).toHaveLength(5001);
  });

  it('shows a rewritten file as one replaced block', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    const rows = alignSideBySide(before, after);
    expect(rows).toHaveLength(3000);
    expect(rows.every(row => row.kind === 'changed')).toBe(true);
  });
});

describe('rowsFromPatch', () => {
  it('numbers the lines of each hunk from its header', () => {
    const patch = [
      'diff --git a/models/a.sql b/models/a.sql',
      '--- a/models/a.sql',
      '+++ b/models/a.sql',
      '@@ -10,4 +10,4 @@ select',
      ' keep',
      '-old one',
      '+new one',
      '+added',
      ' tail',
      '\\ No newline at end of file'
    ].join('\n');
    const rows = rowsFromPatch(patch);
    expect(rows.map(row => [row.kind, row.oldNo, row.newNo])).toEqual([
      ['hunk', null, null],
      ['equal', 10, 10],
      ['changed', 11, 11],
      ['added', null, 12],
      ['equal', 12, 13]
    ]);
    expect(rows[2]).toMatchObject({ oldText: 'old one', newText: 'new one' });
  });
});

describe('changeStarts', () => {
  it('gives the first row of each changed block', () => {
    const rows = alignSideBySide('a\nb\nc\nd\ne\n', 'a\nB\nc\nd\nE\nF\n');
    expect(changeStarts(rows)).toEqual([1, 4]);
  });
});
