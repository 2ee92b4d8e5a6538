import type { INodeSummary } from '../tokens';

/** A node summary with sensible defaults, overridden by `fields`. */
export function node(
  name: string,
  fields: Partial<INodeSummary> = {}
): INodeSummary {
  const resourceType = fields.resource_type ?? 'model';
  const path = fields.original_file_path ?? `models/${name}.sql`;
  return {
    unique_id: `${resourceType}.shop.${name}`,
    name,
    resource_type: resourceType,
    package_name: 'shop',
    original_file_path: path,
    folder: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '',
    database: 'shop',
    schema: 'main',
    materialized: 'view',
    tags: [],
    description: '',
    status: null,
    test_status: null,
    ...fields
  };
}
