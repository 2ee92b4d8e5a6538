import { groupFiles, splitPath, statusLetter } from '../git/files';
import { syncFailure } from '../git/api';
import { WorkbenchAPIError } from '../request';
import type { IChangedFile } from '../git/types';

function file(path: string, fields: Partial<IChangedFile>): IChangedFile {
  return {
    path,
    old_path: null,
    index: ' ',
    worktree: ' ',
    staged: false,
    unstaged: false,
    untracked: false,
    conflicted: false,
    in_project: true,
    ...fields
  };
}

describe('groupFiles', () => {
  const files = [
    file('models/z.sql', { worktree: 'M', unstaged: true }),
    file('models/both.sql', {
      index: 'M',
      worktree: 'M',
      staged: true,
      unstaged: true
    }),
    file('models/a.sql', { index: 'A', staged: true }),
    file('notes.txt', { index: '?', worktree: '?', untracked: true }),
    file('models/c.sql', {
      index: 'U',
      worktree: 'U',
      staged: true,
      unstaged: true,
      conflicted: true
    })
  ];

  it('lists a file with staged and further edits under Staged and Changes', () => {
    const groups = groupFiles(files);
    expect(groups.staged.map(f => f.path)).toEqual([
      'models/a.sql',
      'models/both.sql'
    ]);
    expect(groups.changes.map(f => f.path)).toEqual([
      'models/both.sql',
      'models/z.sql'
    ]);
  });

  it('keeps conflicted and untracked files in their own groups only', () => {
    const groups = groupFiles(files);
    expect(groups.conflicted.map(f => f.path)).toEqual(['models/c.sql']);
    expect(groups.untracked.map(f => f.path)).toEqual(['notes.txt']);
  });
});

describe('statusLetter', () => {
  it('shows the index letter when staged and the worktree letter otherwise', () => {
    const renamed = file('b.sql', {
      index: 'R',
      worktree: 'D',
      staged: true,
      unstaged: true
    });
    expect(statusLetter(renamed, 'staged')).toEqual({
      letter: 'R',
      title: 'Renamed'
    });
    expect(statusLetter(renamed, 'changes').letter).toBe('D');
    expect(statusLetter(renamed, 'conflicted').letter).toBe('C');
  });
});

describe('splitPath', () => {
  it('splits the file name from its folder', () => {
    expect(splitPath('models/marts/orders.sql')).toEqual({
      name: 'orders.sql',
      folder: 'models/marts'
    });
    expect(splitPath('README.md')).toEqual({ name: 'README.md', folder: '' });
  });
});

describe('syncFailure', () => {
  it('says a rejected push needs a pull first', () => {
    const error = new WorkbenchAPIError(
      'The remote has commits you do not have: fetch and pull first.',
      409,
      'push_rejected'
    );
    expect(syncFailure('push', error)).toBe(
      'Push rejected: The remote has commits you do not have: fetch and pull first.'
    );
  });

  it('names the action for any other failure', () => {
    const error = new WorkbenchAPIError(
      'Authentication failed for origin.',
      401,
      'git_auth_failed'
    );
    expect(syncFailure('fetch', error)).toBe(
      'Fetch failed: Authentication failed for origin.'
    );
  });
});
