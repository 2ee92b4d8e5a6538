import {
  completionContext,
  completionItems,
  relationAliases
} from '../sql/completion';
import type { ISqlCompletions } from '../sql/types';

const COMPLETIONS: ISqlCompletions = {
  project: 'demo',
  models: [
    {
      name: 'fct_orders',
      unique_id: 'model.shop.fct_orders',
      resource_type: 'model',
      relation: '"shop"."main"."fct_orders"',
      package: 'shop',
      columns: [
        { name: 'order_id', type: 'INTEGER' },
        { name: 'amount', type: 'DECIMAL(18,2)' }
      ]
    },
    {
      name: 'dim_customers',
      unique_id: 'model.shop.dim_customers',
      resource_type: 'model',
      relation: '"shop"."main"."dim_customers"',
      package: 'shop',
      columns: [
        { name: 'customer_id', type: 'INTEGER' },
        { name: 'first_name', type: 'VARCHAR' }
      ]
    },
    {
      name: 'raw_shops',
      unique_id: 'seed.shop.raw_shops',
      resource_type: 'seed',
      relation: '"shop"."main"."raw_shops"',
      package: 'shop',
      columns: [{ name: 'shop_id', type: 'INTEGER' }]
    }
  ],
  sources: [
    {
      source_name: 'web',
      name: 'events',
      unique_id: 'source.shop.web.events',
      relation: '"shop"."raw"."events"',
      columns: [{ name: 'event_id', type: 'VARCHAR' }]
    },
    {
      source_name: 'web',
      name: 'sessions',
      unique_id: 'source.shop.web.sessions',
      relation: '"shop"."raw"."sessions"',
      columns: []
    },
    {
      source_name: 'erp',
      name: 'invoices',
      unique_id: 'source.shop.erp.invoices',
      relation: '"shop"."erp"."invoices"',
      columns: []
    }
  ],
  keywords: ['SELECT', 'FROM', 'WHERE']
};

/** The labels offered with the cursor at the `|` of `text`. */
function labelsAt(text: string): string[] {
  const pos = text.indexOf('|');
  const buffer = text.slice(0, pos) + text.slice(pos + 1);
  const context = completionContext(buffer, pos);
  return context
    ? completionItems(context, buffer, COMPLETIONS).map(i => i.label)
    : [];
}

describe('SQL completion context', () => {
  it('offers models, seeds and snapshots inside ref()', () => {
    expect(labelsAt("select * from {{ ref('fc|")).toEqual([
      'fct_orders',
      'dim_customers',
      'raw_shops'
    ]);
    const context = completionContext("from {{ ref('fc", 15);
    expect(context).toEqual({ kind: 'ref', from: 13, prefix: 'fc' });
  });

  it('offers models in the second argument of a package ref', () => {
    expect(labelsAt("{{ ref('shop', '|")).toContain('fct_orders');
  });

  it('offers source names, then the tables of the chosen source', () => {
    expect(labelsAt("from {{ source('|")).toEqual(['web', 'erp']);
    expect(labelsAt("from {{ source('web', 'se|")).toEqual([
      'events',
      'sessions'
    ]);
    expect(labelsAt('from {{ source("erp", "|')).toEqual(['invoices']);
  });

  it('offers the columns of the relation an alias refers to', () => {
    const sql =
      "select o.|\nfrom {{ ref('fct_orders') }} as o\njoin {{ ref('dim_customers') }} c on c.customer_id = o.order_id";
    expect(labelsAt(sql)).toEqual(['order_id', 'amount']);
    const other = sql.replace('o.|', 'c.fi|');
    expect(labelsAt(other)).toEqual(['customer_id', 'first_name']);
  });

  it('resolves an alias without AS and a source alias', () => {
    expect(
      labelsAt("select e.| from {{ source('web', 'events') }} e where 1 = 1")
    ).toEqual(['event_id']);
  });

  it('uses the model name when the relation has no alias', () => {
    expect(
      labelsAt("select fct_orders.| from {{ ref('fct_orders') }} where true")
    ).toEqual(['order_id', 'amount']);
  });

  it('does not take a following keyword for an alias', () => {
    const aliases = relationAliases(
      "select * from {{ ref('fct_orders') }} where amount > 1"
    );
    expect(Array.from(aliases.keys())).toEqual(['fct_orders']);
  });

  it('finds a plain table by its relation name', () => {
    expect(labelsAt('select t.| from main.dim_customers t')).toEqual([
      'customer_id',
      'first_name'
    ]);
  });

  it('offers keywords in the typed case and the query columns for a word', () => {
    const labels = labelsAt("select am| from {{ ref('fct_orders') }}");
    expect(labels).toEqual(
      expect.arrayContaining(['amount', 'order_id', 'select', 'from'])
    );
    expect(labelsAt('SEL|')).toEqual(['SELECT', 'FROM', 'WHERE']);
  });

  it('offers nothing inside a string literal, a comment or a number', () => {
    expect(labelsAt("select * from t where name = 'ab|")).toEqual([]);
    expect(labelsAt('select 1 -- a comm|')).toEqual([]);
    expect(labelsAt('select 12ab|')).toEqual([]);
  });

  it('offers no columns for an unknown alias', () => {
    expect(labelsAt('select zz.| from somewhere')).toEqual([]);
  });
});
