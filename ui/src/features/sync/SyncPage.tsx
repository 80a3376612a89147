import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Conflict } from '../../bindings/Conflict';
import type { ConflictChoice } from '../../bindings/ConflictChoice';
import type { FileLog } from '../../bindings/FileLog';
import type { FileRead } from '../../bindings/FileRead';
import type { JobEvent } from '../../bindings/JobEvent';
import type { SyncOutcome } from '../../bindings/SyncOutcome';
import type { SyncStarted } from '../../bindings/SyncStarted';
import type { SyncStatus } from '../../bindings/SyncStatus';
import type { Waiting } from '../../bindings/Waiting';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, Spinner } from '../../components/Feedback';
import { IconDownload, IconUpload } from '../../components/icons';
import { startAfterDialog, useJobs } from '../../hooks/useJobs';
import { useToast } from '../../hooks/useToast';
import { api, toIpcError } from '../../ipc';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useRouter, type Route } from '../../router';

/** Where the page's last send or receive ended: what the core said it did. */
type Result = { outcome: SyncOutcome } | { failed: string } | null;

/**
 * The Sync page: this laptop's name and key fingerprint (to read over the phone), the laptops waiting for
 * approval, the peers and what each acknowledged, sending a sync file for a peer or everyone and receiving
 * sync files (chosen in a dialog or dropped on the window), each a job with progress and Cancel, and the
 * history of files sent and received. The core decides everything; the page shows its answers.
 */
export function SyncPage({ dropped }: { dropped?: { token: string; files: string[] } }) {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ['syncStatus'], queryFn: api.syncStatus });
  const history = useQuery({ queryKey: ['syncHistory'], queryFn: api.syncHistory });
  const [result, setResult] = useState<Result>(null);
  const run = useSyncJob(setResult);
  const [passphrase, setPassphrase] = useState('');
  const passId = useId();

  // Files dropped on the window are read once, as soon as the page opens with them; the route then forgets
  // them, so coming back to the page does not read them again.
  const { replace } = useRouter();
  const started = useRef(false);
  useEffect(() => {
    if (!dropped || started.current) return;
    started.current = true;
    replace({ name: 'sync' });
    void run('sync.receiving', (onEvent) => api.syncReceiveDropped(dropped.token, null, onEvent));
  }, [dropped, run, replace]);

  return (
    <div className="page page-sync">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('sync.title')}</h1>
          <p className="page-subtitle muted">{t('sync.subtitle')}</p>
        </div>
      </header>
      {status.isPending && <Spinner label={t('common.loading')} />}
      {status.error && <ErrorBanner error={toIpcError(status.error)} onRetry={() => void status.refetch()} />}
      {status.data && (
        <div className="sync">
          <ThisLaptop status={status.data} />
          <section className="card sync-actions" aria-label={t('sync.actions')}>
            <Send status={status.data} passphrase={passphrase} run={run} />
            <div className="sync-action">
              <h2 className="card-title">{t('sync.receive')}</h2>
              <p className="muted small">{t('sync.receiveHint')}</p>
              <button
                type="button"
                className="btn"
                data-testid="sync-receive"
                onClick={() => void run('sync.receiving', (onEvent) => api.syncReceive(passphrase || null, onEvent))}
              >
                <IconUpload />
                {t('sync.receiveButton')}
              </button>
            </div>
            <div className="sync-passphrase">
              <label className="filter-label" htmlFor={passId}>
                {t('sync.passphrase')}
              </label>
              <input
                id={passId}
                type="password"
                className="input"
                autoComplete="off"
                data-testid="sync-passphrase"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
              />
              <p className="muted small">{t('sync.passphraseHint')}</p>
            </div>
          </section>
          {result && <ResultPanel result={result} onClose={() => setResult(null)} />}
          <SharedFolderCard />
          <section className="card sync-newcomer" aria-label={t('sync.newLaptop')}>
            <h2 className="card-title">{t('sync.newLaptop')}</h2>
            <ol className="sync-steps">
              <li>{t('sync.newLaptopStep1')}</li>
              <li>{t('sync.newLaptopStep2')}</li>
              <li>{t('sync.newLaptopStep3')}</li>
            </ol>
            <button
              type="button"
              className="btn"
              data-testid="sync-snapshot"
              onClick={() => void run('sync.sending', (onEvent) => api.syncSnapshot(passphrase || null, onEvent))}
            >
              <IconDownload />
              {t('sync.snapshotButton')}
            </button>
          </section>
          <WaitingList waiting={status.data.waiting} />
          <Conflicts />
          <Peers status={status.data} />
          <History files={history.data ?? []} />
        </div>
      )}
    </div>
  );
}

/** Runs a sync job with the jobs panel's progress and Cancel, then shows what the core says it did. */
function useSyncJob(setResult: (r: Result) => void) {
  const jobs = useJobs();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { start } = jobs;
  return useCallback(
    async (label: string, startJob: (onEvent: (e: JobEvent) => void) => Promise<SyncStarted | null>) => {
      try {
        const run = await startAfterDialog(start, label, startJob);
        if (!run) return;
        const { started, ended } = run;
        if (ended.outcome === 'done') setResult({ outcome: await api.syncOutcome(started.ticket) });
        else if (ended.outcome === 'cancelled') toast.show({ message: 'sync.cancelled' });
        else setResult({ failed: ended.error?.message ?? '' });
      } catch (e) {
        setResult({ failed: toIpcError(e).message });
      } finally {
        void queryClient.invalidateQueries({ queryKey: ['syncStatus'] });
        void queryClient.invalidateQueries({ queryKey: ['syncHistory'] });
      }
    },
    [start, toast, queryClient, setResult],
  );
}

function ThisLaptop({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  const toast = useToast();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(status.fingerprint);
      toast.show({ message: 'sync.copied', tone: 'success' });
    } catch {
      toast.show({ message: 'sync.copyFailed', tone: 'error' });
    }
  };
  return (
    <section className="card sync-me" aria-label={t('sync.thisLaptop')}>
      <h2 className="card-title">{t('sync.thisLaptop')}</h2>
      <dl className="props">
        <div className="prop">
          <dt>{t('sync.name')}</dt>
          <dd data-testid="sync-me-name">{status.name}</dd>
        </div>
        <div className="prop">
          <dt>{t('sync.fingerprint')}</dt>
          <dd>
            <code className="sync-fingerprint" data-testid="sync-me-fingerprint">
              {status.fingerprint}
            </code>{' '}
            <button type="button" className="btn btn-small" data-testid="sync-copy" onClick={() => void copy()}>
              {t('sync.copy')}
            </button>
          </dd>
        </div>
        <div className="prop">
          <dt>{t('sync.digest')}</dt>
          <dd>
            <code className="sync-digest" data-testid="sync-me-digest" title={t('sync.digestHint')}>
              {status.digest}
            </code>
          </dd>
        </div>
      </dl>
      <p className="muted small">{t('sync.fingerprintHint')}</p>
    </section>
  );
}

function Send({
  status,
  passphrase,
  run,
}: {
  status: SyncStatus;
  passphrase: string;
  run: (label: string, start: (onEvent: (e: JobEvent) => void) => Promise<SyncStarted | null>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [peer, setPeer] = useState('');
  const approved = status.peers.filter((p) => p.standing === 'approved');
  return (
    <div className="sync-action">
      <h2 className="card-title">{t('sync.send')}</h2>
      <p className="muted small">{t('sync.sendHint')}</p>
      <div className="sync-send-row">
        <label className="filter-label" htmlFor={id}>
          {t('sync.sendFor')}
        </label>
        <select id={id} className="select" data-testid="sync-send-for" value={peer} onChange={(e) => setPeer(e.target.value)}>
          <option value="">{t('sync.everyone')}</option>
          {approved.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="sync-send"
          onClick={() => void run('sync.sending', (onEvent) => api.syncSend(peer || null, passphrase || null, onEvent))}
        >
          <IconDownload />
          {t('sync.sendButton')}
        </button>
      </div>
    </div>
  );
}

function ResultPanel({ result, onClose }: { result: NonNullable<Result>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  let lines: { key: string; text: string; tone: 'ok' | 'error' }[];
  if ('failed' in result) {
    lines = [{ key: 'failed', text: t('sync.failed', { message: result.failed }), tone: 'error' }];
  } else if (result.outcome.kind === 'sent') {
    const w = result.outcome.written;
    lines = [
      {
        key: 'sent',
        text: t('sync.sent', {
          file: result.outcome.file,
          changes: t('sync.changes', { count: w.ops, n: n(w.ops) }),
          documents: t('sync.documents', { count: w.documents, n: n(w.documents) }),
          size: formatSize(w.bytes, i18n.language),
        }),
        tone: 'ok',
      },
    ];
  } else {
    lines = result.outcome.files.map((f, i) => ({ key: `${i}`, ...fileLine(f, t, n) }));
  }
  return (
    <section className="card sync-result" role="status" aria-label={t('sync.result')} data-testid="sync-result">
      <ul>
        {lines.map((l) => (
          <li key={l.key} className={l.tone === 'error' ? 'sync-result-error' : undefined}>
            {l.text}
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={onClose}>
        {t('common.close')}
      </button>
    </section>
  );
}

/** One file read, in words: "Shanghai office: 214 changes, 2 documents", or why it was refused. */
function fileLine(
  f: FileRead,
  t: (key: string, options?: Record<string, unknown>) => string,
  n: (x: number) => string,
): { text: string; tone: 'ok' | 'error' } {
  const r = f.imported;
  if (!r) return { text: t('sync.refused', { file: f.file, message: f.error?.message ?? '' }), tone: 'error' };
  if (r.already_imported) return { text: t('sync.alreadyImported', { sender: r.sender_name }), tone: 'ok' };
  const parts = [t('sync.newChanges', { count: r.new_ops, n: n(r.new_ops) })];
  if (r.documents > 0) parts.push(t('sync.documents', { count: r.documents, n: n(r.documents) }));
  if (r.held_back > 0) parts.push(t('sync.heldBack', { count: r.held_back, n: n(r.held_back) }));
  if (r.future > 0) parts.push(t('sync.future', { count: r.future, n: n(r.future) }));
  if (r.refused > 0) parts.push(t('sync.revokedRefused', { count: r.refused, n: n(r.refused) }));
  if (r.conflicts > 0) parts.push(t('sync.newConflicts', { count: r.conflicts, n: n(r.conflicts) }));
  return { text: t('sync.fileIn', { sender: r.sender_name, what: parts.join(', ') }), tone: 'ok' };
}

function formatSize(bytes: number, lang: string): string {
  const units = lang.startsWith('fr') ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

function WaitingList({ waiting }: { waiting: Waiting[] }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<Waiting | null>(null);
  const [busy, setBusy] = useState(false);
  if (waiting.length === 0) return null;
  const approve = async (w: Waiting) => {
    setBusy(true);
    try {
      const done = await api.syncApprove(w.fingerprint);
      toast.show({ message: 'sync.approved', values: { name: done.name, n: formatNumber(done.applied, i18n.language) }, tone: 'success' });
      setAsking(null);
    } catch (e) {
      toast.show({ message: 'sync.failed', values: { message: toIpcError(e).message }, tone: 'error' });
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries();
    }
  };
  return (
    <section className="card sync-waiting" aria-label={t('sync.waiting')} data-testid="sync-waiting">
      <h2 className="card-title">{t('sync.waiting')}</h2>
      <p className="muted small">{t('sync.waitingHint')}</p>
      <ul className="sync-waiting-list">
        {waiting.map((w) => (
          <li key={w.id} data-testid={`sync-waiting-${w.fingerprint}`}>
            <span className="sync-peer-name">{w.name}</span>
            <code className="sync-fingerprint">{w.fingerprint}</code>
            <span className="muted">{t('sync.changes', { count: w.ops, n: formatNumber(w.ops, i18n.language) })}</span>
            <button type="button" className="btn btn-primary btn-small" data-testid="sync-approve" onClick={() => setAsking(w)}>
              {t('sync.approve')}
            </button>
          </li>
        ))}
      </ul>
      {asking && (
        <ConfirmDialog
          title={t('sync.approveTitle', { name: asking.name })}
          message={t('sync.approveMessage', { fingerprint: asking.fingerprint })}
          confirmLabel={t('sync.approve')}
          cancelLabel={t('common.cancel')}
          confirmTone="primary"
          busy={busy}
          onConfirm={() => void approve(asking)}
          onCancel={() => setAsking(null)}
        />
      )}
    </section>
  );
}

function Peers({ status }: { status: SyncStatus }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card sync-peers" aria-label={t('sync.peers')}>
      <h2 className="card-title">{t('sync.peers')}</h2>
      {status.peers.length === 0 ? (
        <p className="muted">{t('sync.noPeers')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="sync-peers">
            <thead>
              <tr>
                <th scope="col">{t('sync.name')}</th>
                <th scope="col">{t('sync.fingerprint')}</th>
                <th scope="col">{t('sync.standing')}</th>
                <th scope="col">{t('sync.lastReceived')}</th>
                <th scope="col">{t('sync.lastSent')}</th>
                <th scope="col">{t('sync.acknowledged')}</th>
              </tr>
            </thead>
            <tbody>
              {status.peers.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    <code className="sync-fingerprint">{p.fingerprint ?? '—'}</code>
                  </td>
                  <td>
                    <span className={`badge sync-standing-${p.standing}`}>{t(`sync.standings.${p.standing}`)}</span>
                  </td>
                  <td>{p.last_received ? formatDateTime(p.last_received, lang) : '—'}</td>
                  <td>{p.last_sent ? formatDateTime(p.last_sent, lang) : '—'}</td>
                  <td>{acknowledged(p.acknowledged, status, t, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** What a peer acknowledged, against what this laptop holds: "everything" or how many changes it lacks. */
function acknowledged(
  acked: SyncStatus['holds'],
  status: SyncStatus,
  t: (key: string, options?: Record<string, unknown>) => string,
  lang: string,
): string {
  if (acked.length === 0) return t('sync.nothingYet');
  const lacking = status.holds.reduce((sum, h) => {
    const theirs = acked.find((a) => a.origin === h.origin)?.seq ?? 0;
    return sum + Math.max(0, h.seq - theirs);
  }, 0);
  return lacking === 0 ? t('sync.hasEverything') : t('sync.lacks', { count: lacking, n: formatNumber(lacking, lang) });
}

function History({ files }: { files: FileLog[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card sync-history" aria-label={t('sync.history')}>
      <h2 className="card-title">{t('sync.history')}</h2>
      {files.length === 0 ? (
        <p className="muted">{t('sync.noHistory')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="sync-history">
            <thead>
              <tr>
                <th scope="col">{t('sync.when')}</th>
                <th scope="col">{t('sync.direction')}</th>
                <th scope="col">{t('sync.peer')}</th>
                <th scope="col" className="num">
                  {t('sync.changesColumn')}
                </th>
                <th scope="col" className="num">
                  {t('sync.documentsColumn')}
                </th>
                <th scope="col">{t('sync.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={`${f.bundle}-${f.direction}-${f.at}`}>
                  <td>{formatDateTime(f.at, lang)}</td>
                  <td>{t(f.direction === 'in' ? 'sync.received' : 'sync.sentDirection')}</td>
                  <td>{f.peer_name ?? t('sync.everyone')}</td>
                  <td className="num">{formatNumber(f.direction === 'in' ? f.new_ops : f.ops, lang)}</td>
                  <td className="num">{formatNumber(f.documents, lang)}</td>
                  <td>{t(`sync.results.${f.result}`, { defaultValue: f.result })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The page of the record a conflict is in. */
function recordRoute(c: Conflict): Route | null {
  const id = c.record_id;
  switch (c.record_table) {
    case 'partner':
    case 'contact':
    case 'agreement':
    case 'exchange':
    case 'project':
    case 'event':
    case 'call':
    case 'application':
      return { name: c.record_table, id };
    default:
      return null;
  }
}

/** A field's value as the core gives it (JSON), in words. */
function shownValue(value: unknown, t: (key: string) => string): string {
  if (value === null || value === undefined || value === '') return t('sync.empty');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The conflicts inbox: each field two laptops changed without seeing each other's change, both values side
 * by side with who wrote each and when; keep either, or write a new one. An edit against a deletion offers
 * Restore or Leave deleted. Every laptop that holds the same changes lists the same conflicts.
 */
function Conflicts() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const conflicts = useQuery({ queryKey: ['syncConflicts'], queryFn: api.syncConflicts });
  const toast = useToast();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!conflicts.data || conflicts.data.length === 0) return null;
  const settle = async (c: Conflict, choice: ConflictChoice, value?: unknown) => {
    setBusy(true);
    try {
      await api.syncResolve(c.id, choice, value);
      toast.show({ message: 'sync.conflictSettled', tone: 'success' });
      setEditing(null);
    } catch (e) {
      toast.show({ message: 'sync.failed', values: { message: toIpcError(e).message }, tone: 'error' });
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries();
    }
  };
  return (
    <section className="card sync-conflicts" aria-label={t('sync.conflicts')} data-testid="sync-conflicts">
      <h2 className="card-title">
        {t('sync.conflicts')} <span className="badge">{formatNumber(conflicts.data.length, lang)}</span>
      </h2>
      <p className="muted small">{t('sync.conflictsHint')}</p>
      <ul className="sync-conflict-list">
        {conflicts.data.map((c) => {
          const route = recordRoute(c);
          const side = (which: 'winner' | 'loser') => {
            const s = c[which];
            return (
              <div className={`sync-side sync-side-${which}`} data-testid={`conflict-${which}`}>
                <span className="filter-label">{t(which === 'winner' ? 'sync.shown' : 'sync.keptBeside')}</span>
                <span className="sync-side-value">
                  {c.edit_against_delete
                    ? t(which === 'winner' ? 'sync.deletedIt' : 'sync.editedIt')
                    : shownValue(s.value, t)}
                </span>
                <span className="muted small">{t('sync.byAt', { author: s.author, at: formatDateTime(s.at, lang) })}</span>
              </div>
            );
          };
          return (
            <li key={c.id} className="sync-conflict" data-testid="sync-conflict">
              <div className="sync-conflict-head">
                <span className="badge">{t(`header.${c.record_table}`, { defaultValue: c.record_table })}</span>
                {!c.edit_against_delete && <code className="sync-field">{c.field}</code>}
                {route && (
                  <button type="button" className="btn btn-small" data-testid="conflict-open" onClick={() => navigate(route)}>
                    {t('sync.openRecord')}
                  </button>
                )}
              </div>
              <div className="sync-sides">
                {side('winner')}
                {side('loser')}
              </div>
              <div className="sync-conflict-actions">
                {c.edit_against_delete ? (
                  <>
                    <button type="button" className="btn btn-small" data-testid="conflict-keep-shown" disabled={busy} onClick={() => void settle(c, 'shown')}>
                      {t('sync.leaveDeleted')}
                    </button>
                    <button type="button" className="btn btn-small btn-primary" data-testid="conflict-keep-kept" disabled={busy} onClick={() => void settle(c, 'kept')}>
                      {t('sync.restore')}
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" className="btn btn-small" data-testid="conflict-keep-shown" disabled={busy} onClick={() => void settle(c, 'shown')}>
                      {t('sync.keepShown')}
                    </button>
                    <button type="button" className="btn btn-small" data-testid="conflict-keep-kept" disabled={busy} onClick={() => void settle(c, 'kept')}>
                      {t('sync.keepKept')}
                    </button>
                    {typeof c.winner.value === 'string' || c.winner.value === null ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        data-testid="conflict-edit"
                        disabled={busy}
                        onClick={() => setEditing({ id: c.id, text: typeof c.winner.value === 'string' ? c.winner.value : '' })}
                      >
                        {t('sync.edit')}
                      </button>
                    ) : null}
                  </>
                )}
              </div>
              {editing?.id === c.id && (
                <form
                  className="sync-conflict-edit"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void settle(c, 'new', editing.text.trim() === '' ? null : editing.text);
                  }}
                >
                  <label className="filter-label" htmlFor={`conflict-${c.id}`}>
                    {t('sync.newValue')}
                  </label>
                  <input
                    id={`conflict-${c.id}`}
                    className="input"
                    data-testid="conflict-new-value"
                    autoFocus
                    value={editing.text}
                    onChange={(e) => setEditing({ id: c.id, text: e.target.value })}
                  />
                  <button type="submit" className="btn btn-small btn-primary" data-testid="conflict-save" disabled={busy}>
                    {t('common.save')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => setEditing(null)}>
                    {t('common.cancel')}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * The shared folder: a folder a sync service carries (Syncthing, Nextcloud, OneDrive, Dropbox, a network
 * drive). Once chosen, Liaison leaves its file there after changes and reads the files the other laptops
 * leave, every few seconds; the card says what the last pass did.
 */
function SharedFolderCard() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const toast = useToast();
  // While a folder is watched, what its passes did is read again every few seconds.
  const state = useQuery({
    queryKey: ['sharedFolder'],
    queryFn: api.sharedFolderState,
    refetchInterval: (q) => (q.state.data?.dir ? 3000 : false),
  });
  const change = async (choose: boolean) => {
    try {
      const next = await (choose ? api.sharedFolderChoose() : api.sharedFolderStop());
      queryClient.setQueryData(['sharedFolder'], next);
    } catch (e) {
      toast.show({ message: 'sync.failed', values: { message: toIpcError(e).message }, tone: 'error' });
    }
  };
  const data = state.data;
  const last = data?.last;
  const n = (x: number) => formatNumber(x, lang);
  let lastText: string | null = null;
  if (last?.error) lastText = t('sync.folderFailed', { message: last.error });
  else if (last?.pass) {
    const p = last.pass;
    const parts: string[] = [];
    for (const f of p.imported) parts.push(fileLine({ file: f.file, imported: f.imported, error: null }, t, n).text);
    if (p.written) parts.push(t('sync.folderWrote', { changes: t('sync.changes', { count: p.written.ops, n: n(p.written.ops) }) }));
    if (p.waiting_for_approval) parts.push(t('sync.folderWaiting'));
    if (p.still_arriving > 0) parts.push(t('sync.folderArriving', { count: p.still_arriving, n: n(p.still_arriving) }));
    lastText = parts.length > 0 ? parts.join(' · ') : t('sync.folderQuiet');
  }
  return (
    <section className="card sync-folder" aria-label={t('sync.folder')} data-testid="sync-folder">
      <h2 className="card-title">{t('sync.folder')}</h2>
      <p className="muted small">{t('sync.folderHint')}</p>
      {data?.dir ? (
        <>
          <p>
            <code className="sync-folder-path" data-testid="sync-folder-path">
              {data.dir}
            </code>
          </p>
          {last && (
            <p className="small" data-testid="sync-folder-last">
              {t('sync.folderLast', { at: formatDateTime(last.at, lang) })} {lastText}
            </p>
          )}
          {data.refused.length > 0 && (
            <ul className="sync-folder-refused" data-testid="sync-folder-refused">
              {data.refused.map((r) => (
                <li key={r.file} className="sync-result-error">
                  {t('sync.refused', { file: r.file, message: r.reason })}
                </li>
              ))}
            </ul>
          )}
          <div className="sync-conflict-actions">
            <button type="button" className="btn btn-small" data-testid="sync-folder-choose" onClick={() => void change(true)}>
              {t('sync.folderOther')}
            </button>
            <button type="button" className="btn btn-small" data-testid="sync-folder-stop" onClick={() => void change(false)}>
              {t('sync.folderStop')}
            </button>
          </div>
        </>
      ) : (
        <button type="button" className="btn" data-testid="sync-folder-choose" onClick={() => void change(true)}>
          {t('sync.folderChoose')}
        </button>
      )}
    </section>
  );
}
