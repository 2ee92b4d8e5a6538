import {
  dataFrameCell,
  dataFrameNotebook,
  projectForPath
} from '../sql/notebook';
import { replaceRelationName, runTextOf } from '../sql/text';
import { WorkbenchAPIError } from '../request';
import {
  errorFromException,
  ISessionApi,
  POLL_WAIT_S,
  QuerySession,
  SUBMIT_WAIT_S,
  suggestionsFromMessage,
  unknownName
} from '../sql/session';
import type { ISqlQuery } from '../sql/types';

function query(
  status: ISqlQuery['status'],
  extra: Partial<ISqlQuery> = {}
): ISqlQuery {
  return {
    id: 'q1',
    project: 'demo',
    sql: 'select 1',
    compiled_sql: null,
    method: null,
    target: null,
    status,
    started_at: '2024-01-01T00:00:00Z',
    finished_at: null,
    duration: null,
    row_count: null,
    truncated: false,
    limit: 100,
    columns: [],
    error: null,
    user: null,
    ...extra
  };
}

/** A promise and the function that resolves it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>(done => (resolve = done));
  return { promise, resolve };
}

describe('QuerySession', () => {
  it('takes a quick query from its submission, without polling', async () => {
    const waits: number[] = [];
    const api: ISessionApi = {
      submitQuery: async (_request, wait) => {
        waits.push(wait);
        return query('success', { row_count: 5 });
      },
      fetchQuery: async () => {
        throw new Error('a finished query is not polled');
      },
      cancelQuery: async () => query('cancelled')
    };
    const session = new QuerySession(api, 1);
    const result = await session.run({ project: 'demo', sql: 'select 1' });
    expect(result?.status).toBe('success');
    expect(session.query?.row_count).toBe(5);
    expect(waits).toEqual([SUBMIT_WAIT_S]);
    expect(session.running).toBe(false);
  });

  it('long-polls a running query until it ends', async () => {
    const answers = [query('running'), query('success', { row_count: 5 })];
    const fetched: [string, number][] = [];
    const api: ISessionApi = {
      submitQuery: async () => query('running'),
      fetchQuery: async (id, wait) => {
        fetched.push([id, wait]);
        return answers.shift()!;
      },
      cancelQuery: async () => query('cancelled')
    };
    const session = new QuerySession(api, 1);
    let changes = 0;
    session.changed.connect(() => changes++);
    const result = await session.run({ project: 'demo', sql: 'select 1' });
    expect(result?.status).toBe('success');
    expect(session.query?.row_count).toBe(5);
    expect(fetched).toEqual([
      ['q1', POLL_WAIT_S],
      ['q1', POLL_WAIT_S]
    ]);
    expect(session.running).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('ends as soon as a cancel ends the long-polled query', async () => {
    // The server answers the poll when the query ends, here by the cancel.
    const ended = deferred<ISqlQuery>();
    let polls = 0;
    const api: ISessionApi = {
      submitQuery: async () => query('running'),
      fetchQuery: () => {
        polls++;
        return ended.promise;
      },
      cancelQuery: async () => {
        ended.resolve(query('cancelled'));
        return query('cancelled');
      }
    };
    const session = new QuerySession(api, 1);
    const done = session.run({ project: 'demo', sql: 'select 1' });
    await new Promise(resolve => setTimeout(resolve, 5));
    expect(session.running).toBe(true);
    await session.cancel();
    expect(session.query?.status).toBe('cancelled');
    expect((await done)?.status).toBe('cancelled');
    expect(polls).toBe(1);
    expect(session.running).toBe(false);
  });

  it('cancels once the query has an id when cancel came during the submission', async () => {
    const submitted = deferred<ISqlQuery>();
    const cancelled: string[] = [];
    const api: ISessionApi = {
      submitQuery: () => submitted.promise,
      fetchQuery: async () =>
        cancelled.length ? query('cancelled') : query('running'),
      cancelQuery: async id => {
        cancelled.push(id);
        return query('cancelled');
      }
    };
    const session = new QuerySession(api, 1);
    const done = session.run({ project: 'demo', sql: 'select 1' });
    expect(session.running).toBe(true);
    await session.cancel();
    expect(cancelled).toEqual([]); // no id yet
    submitted.resolve(query('running'));
    expect((await done)?.status).toBe('cancelled');
    expect(cancelled).toEqual(['q1']);
  });

  it('turns a refused submission into an error with suggestions', async () => {
    const api: ISessionApi = {
      submitQuery: async () => {
        throw new WorkbenchAPIError(
          "Unknown model 'ordrs' in ref('ordrs'); did you mean orders, stg_orders?",
          422,
          'unknown_relation'
        );
      },
      fetchQuery: async () => query('error'),
      cancelQuery: async () => query('cancelled')
    };
    const session = new QuerySession(api, 1);
    expect(await session.run({ project: 'demo', sql: 'x' })).toBeNull();
    expect(session.error?.kind).toBe('unknown_relation');
    expect(session.error?.suggestions).toEqual(['orders', 'stg_orders']);
    expect(unknownName(session.error!)).toBe('ordrs');
    expect(session.running).toBe(false);
  });
});

describe('SQL error helpers', () => {
  it('reads suggestions and a position from messages', () => {
    expect(suggestionsFromMessage('no hint here')).toEqual([]);
    expect(suggestionsFromMessage("did you mean 'a' or 'b'?")).toEqual([
      'a',
      'b'
    ]);
    const error = errorFromException(
      new WorkbenchAPIError(
        'Parser Error at line 3, column 7',
        400,
        'sql_syntax_error'
      )
    );
    expect(error).toMatchObject({ kind: 'syntax', line: 3, column: 7 });
  });
});

describe('SQL editor helpers', () => {
  it('runs the selection when there is one, else the whole buffer', () => {
    const text = 'select 1;\nselect 2\nfrom t;';
    expect(runTextOf(text, 3, 3)).toEqual({
      text,
      firstLine: 1,
      selection: false
    });
    const start = text.indexOf('select 2');
    expect(runTextOf(text, text.length, start)).toEqual({
      text: 'select 2\nfrom t;',
      firstLine: 2,
      selection: true
    });
    expect(runTextOf(text, 9, 10).selection).toBe(false); // only a newline
  });

  it('replaces an unknown name inside ref() only', () => {
    expect(
      replaceRelationName(
        "select ordrs.x from {{ ref('ordrs') }} ordrs",
        'ordrs',
        'orders'
      )
    ).toBe("select ordrs.x from {{ ref('orders') }} ordrs");
    expect(replaceRelationName('select * from ordrs', 'ordrs', 'orders')).toBe(
      'select * from orders'
    );
  });
});

describe('DataFrame notebook', () => {
  it('writes the %%dbt_sql cell, naming a project in a sub-folder', () => {
    expect(dataFrameCell(' select 1 \n', '.')).toBe(
      '%%dbt_sql -o df\nselect 1\n'
    );
    expect(dataFrameCell('select 1', 'analytics/my project')).toBe(
      "%%dbt_sql -o df --project 'analytics/my project'\nselect 1\n"
    );
    const notebook = dataFrameNotebook('x', {
      name: 'python3',
      display_name: 'Python 3'
    });
    expect(notebook).toMatchObject({
      nbformat: 4,
      cells: [{ cell_type: 'code', source: 'x' }],
      metadata: { kernelspec: { name: 'python3', language: 'python' } }
    });
  });

  it('finds the project holding a file', () => {
    const projects = [
      { id: '.', path: '.' },
      { id: 'sub/shop', path: 'sub/shop' }
    ];
    expect(projectForPath(projects, 'sub/shop/models/a.sql')).toBe('sub/shop');
    expect(projectForPath(projects, 'other/b.sql')).toBe('.');
    expect(projectForPath([{ id: 'x', path: 'x' }], 'y/b.sql')).toBeNull();
  });
});
