import { render } from '@testing-library/react';
import { mockIPC } from '@tauri-apps/api/mocks';

import { App, createQueryClient } from '../App';
import type { IpcError } from '../bindings/IpcError';
import type { Route } from '../router';
import { fixtures, type Fixtures } from './fixtures';

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export type Answer = (args: Record<string, unknown>, fx: Fixtures) => unknown;

export interface Harness {
  fx: Fixtures;
  calls: Call[];
  callsOf: (cmd: string) => Record<string, unknown>[];
}

/** An error as the core sends it across IPC. */
export function ipcError(kind: string, message: string, fields: IpcError['fields'] = []): IpcError {
  return { kind, message, fields };
}

/** `rows` as a page of a list answer, windowed by the query's offset and limit (what the core would send). */
export function pageOf<Row>(rows: Row[], query: unknown, extra: Record<string, unknown> = {}) {
  const q = (query ?? {}) as { offset?: number; limit?: number };
  const offset = q.offset ?? 0;
  const limit = q.limit || 100;
  return { rows: rows.slice(offset, offset + limit), total: rows.length, total_capped: false, ...extra };
}

function notFound(what: string, args: Record<string, unknown>): never {
  throw ipcError('not_found', `no ${what} with id ${String(args.id)}`);
}

/**
 * What a command answers when the test does not say: the fixture of what the real core answered on the demo
 * (lists as the fixture's page, windowed by offset; records by id; `not_found` for others). Writes have no
 * default: a test that saves says what the core answers.
 */
export function fixtureAnswer(cmd: string, args: Record<string, unknown>, fx: Fixtures): unknown {
  const lists: Record<string, keyof Fixtures> = {
    partners_list: 'partners_list',
    contacts_list: 'contacts_list',
    agreements_list: 'agreements_list',
    exchanges_list: 'exchanges_list',
    calls_list: 'calls_list',
    applications_list: 'applications_list',
    projects_list: 'projects_list',
    events_list: 'events_list',
  };
  if (cmd in lists) {
    // The fixture holds the core's first rows and its true total: later pages have no rows here.
    const page = fx[lists[cmd]] as { rows: unknown[] };
    const { rows } = pageOf(page.rows, args.query);
    return { ...page, rows };
  }
  const get = /^(partner|contact|agreement|exchange|call|application|project|event)_get$/.exec(cmd);
  if (get) {
    const records = fx[`${get[1]}_get` as keyof Fixtures] as Record<string, unknown>;
    return records[String(args.id)] ?? notFound(get[1], args);
  }
  if (/_(delete|restore)$/.test(cmd) || cmd === 'document_remove' || cmd === 'document_open') return null;
  switch (cmd) {
    case 'rules':
    case 'workspace_status':
    case 'partner_countries':
    case 'exchange_cohorts':
    case 'dashboard':
    case 'reminders':
    case 'search':
      return fx[cmd];
    case 'history':
      return fx.history[String(args.id)] ?? [];
    case 'dependants':
      return fx.dependants[String(args.id)] ?? [];
    case 'report_catalogue':
      return fx.report_catalogue[args.lang === 'fr' ? 'fr' : 'en'];
    case 'report_preview': {
      // Every report by its kind, whatever the filters (as lists answer their first page).
      const kind = String((args.query as { kind?: string } | undefined)?.kind);
      const report = fx.report_preview[kind];
      if (!report) throw new Error(`no fixture answers report_preview for ${kind}: the test must say what the core answers`);
      return report;
    }
    // The demo has no documents, has sent and received no sync file, no laptop waits and no conflict is open.
    case 'documents_list':
    case 'sync_waiting':
    case 'sync_history':
    case 'sync_conflicts':
      return [];
    case 'shared_folder_state':
      return { dir: null, last: null, refused: [] };
    case 'review_score':
      return null;
    default:
      throw new Error(`no fixture answers ${cmd}: the test must say what the core answers (overrides)`);
  }
}

type Kind = 'partner' | 'contact' | 'agreement' | 'exchange' | 'call' | 'application' | 'project' | 'event';

/**
 * A list command's answer: `rows(query, fx)` as the page when it gives rows (what the core finds for that
 * query, chosen by the test), the fixture otherwise.
 */
export function listAnswer(cmd: string, rows: (query: Record<string, unknown>, fx: Fixtures) => unknown[] | undefined): Answer {
  return (args, fx) => {
    const query = (args.query ?? {}) as Record<string, unknown>;
    const chosen = rows(query, fx);
    return chosen ? pageOf(chosen, query) : fixtureAnswer(cmd, args, fx);
  };
}

/**
 * The core's answers to deleting and restoring records of a kind: the kind's list leaves out the records
 * deleted (and not restored) since, as the core's would.
 */
export function deletions(kind: Kind): Record<string, Answer> {
  const deleted = new Set<string>();
  const list = `${kind}s_list`;
  return {
    [`${kind}_delete`]: (args) => {
      deleted.add(String(args.id));
      return null;
    },
    [`${kind}_restore`]: (args) => {
      deleted.delete(String(args.id));
      return null;
    },
    [list]: (args, fx) => {
      const page = fixtureAnswer(list, args, fx) as { rows: { id: string }[]; total: number };
      const rows = page.rows.filter((r) => !deleted.has(r.id));
      return { ...page, rows, total: page.total - (page.rows.length - rows.length) };
    },
  };
}

/**
 * The core's answer to saving a record of a kind (create and update): `saved(input, fx)`, which its page then
 * reads back (`<kind>_get` answers it for its id, the fixtures for other ids).
 */
export function saves<R extends { id: string }>(kind: Kind, saved: (input: unknown, fx: Fixtures) => R): Record<string, Answer> {
  let last: R | null = null;
  const save: Answer = (args, fx) => {
    last = saved(args.input, fx);
    return last;
  };
  return {
    [`${kind}_create`]: save,
    [`${kind}_update`]: save,
    [`${kind}_get`]: (args, fx) => (last && last.id === args.id ? last : fixtureAnswer(`${kind}_get`, args, fx)),
  };
}

/**
 * Renders the whole app over mocked Tauri IPC: each command is answered by `overrides` when the test gives
 * one (throw an IpcError to reject), else by the fixtures of the real core's answers. Every call is recorded.
 */
export function renderApp({
  route,
  overrides = {},
}: {
  route?: Route | ((fx: Fixtures) => Route);
  overrides?: Record<string, Answer>;
} = {}): Harness {
  const fx = fixtures();
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const override = overrides[cmd];
      return override ? override(args, fx) : fixtureAnswer(cmd, args, fx);
    },
    { shouldMockEvents: true },
  );
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0, refetchOnWindowFocus: false }, mutations: { retry: false } });
  const initialRoute = typeof route === 'function' ? route(fx) : route;
  render(<App client={client} initialRoute={initialRoute} />);
  return { fx, calls, callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args) };
}
