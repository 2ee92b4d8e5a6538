/**
 * Payloads of the metadata and quality routes; they mirror
 * jupyterlab_dbt_workbench/metadata/payloads.py and quality/payloads.py.
 */

export interface IMetadataSettings {
  allow_edits: boolean;
  message: string | null;
}

export interface IEditableColumn {
  name: string;
  description: string;
  tags: string[];
  tests: string[];
  in_file: boolean;
}

export interface IEditableNode {
  project: string;
  node: string;
  name: string;
  resource_type: string;
  file: string;
  file_exists: boolean;
  in_file: boolean;
  description: string;
  tags: string[];
  owner: string | null;
  effective_tags: string[];
  effective_owner: string | null;
  columns: IEditableColumn[];
  allow_edits: boolean;
}

/** A generic test to add to a column. */
export interface IGenericTest {
  name: string;
  arguments?: Record<string, unknown>;
}

export interface IColumnEdit {
  name: string;
  description?: string;
  tags?: string[];
  add_tests?: IGenericTest[];
}

/** The body of POST metadata/preview (and, with `base`, metadata/apply). */
export interface IMetadataEdit {
  project: string;
  node: string;
  description?: string;
  tags?: string[];
  owner?: string;
  columns?: IColumnEdit[];
}

export interface IMetadataPreview {
  project: string;
  node: string;
  file: string;
  created: boolean;
  changed: boolean;
  diff: string;
  base: string;
}

export interface IMetadataApplied {
  project: string;
  node: string;
  file: string;
  created: boolean;
  changed: boolean;
  diff: string;
  sha256: string;
  message: string;
}

export interface IValueCount {
  value: string | null;
  count: number;
}

export interface IColumnProfile {
  name: string;
  data_type: string;
  rows: number;
  nulls: number;
  distinct: number;
  top_values: IValueCount[];
  tests: string[];
}

export interface ITestSuggestion {
  column: string;
  test: string;
  arguments: Record<string, unknown>;
  evidence: string;
}

export interface IQualitySuggestions {
  project: string;
  node: string;
  relation: string;
  rows: number;
  columns: IColumnProfile[];
  suggestions: ITestSuggestion[];
  elapsed_ms: number;
}
