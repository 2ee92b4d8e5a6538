/**
 * The Audit log panel: who made which write through the workbench, when,
 * with filters, paging, expandable details and CSV/JSON downloads.
 */
import React, { useCallback, useEffect, useState } from 'react';

import { useDebounced, useSignal } from '../components/hooks';
import { Spinner } from '../components/Spinner';
import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { fetchAudit } from './api';
import { ACTION_CHOICES, detailsSummary, entryTime, pageLabel } from './format';
import type {
  AuditExportFormat,
  IAuditEntry,
  IAuditFilters,
  IAuditPage
} from './types';

/** Entries per page. */
export const PAGE_SIZE = 50;

/** How long typing pauses before the log is asked again, in ms. */
const TYPING_DELAY_MS = 300;

/** Props of {@link AuditView}. */
export interface IAuditViewProps {
  workbench: WorkbenchModel;
  /** Download the entries matching the filters (the plugin saves and notifies). */
  onExport: (
    filters: IAuditFilters,
    format: AuditExportFormat
  ) => Promise<void>;
}

function EntryRow(props: {
  entry: IAuditEntry;
  open: boolean;
  onToggle: () => void;
}): JSX.Element {
  const { entry, open, onToggle } = props;
  const hasDetails = Object.keys(entry.details).length > 0;
  return (
    <>
      <tr
        className="jp-DbtWorkbench-auditRow"
        data-action={entry.action}
        aria-expanded={hasDetails ? open : undefined}
        onClick={hasDetails ? onToggle : undefined}
      >
        <td className="jp-DbtWorkbench-auditTime" title={entry.at}>
          {entryTime(entry)}
        </td>
        <td>{entry.user ?? '—'}</td>
        <td>
          <code>{entry.action}</code>
        </td>
        <td>{entry.project ?? '—'}</td>
        <td className="jp-DbtWorkbench-auditTarget" title={entry.target ?? ''}>
          {entry.target ?? '—'}
        </td>
        <td>
          <span
            className={`jp-DbtWorkbench-auditOutcome jp-mod-${entry.outcome}`}
          >
            {entry.outcome}
          </span>
        </td>
        <td className="jp-DbtWorkbench-auditDetails">
          {hasDetails ? (
            <button
              type="button"
              className="jp-DbtWorkbench-auditToggle"
              aria-label={open ? 'Hide details' : 'Show details'}
              onClick={event => {
                event.stopPropagation();
                onToggle();
              }}
            >
              {open ? '▾' : '▸'} {detailsSummary(entry.details)}
            </button>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr className="jp-DbtWorkbench-auditDetailRow">
          <td colSpan={7}>
            <pre>{JSON.stringify(entry.details, null, 2)}</pre>
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The panel's content. */
export function AuditView(props: IAuditViewProps): JSX.Element {
  const { workbench, onExport } = props;
  useSignal(workbench.projectsChanged);
  const [project, setProject] = useState('');
  const [action, setAction] = useState('');
  const [text, setText] = useState('');
  const [user, setUser] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<IAuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [exporting, setExporting] = useState(false);
  const [reloads, setReloads] = useState(0);
  const q = useDebounced(text, TYPING_DELAY_MS);
  const who = useDebounced(user, TYPING_DELAY_MS);
  const filters: IAuditFilters = { project, action, q, user: who };

  // Any filter change goes back to the first page.
  useEffect(() => setOffset(0), [project, action, q, who]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    fetchAudit(filters, offset, PAGE_SIZE)
      .then(result => {
        if (current) {
          setPage(result);
          setError(null);
        }
      })
      .catch(failure => {
        if (current) {
          setError(errorMessage(failure));
        }
      })
      .finally(() => {
        if (current) {
          setLoading(false);
        }
      });
    return () => {
      current = false;
    };
  }, [project, action, q, who, offset, reloads]);

  const toggle = useCallback((id: number) => {
    setOpen(previous => {
      const next = new Set(previous);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  }, []);

  const download = (format: AuditExportFormat): void => {
    setExporting(true);
    void onExport(filters, format).finally(() => setExporting(false));
  };

  const entries = page?.entries ?? [];
  const total = page?.total ?? 0;
  return (
    <div className="jp-DbtWorkbench-audit">
      <div className="jp-DbtWorkbench-auditHeader">
        <h1>Audit log</h1>
        <span className="jp-DbtWorkbench-muted">
          Every write made through the workbench: who, when, what.
        </span>
      </div>
      <div className="jp-DbtWorkbench-auditFilters" role="search">
        <label className="jp-DbtWorkbench-field">
          <span>Project</span>
          <select
            className="jp-mod-styled jp-DbtWorkbench-auditProject"
            value={project}
            onChange={event => setProject(event.target.value)}
          >
            <option value="">All projects</option>
            {workbench.projects.map(item => (
              <option key={item.id} value={item.id}>
                {item.id === '.' ? item.name : item.id}
              </option>
            ))}
          </select>
        </label>
        <label className="jp-DbtWorkbench-field">
          <span>Action</span>
          <select
            className="jp-mod-styled jp-DbtWorkbench-auditAction"
            value={action}
            onChange={event => setAction(event.target.value)}
          >
            {ACTION_CHOICES.map(choice => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <label className="jp-DbtWorkbench-field">
          <span>User</span>
          <input
            className="jp-mod-styled jp-DbtWorkbench-auditUser"
            value={user}
            placeholder="anyone"
            onChange={event => setUser(event.target.value)}
          />
        </label>
        <label className="jp-DbtWorkbench-field jp-DbtWorkbench-auditSearchField">
          <span>Search</span>
          <input
            type="search"
            className="jp-mod-styled jp-DbtWorkbench-auditSearch"
            value={text}
            placeholder="action, target or details"
            onChange={event => setText(event.target.value)}
          />
        </label>
        <div className="jp-DbtWorkbench-auditExport">
          <button
            type="button"
            className="jp-mod-styled jp-DbtWorkbench-auditRefresh"
            disabled={loading}
            onClick={() => setReloads(reloads + 1)}
          >
            Refresh
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-DbtWorkbench-auditExportCsv"
            disabled={exporting || total === 0}
            onClick={() => download('csv')}
          >
            Export CSV
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-DbtWorkbench-auditExportJson"
            disabled={exporting || total === 0}
            onClick={() => download('json')}
          >
            Export JSON
          </button>
        </div>
      </div>
      {error ? (
        <div className="jp-DbtWorkbench-problem" role="alert">
          {error}
        </div>
      ) : null}
      {page === null && !error ? (
        <Spinner label="Loading the audit log…" />
      ) : null}
      {page !== null && entries.length === 0 ? (
        <div className="jp-DbtWorkbench-empty">
          <h3>No entries</h3>
          <p>
            {project || action || q || who
              ? 'Nothing matches these filters.'
              : 'Writes made through the workbench (git, runs, schedules, metadata edits, SQL that writes) appear here.'}
          </p>
        </div>
      ) : null}
      {entries.length > 0 ? (
        <table
          className="jp-DbtWorkbench-table jp-DbtWorkbench-auditTable"
          aria-busy={loading}
        >
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Action</th>
              <th>Project</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(entry => (
              <EntryRow
                key={entry.id}
                entry={entry}
                open={open.has(entry.id)}
                onToggle={() => toggle(entry.id)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {page !== null && total > 0 ? (
        <div className="jp-DbtWorkbench-auditPager">
          <button
            type="button"
            className="jp-mod-styled jp-DbtWorkbench-auditPrevious"
            disabled={offset === 0 || loading}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Newer
          </button>
          <span className="jp-DbtWorkbench-auditPage">
            {pageLabel(page.offset, entries.length, total)}
          </span>
          <button
            type="button"
            className="jp-mod-styled jp-DbtWorkbench-auditNext"
            disabled={offset + PAGE_SIZE >= total || loading}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            Older
          </button>
        </div>
      ) : null}
    </div>
  );
}
