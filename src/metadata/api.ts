import { requestAPI } from '../request';
import {
  IEditableNode,
  IMetadataApplied,
  IMetadataEdit,
  IMetadataPreview,
  IMetadataSettings,
  IQualitySuggestions
} from './types';

/** Whether this server allows metadata edits. */
export function fetchSettings(): Promise<IMetadataSettings> {
  return requestAPI<IMetadataSettings>('metadata/settings');
}

/** A node's properties as its YAML file has them. */
export function fetchEditable(
  project: string,
  node: string
): Promise<IEditableNode> {
  return requestAPI<IEditableNode>('metadata/node', {}, { project, node });
}

/** The diff an edit would make, and the base token to apply it. */
export function previewEdit(edit: IMetadataEdit): Promise<IMetadataPreview> {
  return requestAPI<IMetadataPreview>('metadata/preview', {
    method: 'POST',
    body: JSON.stringify(edit)
  });
}

/** Write a previewed edit; fails with 409 `file_changed` if the file moved on. */
export function applyEdit(
  edit: IMetadataEdit,
  base: string
): Promise<IMetadataApplied> {
  return requestAPI<IMetadataApplied>('metadata/apply', {
    method: 'POST',
    body: JSON.stringify({ ...edit, base })
  });
}

/** Profile a node in the warehouse and suggest tests. */
export function fetchSuggestions(
  project: string,
  node: string
): Promise<IQualitySuggestions> {
  return requestAPI<IQualitySuggestions>(
    'quality/suggestions',
    {},
    { project, node }
  );
}
