// The one module that talks to the Tauri shell: typed wrappers over `invoke`, and the `changed` event.
// Argument keys are camelCase here; Tauri maps them to the Rust commands' snake_case parameters.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWindow } from '@tauri-apps/api/window';

import type { Agreement } from './bindings/Agreement';
import type { AgreementInput } from './bindings/AgreementInput';
import type { AgreementPage } from './bindings/AgreementPage';
import type { AgreementQuery } from './bindings/AgreementQuery';
import type { Application } from './bindings/Application';
import type { ApplicationInput } from './bindings/ApplicationInput';
import type { ApplicationPage } from './bindings/ApplicationPage';
import type { ApplicationQuery } from './bindings/ApplicationQuery';
import type { Call } from './bindings/Call';
import type { CallInput } from './bindings/CallInput';
import type { CallPage } from './bindings/CallPage';
import type { CallQuery } from './bindings/CallQuery';
import type { Contact } from './bindings/Contact';
import type { ContactInput } from './bindings/ContactInput';
import type { ContactPage } from './bindings/ContactPage';
import type { ContactQuery } from './bindings/ContactQuery';
import type { Criterion } from './bindings/Criterion';
import type { Dashboard } from './bindings/Dashboard';
import type { DashboardQuery } from './bindings/DashboardQuery';
import type { Dependants } from './bindings/Dependants';
import type { Document } from './bindings/Document';
import type { Event } from './bindings/Event';
import type { EventInput } from './bindings/EventInput';
import type { EventPage } from './bindings/EventPage';
import type { EventQuery } from './bindings/EventQuery';
import type { Exchange } from './bindings/Exchange';
import type { ExchangeInput } from './bindings/ExchangeInput';
import type { ExchangePage } from './bindings/ExchangePage';
import type { ExchangeQuery } from './bindings/ExchangeQuery';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportList } from './bindings/ExportList';
import type { ExportStarted } from './bindings/ExportStarted';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { ImportChosen } from './bindings/ImportChosen';
import type { ImportKind } from './bindings/ImportKind';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportRowFilter } from './bindings/ImportRowFilter';
import type { ImportRows } from './bindings/ImportRows';
import type { ImportSettings } from './bindings/ImportSettings';
import type { ImportStarted } from './bindings/ImportStarted';
import type { IpcError } from './bindings/IpcError';
import type { JobEvent } from './bindings/JobEvent';
import type { Partner } from './bindings/Partner';
import type { PartnerInput } from './bindings/PartnerInput';
import type { PartnerPage } from './bindings/PartnerPage';
import type { PartnerQuery } from './bindings/PartnerQuery';
import type { Project } from './bindings/Project';
import type { ProjectInput } from './bindings/ProjectInput';
import type { ProjectPage } from './bindings/ProjectPage';
import type { ProjectQuery } from './bindings/ProjectQuery';
import type { Reminder } from './bindings/Reminder';
import type { Report } from './bindings/Report';
import type { ReportFormat } from './bindings/ReportFormat';
import type { ReportInfo } from './bindings/ReportInfo';
import type { ReportQuery } from './bindings/ReportQuery';
import type { Rules } from './bindings/Rules';
import type { Score } from './bindings/Score';
import type { SearchHit } from './bindings/SearchHit';
import type { SharedFolderState } from './bindings/SharedFolderState';
import type { StartChoice } from './bindings/StartChoice';
import type { TemplateFileFormat } from './bindings/TemplateFileFormat';
import type { Approved } from './bindings/Approved';
import type { Conflict } from './bindings/Conflict';
import type { ConflictChoice } from './bindings/ConflictChoice';
import type { FileLog } from './bindings/FileLog';
import type { SyncDropped } from './bindings/SyncDropped';
import type { SyncOutcome } from './bindings/SyncOutcome';
import type { SyncStarted } from './bindings/SyncStarted';
import type { SyncStatus } from './bindings/SyncStatus';
import type { UiLang } from './bindings/UiLang';
import type { Waiting } from './bindings/Waiting';
import type { WorkspaceStatus } from './bindings/WorkspaceStatus';

export const api = {
  workspaceStatus: () => invoke<WorkspaceStatus>('workspace_status'),
  workspaceStart: (choice: StartChoice, name: string) => invoke<WorkspaceStatus>('workspace_start', { choice, name }),
  /** Renames this computer (the replica), as the history shows it. */
  replicaRename: (name: string) => invoke<WorkspaceStatus>('replica_rename', { name }),
  /** The first-run choice as a long job (the demo with `generated` more exchanges, for testers); its id. */
  workspaceStartJob: (choice: StartChoice, name: string, generated: number, onEvent: (e: JobEvent) => void) =>
    invoke<number>('workspace_start_job', { choice, name, generated, onEvent: channel(onEvent) }),
  /** Testers: `generated` exchanges with the rest in proportion, as a long job; its id. */
  demoScaleJob: (generated: number, onEvent: (e: JobEvent) => void) =>
    invoke<number>('demo_scale_job', { generated, onEvent: channel(onEvent) }),
  /** Asks a job to stop; it then reports `cancelled` on its channel. */
  jobCancel: (id: number) => invoke<boolean>('job_cancel', { id }),
  /** Whether testers' tools are offered (the app was started with LIAISON_TESTING=1). */
  testing: () => invoke<boolean>('testing'),

  partnersList: (query: PartnerQuery) => invoke<PartnerPage>('partners_list', { query }),
  partnerCountries: () => invoke<string[]>('partner_countries'),
  partnerGet: (id: string) => invoke<Partner>('partner_get', { id }),
  partnerCreate: (input: PartnerInput) => invoke<Partner>('partner_create', { input }),
  partnerUpdate: (id: string, input: PartnerInput) => invoke<Partner>('partner_update', { id, input }),
  partnerDelete: (id: string) => invoke<null>('partner_delete', { id }),
  partnerRestore: (id: string) => invoke<null>('partner_restore', { id }),

  contactsList: (query: ContactQuery) => invoke<ContactPage>('contacts_list', { query }),
  contactGet: (id: string) => invoke<Contact>('contact_get', { id }),
  contactCreate: (input: ContactInput) => invoke<Contact>('contact_create', { input }),
  contactUpdate: (id: string, input: ContactInput) => invoke<Contact>('contact_update', { id, input }),
  contactDelete: (id: string) => invoke<null>('contact_delete', { id }),
  contactRestore: (id: string) => invoke<null>('contact_restore', { id }),

  agreementsList: (query: AgreementQuery) => invoke<AgreementPage>('agreements_list', { query }),
  agreementGet: (id: string) => invoke<Agreement>('agreement_get', { id }),
  agreementCreate: (input: AgreementInput) => invoke<Agreement>('agreement_create', { input }),
  agreementUpdate: (id: string, input: AgreementInput) => invoke<Agreement>('agreement_update', { id, input }),
  agreementDelete: (id: string) => invoke<null>('agreement_delete', { id }),
  agreementRestore: (id: string) => invoke<null>('agreement_restore', { id }),

  /** `total` stops at 10,000 (then `total_capped` is true). */
  exchangesList: (query: ExchangeQuery) => invoke<ExchangePage>('exchanges_list', { query }),
  exchangeGet: (id: string) => invoke<Exchange>('exchange_get', { id }),
  exchangeCreate: (input: ExchangeInput) => invoke<Exchange>('exchange_create', { input }),
  exchangeUpdate: (id: string, input: ExchangeInput) => invoke<Exchange>('exchange_update', { id, input }),
  exchangeDelete: (id: string) => invoke<null>('exchange_delete', { id }),
  exchangeRestore: (id: string) => invoke<null>('exchange_restore', { id }),
  exchangeCohorts: () => invoke<string[]>('exchange_cohorts'),

  /** Latest deadline first (by relevance with a search). */
  callsList: (query: CallQuery) => invoke<CallPage>('calls_list', { query }),
  /** With its criteria and its applications, ranked ones first in rank order. */
  callGet: (id: string) => invoke<Call>('call_get', { id }),
  callCreate: (input: CallInput) => invoke<Call>('call_create', { input }),
  callUpdate: (id: string, input: CallInput) => invoke<Call>('call_update', { id, input }),
  callDelete: (id: string) => invoke<null>('call_delete', { id }),
  callRestore: (id: string) => invoke<null>('call_restore', { id }),

  /** In rank order within each call. */
  applicationsList: (query: ApplicationQuery) => invoke<ApplicationPage>('applications_list', { query }),
  /** With its assessment: eligibility rule by rule, score, averages per criterion, rank. */
  applicationGet: (id: string) => invoke<Application>('application_get', { id }),
  applicationCreate: (input: ApplicationInput) => invoke<Application>('application_create', { input }),
  applicationUpdate: (id: string, input: ApplicationInput) => invoke<Application>('application_update', { id, input }),
  applicationDelete: (id: string) => invoke<null>('application_delete', { id }),
  applicationRestore: (id: string) => invoke<null>('application_restore', { id }),

  /** Latest start first (by relevance with a search). */
  projectsList: (query: ProjectQuery) => invoke<ProjectPage>('projects_list', { query }),
  /** With its partners (and roles) and agreements, named as far as they are known here. */
  projectGet: (id: string) => invoke<Project>('project_get', { id }),
  projectCreate: (input: ProjectInput) => invoke<Project>('project_create', { input }),
  projectUpdate: (id: string, input: ProjectInput) => invoke<Project>('project_update', { id, input }),
  projectDelete: (id: string) => invoke<null>('project_delete', { id }),
  projectRestore: (id: string) => invoke<null>('project_restore', { id }),

  /** Latest first (by relevance with a search). */
  eventsList: (query: EventQuery) => invoke<EventPage>('events_list', { query }),
  /** With its project's title and its organisers, named as far as they are known here. */
  eventGet: (id: string) => invoke<Event>('event_get', { id }),
  eventCreate: (input: EventInput) => invoke<Event>('event_create', { input }),
  eventUpdate: (id: string, input: EventInput) => invoke<Event>('event_update', { id, input }),
  eventDelete: (id: string) => invoke<null>('event_delete', { id }),
  eventRestore: (id: string) => invoke<null>('event_restore', { id }),

  /** Figures per zone (of one academic year, or all), per year and zone, open calls, applications by status. */
  dashboard: (query: DashboardQuery) => invoke<Dashboard>('dashboard', { query }),

  /** What is overdue (marked), then what is due in the next `withinDays` days, soonest first. */
  reminders: (withinDays: number) => invoke<Reminder[]>('reminders', { withinDays }),
  /** Dismisses a reminder on this laptop (not synced); `reminderUndismiss` lists it again. */
  reminderDismiss: (r: Reminder) => invoke<null>('reminder_dismiss', { kind: r.kind, recordId: r.record_id, date: r.date }),
  reminderUndismiss: (r: Reminder) => invoke<null>('reminder_undismiss', { kind: r.kind, recordId: r.record_id, date: r.date }),
  /** Saves the reminders as an .ics file where a native dialog says: the path written, null when cancelled. */
  remindersExport: (withinDays: number) => invoke<string | null>('reminders_export', { withinDays }),
  /**
   * Exports a list as its screen queries it to a file chosen in a native save dialog, as a job: its id and
   * the file's name, null when the dialog was cancelled.
   */
  listExport: (list: ExportList, format: ExportFormat, lang: UiLang, onEvent: (e: JobEvent) => void) =>
    invoke<ExportStarted | null>('list_export', { list, format, lang, onEvent: channel(onEvent) }),

  /** Every report, with what it holds and the filters it takes, in `lang`. */
  reportCatalogue: (lang: UiLang) => invoke<ReportInfo[]>('report_catalogue', { lang }),
  /** The report `query` asks for, as the data stands today. */
  reportPreview: (query: ReportQuery) => invoke<Report>('report_preview', { query }),
  /**
   * Writes a report to a file chosen in a native save dialog, as a job: its id and the file's name, null when
   * the dialog was cancelled.
   */
  reportExport: (query: ReportQuery, format: ReportFormat, onEvent: (e: JobEvent) => void) =>
    invoke<ExportStarted | null>('report_export', { query, format, onEvent: channel(onEvent) }),

  /** The documents attached to a record (removed ones left out). */
  documentsList: (owner: string) => invoke<Document[]>('documents_list', { owner }),
  /** Attaches the files picked in a native dialog: the documents attached (none when cancelled). */
  documentAttach: (owner: string) => invoke<Document[]>('document_attach', { owner }),
  /** Opens a document with the system's viewer for its type. */
  documentOpen: (id: string) => invoke<null>('document_open', { id }),
  documentRemove: (id: string) => invoke<null>('document_remove', { id }),
  documentRestore: (id: string) => invoke<null>('document_restore', { id }),

  /** What points to a record, by kind of record (kinds with none left out). */
  dependants: (id: string) => invoke<Dependants[]>('dependants', { id }),

  /** The vocabularies and the rules forms apply before saving (status moves, a country's zone). */
  rules: () => invoke<Rules>('rules'),
  /** A review's weighted score (0–100) as it will be kept; null until complete or while a score is out of range. */
  reviewScore: (criteria: Criterion[], scores: Score[]) => invoke<number | null>('review_score', { criteria, scores }),

  /** Partners come titled in `lang` (the UI's language), with their own script beside. */
  search: (query: string, limit: number, lang?: UiLang) => invoke<SearchHit[]>('search', { query, limit, lang }),
  history: (id: string) => invoke<HistoryEntry[]>('history', { id }),

  /** This laptop, its peers, the laptops waiting for approval and the state digest. */
  syncStatus: () => invoke<SyncStatus>('sync_status'),
  /** The laptops whose changes wait for approval (the sidebar's badge). */
  syncWaiting: () => invoke<Waiting[]>('sync_waiting'),
  /** The sync files written and read here, newest first. */
  syncHistory: () => invoke<FileLog[]>('sync_history'),
  /** Approves the laptop with this key fingerprint: what it sent is applied, and the approval travels. */
  syncApprove: (fingerprint: string) => invoke<Approved>('sync_approve', { fingerprint }),
  /**
   * Writes a sync file for a peer (everyone when null) where a native save dialog says, as a job; `syncOutcome`
   * then says what it holds. Null when the dialog was cancelled.
   */
  syncSend: (peer: string | null, passphrase: string | null, onEvent: (e: JobEvent) => void) =>
    invoke<SyncStarted | null>('sync_send', { peer, snapshot: false, passphrase, onEvent: channel(onEvent) }),
  /** Writes a snapshot file a new laptop joins from, where a native save dialog says, as a job. Null: cancelled. */
  syncSnapshot: (passphrase: string | null, onEvent: (e: JobEvent) => void) =>
    invoke<SyncStarted | null>('sync_send', { peer: null, snapshot: true, passphrase, onEvent: channel(onEvent) }),
  /**
   * First run: joins the workspace of a snapshot file chosen in a native open dialog, this laptop named `name`,
   * as a job. Null when the dialog was cancelled.
   */
  workspaceJoin: (name: string, passphrase: string | null, onEvent: (e: JobEvent) => void) =>
    invoke<SyncStarted | null>('workspace_join', { name, passphrase, onEvent: channel(onEvent) }),
  /** Reads the sync files chosen in a native open dialog (several at once), as a job. Null when cancelled. */
  syncReceive: (passphrase: string | null, onEvent: (e: JobEvent) => void) =>
    invoke<SyncStarted | null>('sync_receive', { passphrase, onEvent: channel(onEvent) }),
  /** Reads the sync files dropped on the window under `token`, as a job. */
  syncReceiveDropped: (token: string, passphrase: string | null, onEvent: (e: JobEvent) => void) =>
    invoke<SyncStarted>('sync_receive_dropped', { token, passphrase, onEvent: channel(onEvent) }),
  /** Every open conflict, oldest first. */
  syncConflicts: () => invoke<Conflict[]>('sync_conflicts'),
  /** Settles a conflict with the value shown, the one kept beside it, or a new one (JSON; null empties the field). */
  syncResolve: (id: string, choice: ConflictChoice, value?: unknown) =>
    invoke<Conflict>('sync_resolve', { id, choice, value: value === undefined ? null : value }),
  /** The shared folder (null: none) and what its last pass did. */
  sharedFolderState: () => invoke<SharedFolderState>('shared_folder_state'),
  /** Asks for the shared folder in a native dialog and watches it from now on (unchanged when cancelled). */
  sharedFolderChoose: () => invoke<SharedFolderState>('shared_folder_choose'),
  /** Stops using the shared folder (its files stay). */
  sharedFolderStop: () => invoke<SharedFolderState>('shared_folder_stop'),
  /** What a finished sync job did (once). */
  syncOutcome: (ticket: string) => invoke<SyncOutcome>('sync_outcome', { ticket }),

  /** Asks for a file to import in the shell's native open dialog; the shell keeps it under a token. Null: cancelled. */
  importChoose: () => invoke<ImportChosen | null>('import_choose'),
  /** The file under `token` as the import would read it with `settings`: what was detected, the mapping, the first rows. */
  importPreview: (token: string, settings: ImportSettings, lang: UiLang) =>
    invoke<ImportPreview>('import_preview', { token, settings, lang }),
  /** Plans every row and writes nothing, as a job; `importOutcome` then gives the plan. Its id. */
  importDryRun: (token: string, settings: ImportSettings, createMissing: boolean, onEvent: (e: JobEvent) => void) =>
    invoke<number>('import_dry_run', { token, settings, createMissing, onEvent: channel(onEvent) }),
  /** Imports as a job (a rejects file is chosen first when skipping invalid rows; null when that dialog was cancelled). */
  importRun: (
    token: string,
    settings: ImportSettings,
    skipInvalid: boolean,
    createMissing: boolean,
    lang: UiLang,
    onEvent: (e: JobEvent) => void,
  ) => invoke<ImportStarted | null>('import_run', { token, settings, skipInvalid, createMissing, lang, onEvent: channel(onEvent) }),
  /** The last dry run's or import's outcome for the file under `token`. */
  importOutcome: (token: string) => invoke<ImportOutcome | null>('import_outcome', { token }),
  /** A window of that outcome's rows (those `filter` keeps, from `offset`, `limit` at most): a long plan comes as its table scrolls. */
  importRows: (token: string, filter: ImportRowFilter, offset: number, limit: number) =>
    invoke<ImportRows | null>('import_rows', { token, filter, offset, limit }),
  /** Lets the shell forget the file under `token`. */
  importForget: (token: string) => invoke<null>('import_forget', { token }),
  /** Writes a kind's template where a native save dialog says; the file's name, null when cancelled. */
  importTemplate: (kind: ImportKind, format: TemplateFileFormat, lang: UiLang) =>
    invoke<string | null>('import_template', { kind, format, lang }),
};

export type Api = typeof api;

function channel(onEvent: (e: JobEvent) => void): Channel<JobEvent> {
  const ch = new Channel<JobEvent>();
  ch.onmessage = onEvent;
  return ch;
}

/**
 * Calls `handler` with each payload of the shell's event `name`; returns the unsubscriber, which also works
 * before the subscription has settled. Outside Tauri (a plain browser without the mock) nothing is heard.
 */
function subscribe<T>(name: string, handler: (payload: T) => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  listen<T>(name, (e) => handler(e.payload))
    .then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    })
    .catch(() => {
      // Outside Tauri: nothing to listen to.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}

/** Calls `onChange` after every write the core reports (event `changed`, payload ignored). Returns the unsubscriber. */
export function onChanged(onChange: () => void): () => void {
  return subscribe('changed', () => onChange());
}

/** Calls `onDrop` with the file the shell kept when one is dropped on the window (event `import-dropped`). */
export function onImportDropped(onDrop: (chosen: ImportChosen) => void): () => void {
  return subscribe<ImportChosen>('import-dropped', onDrop);
}

/** Calls `onDrop` when sync files are dropped on the window (event `sync-dropped`): the token to read them with. */
export function onSyncDropped(onDrop: (dropped: SyncDropped) => void): () => void {
  return subscribe<SyncDropped>('sync-dropped', onDrop);
}

/**
 * Asks `hold` when the user closes the window (title bar, Alt+F4): when it returns true the window stays
 * open, and `closeWindow` closes it later. Returns the unsubscriber.
 */
export function onCloseRequested(hold: () => boolean): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  try {
    getCurrentWindow()
      .onCloseRequested((event) => {
        if (hold()) event.preventDefault();
      })
      .then((unlisten) => {
        if (stopped) unlisten();
        else stop = unlisten;
      })
      .catch(() => {
        // Outside Tauri: no window to guard.
      });
  } catch {
    // Outside Tauri (no window metadata): nothing to guard.
  }
  return () => {
    stopped = true;
    stop?.();
  };
}

/** Closes the window for good (after the user chose Save or Discard in the close guard). */
export function closeWindow(): Promise<void> {
  return getCurrentWindow().destroy();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Any rejection as an `IpcError`: the core's errors pass through, anything else becomes kind `unknown`. */
export function toIpcError(error: unknown): IpcError {
  if (isRecord(error) && typeof error.kind === 'string') {
    return {
      kind: error.kind,
      message: typeof error.message === 'string' ? error.message : String(error.kind),
      fields: Array.isArray(error.fields) ? (error.fields as IpcError['fields']) : [],
    };
  }
  if (error instanceof Error) return { kind: 'unknown', message: error.message, fields: [] };
  return { kind: 'unknown', message: typeof error === 'string' ? error : JSON.stringify(error), fields: [] };
}
