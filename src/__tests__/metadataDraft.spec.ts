import { draftOf, editOf, parseTags } from '../metadata/draft';
import { IEditableNode } from '../metadata/types';

const node: IEditableNode = {
  project: 'demo',
  node: 'model.shop.orders',
  name: 'orders',
  resource_type: 'model',
  file: 'models/_models.yml',
  file_exists: true,
  in_file: true,
  description: 'One row per order.',
  tags: ['finance'],
  owner: null,
  effective_tags: ['finance', 'marts'],
  effective_owner: 'data-platform',
  columns: [
    {
      name: 'id',
      description: 'Key.',
      tags: [],
      tests: ['unique'],
      in_file: true
    },
    { name: 'note', description: '', tags: [], tests: [], in_file: false }
  ],
  allow_edits: true
};

describe('metadata draft', () => {
  it('sends nothing when nothing changed', () => {
    expect(editOf(node, draftOf(node))).toBeNull();
  });

  it('sends only the fields that changed', () => {
    const draft = draftOf(node);
    draft.tags = 'finance, daily finance';
    draft.columns.note.description = 'Free text.';
    expect(editOf(node, draft)).toEqual({
      project: 'demo',
      node: 'model.shop.orders',
      tags: ['finance', 'daily'],
      columns: [{ name: 'note', description: 'Free text.' }]
    });
  });

  it('sends an empty owner to remove it only when the file had one', () => {
    const draft = draftOf({ ...node, owner: 'team' });
    draft.owner = '  ';
    expect(editOf({ ...node, owner: 'team' }, draft)?.owner).toBe('');
  });

  it('splits tags on commas and spaces', () => {
    expect(parseTags(' a,b  c,,a ')).toEqual(['a', 'b', 'c']);
  });
});
