/**
 * What to complete at a cursor position in a dbt SQL buffer. Pure functions
 * over the text and the project's `sql/completions` payload, so the logic is
 * tested without an editor; src/sql/editorCompletion.ts adapts them to
 * CodeMirror.
 */
import type { ISqlColumn, ISqlCompletions } from './types';

/** What the text before the cursor asks for. */
export type CompletionKind =
  | 'ref' // inside ref('…')
  | 'source' // first argument of source('…')
  | 'sourceTable' // second argument of source('x', '…')
  | 'column' // after `alias.` or `relation.`
  | 'word'; // a bare word: keywords and the buffer's columns

export interface ICompletionContext {
  kind: CompletionKind;
  /** Where the text being completed starts (the completion replaces from here). */
  from: number;
  /** The part already typed. */
  prefix: string;
  /** `sourceTable`: the source name; `column`: the alias or relation typed. */
  qualifier?: string;
}

/** A relation named in the buffer. */
export type RelationRef =
  | { kind: 'ref'; name: string }
  | { kind: 'source'; source: string; table: string }
  | { kind: 'table'; name: string };

export type CompletionItemType =
  'model' | 'seed' | 'snapshot' | 'source' | 'table' | 'column' | 'keyword';

export interface ICompletionItem {
  label: string;
  type: CompletionItemType;
  detail?: string;
}

/** How far back the context is looked for (a ref call fits well within). */
const LOOK_BEHIND = 500;

const REF_ARG = /\bref\(\s*(?:['"][\w.-]*['"]\s*,\s*)?['"]([\w.-]*)$/;
const SOURCE_TABLE_ARG = /\bsource\(\s*['"]([\w.-]+)['"]\s*,\s*['"]([\w.-]*)$/;
const SOURCE_ARG = /\bsource\(\s*['"]([\w.-]*)$/;
const QUALIFIED = /([A-Za-z_][\w$]*)"?\.([A-Za-z_][\w$]*)?$/;
const WORD = /[A-Za-z_][\w$]*$/;

/**
 * The completion asked for at `pos` in `text`, or null where nothing
 * should be offered (inside a string or comment that is not a ref/source
 * argument, after a number...).
 */
export function completionContext(
  text: string,
  pos: number
): ICompletionContext | null {
  const before = text.slice(Math.max(0, pos - LOOK_BEHIND), pos);
  let match = REF_ARG.exec(before);
  if (match) {
    return { kind: 'ref', from: pos - match[1].length, prefix: match[1] };
  }
  match = SOURCE_TABLE_ARG.exec(before);
  if (match) {
    return {
      kind: 'sourceTable',
      from: pos - match[2].length,
      prefix: match[2],
      qualifier: match[1]
    };
  }
  match = SOURCE_ARG.exec(before);
  if (match) {
    return { kind: 'source', from: pos - match[1].length, prefix: match[1] };
  }
  const line = before.slice(before.lastIndexOf('\n') + 1);
  if (insideStringOrComment(line)) {
    return null;
  }
  match = QUALIFIED.exec(before);
  if (match) {
    const prefix = match[2] ?? '';
    return {
      kind: 'column',
      from: pos - prefix.length,
      prefix,
      qualifier: match[1]
    };
  }
  match = WORD.exec(before);
  if (match) {
    const start = pos - match[0].length;
    // `12abc` or `x.1`: not a word start.
    if (start > 0 && /[\w$]/.test(text.charAt(start - 1))) {
      return null;
    }
    return { kind: 'word', from: start, prefix: match[0] };
  }
  return null;
}

/** Whether the end of `line` sits inside a quoted string or a `--` comment. */
function insideStringOrComment(line: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) {
        quote = null;
      }
    } else if (char === "'") {
      quote = char;
    } else if (char === '-' && line[i + 1] === '-') {
      return true;
    }
  }
  return quote !== null;
}

/** Words that can follow a relation but are never its alias. */
const NOT_ALIASES = new Set([
  'where',
  'on',
  'using',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'outer',
  'cross',
  'natural',
  'group',
  'order',
  'limit',
  'having',
  'union',
  'except',
  'intersect',
  'window',
  'qualify',
  'offset',
  'fetch',
  'as',
  'select',
  'from',
  'lateral',
  'pivot',
  'unpivot',
  'tablesample',
  'sample'
]);

const RELATION =
  /\b(?:from|join)\s+(\{\{-?\s*(ref|source)\s*\(([^)]*)\)\s*-?\}\}|[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*)(?:\s+(?:as\s+)?([A-Za-z_][\w$]*))?/gi;

/** The string arguments of a Jinja call's argument text. */
function stringArgs(args: string): string[] {
  return Array.from(args.matchAll(/['"]([^'"]*)['"]/g), match => match[1]);
}

/**
 * The relations the buffer reads, by the name a query can qualify columns
 * with: the alias when there is one, else the model/table name.
 */
export function relationAliases(text: string): Map<string, RelationRef> {
  const aliases = new Map<string, RelationRef>();
  for (const match of text.matchAll(RELATION)) {
    const [, whole, call, args, alias] = match;
    let relation: RelationRef | null = null;
    let name: string;
    if (call) {
      const values = stringArgs(args);
      if (call.toLowerCase() === 'ref' && values.length > 0) {
        // ref('pkg', 'model'): the model is the last positional string.
        name = values[values.length - 1];
        relation = { kind: 'ref', name };
      } else if (call.toLowerCase() === 'source' && values.length >= 2) {
        name = values[1];
        relation = { kind: 'source', source: values[0], table: values[1] };
      } else {
        continue;
      }
    } else {
      const parts = whole.split('.');
      name = parts[parts.length - 1];
      relation = { kind: 'table', name };
    }
    const usable = alias && !NOT_ALIASES.has(alias.toLowerCase());
    aliases.set((usable ? alias : name).toLowerCase(), relation);
  }
  return aliases;
}

/** The last part of a quoted relation name (`"db"."main"."orders"` → orders). */
function relationTail(relation: string): string {
  const parts = relation.split('.');
  return parts[parts.length - 1].replace(/"/g, '').toLowerCase();
}

/** The columns of a relation the buffer named, when the project knows it. */
export function relationColumns(
  relation: RelationRef,
  completions: ISqlCompletions
): ISqlColumn[] {
  if (relation.kind === 'ref') {
    const name = relation.name.toLowerCase();
    return (
      completions.models.find(model => model.name.toLowerCase() === name)
        ?.columns ?? []
    );
  }
  if (relation.kind === 'source') {
    return (
      completions.sources.find(
        source =>
          source.source_name === relation.source &&
          source.name === relation.table
      )?.columns ?? []
    );
  }
  const name = relation.name.toLowerCase();
  const candidates = [...completions.models, ...completions.sources];
  return (
    candidates.find(item => relationTail(item.relation) === name)?.columns ??
    candidates.find(item => item.name.toLowerCase() === name)?.columns ??
    []
  );
}

/** The relation a qualifier names: an alias, else a model or table name. */
function qualifierRelation(
  qualifier: string,
  aliases: Map<string, RelationRef>
): RelationRef {
  return (
    aliases.get(qualifier.toLowerCase()) ?? { kind: 'table', name: qualifier }
  );
}

const columnItems = (columns: ISqlColumn[], detail?: string) =>
  columns.map((column): ICompletionItem => ({
    label: column.name,
    type: 'column',
    detail: detail ? `${detail} · ${column.type}` : column.type || undefined
  }));

/** Keywords in the case the user is typing. */
function keywordItems(keywords: string[], prefix: string): ICompletionItem[] {
  const lower = prefix !== '' && prefix === prefix.toLowerCase();
  return keywords.map(keyword => ({
    label: lower ? keyword.toLowerCase() : keyword.toUpperCase(),
    type: 'keyword'
  }));
}

/**
 * Every candidate for a context; the editor filters them by the typed
 * prefix (fuzzy), so they are not filtered here.
 */
export function completionItems(
  context: ICompletionContext,
  text: string,
  completions: ISqlCompletions
): ICompletionItem[] {
  switch (context.kind) {
    case 'ref':
      return completions.models.map(model => ({
        label: model.name,
        type: itemType(model.resource_type),
        detail: model.relation
      }));
    case 'source': {
      const names = Array.from(
        new Set(completions.sources.map(source => source.source_name))
      );
      return names.map(name => ({ label: name, type: 'source' }));
    }
    case 'sourceTable':
      return completions.sources
        .filter(source => source.source_name === context.qualifier)
        .map(source => ({
          label: source.name,
          type: 'table',
          detail: source.relation
        }));
    case 'column': {
      const relation = qualifierRelation(
        context.qualifier ?? '',
        relationAliases(text)
      );
      return columnItems(relationColumns(relation, completions));
    }
    case 'word': {
      const seen = new Set<string>();
      const columns: ICompletionItem[] = [];
      for (const [alias, relation] of relationAliases(text)) {
        for (const item of columnItems(
          relationColumns(relation, completions),
          alias
        )) {
          if (!seen.has(item.label)) {
            seen.add(item.label);
            columns.push(item);
          }
        }
      }
      return [
        ...columns,
        ...keywordItems(completions.keywords, context.prefix)
      ];
    }
  }
}

function itemType(resourceType: string): CompletionItemType {
  return resourceType === 'seed' || resourceType === 'snapshot'
    ? resourceType
    : 'model';
}
