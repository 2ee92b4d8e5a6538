import { IColumnEdit, IEditableNode, IMetadataEdit } from './types';

/** What the edit form holds: text fields, tags as typed. */
export interface IDraft {
  description: string;
  tags: string;
  owner: string;
  columns: Record<string, { description: string; tags: string }>;
}

/** Tags typed as "a, b c" → ["a", "b", "c"], without duplicates. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const tag of text.split(/[\s,]+/)) {
    if (tag && !tags.includes(tag)) {
      tags.push(tag);
    }
  }
  return tags;
}

/** The form's starting values. */
export function draftOf(node: IEditableNode): IDraft {
  const columns: IDraft['columns'] = {};
  for (const column of node.columns) {
    columns[column.name] = {
      description: column.description,
      tags: column.tags.join(', ')
    };
  }
  return {
    description: node.description,
    tags: node.tags.join(', '),
    owner: node.owner ?? '',
    columns
  };
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

/**
 * The edit to send: only what differs from the file, so untouched fields
 * stay exactly as written. `null` when nothing changed.
 */
export function editOf(
  node: IEditableNode,
  draft: IDraft
): IMetadataEdit | null {
  const edit: IMetadataEdit = { project: node.project, node: node.node };
  let changed = false;
  if (draft.description.trim() !== node.description.trim()) {
    edit.description = draft.description;
    changed = true;
  }
  const tags = parseTags(draft.tags);
  if (!sameTags(tags, node.tags)) {
    edit.tags = tags;
    changed = true;
  }
  if (draft.owner.trim() !== (node.owner ?? '')) {
    edit.owner = draft.owner.trim();
    changed = true;
  }
  const columns: IColumnEdit[] = [];
  for (const column of node.columns) {
    const value = draft.columns[column.name];
    if (!value) {
      continue;
    }
    const change: IColumnEdit = { name: column.name };
    if (value.description.trim() !== column.description.trim()) {
      change.description = value.description;
    }
    const columnTags = parseTags(value.tags);
    if (!sameTags(columnTags, column.tags)) {
      change.tags = columnTags;
    }
    if (change.description !== undefined || change.tags !== undefined) {
      columns.push(change);
    }
  }
  if (columns.length) {
    edit.columns = columns;
    changed = true;
  }
  return changed ? edit : null;
}
