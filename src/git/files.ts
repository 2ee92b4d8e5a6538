/**
 * Pure helpers over the changed files of a Git status.
 */
import type { IChangedFile } from './types';

/** The groups of the changed-files list, in the order it shows them. */
export type FileGroup = 'conflicted' | 'staged' | 'changes' | 'untracked';

export const GROUP_TITLES: Record<FileGroup, string> = {
  conflicted: 'Conflicted',
  staged: 'Staged',
  changes: 'Changes',
  untracked: 'Untracked'
};

export const GROUP_ORDER: readonly FileGroup[] = [
  'conflicted',
  'staged',
  'changes',
  'untracked'
];

/**
 * Sort changed files into the groups a user acts on. A file with staged and
 * further unstaged edits is in both Staged and Changes, as `git status` says;
 * a conflicted file is only in Conflicted until it is resolved.
 */
export function groupFiles(
  files: readonly IChangedFile[]
): Record<FileGroup, IChangedFile[]> {
  const groups: Record<FileGroup, IChangedFile[]> = {
    conflicted: [],
    staged: [],
    changes: [],
    untracked: []
  };
  for (const file of files) {
    if (file.conflicted) {
      groups.conflicted.push(file);
    } else if (file.untracked) {
      groups.untracked.push(file);
    } else {
      if (file.staged) {
        groups.staged.push(file);
      }
      if (file.unstaged) {
        groups.changes.push(file);
      }
    }
  }
  for (const list of Object.values(groups)) {
    list.sort((a, b) => a.path.localeCompare(b.path));
  }
  return groups;
}

const LETTER_TITLES: Record<string, string> = {
  M: 'Modified',
  A: 'Added',
  D: 'Deleted',
  R: 'Renamed',
  C: 'Copied',
  T: 'Type changed',
  U: 'Conflicted',
  '?': 'Untracked'
};

/** The status letter a file shows in a group, with its meaning. */
export function statusLetter(
  file: IChangedFile,
  group: FileGroup
): { letter: string; title: string } {
  if (group === 'conflicted') {
    return { letter: 'C', title: 'Conflicted: resolve, then stage' };
  }
  if (group === 'untracked') {
    return { letter: 'U', title: 'Untracked' };
  }
  const letter = (group === 'staged' ? file.index : file.worktree).trim();
  return {
    letter: letter || 'M',
    title: LETTER_TITLES[letter] ?? 'Modified'
  };
}

/** A path's file name and the folder it is in ('' at the top). */
export function splitPath(path: string): { name: string; folder: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0
    ? { name: path, folder: '' }
    : { name: path.slice(slash + 1), folder: path.slice(0, slash) };
}
