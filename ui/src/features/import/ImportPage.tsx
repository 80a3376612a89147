import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Cell } from '../../bindings/Cell';
import type { ImportChosen } from '../../bindings/ImportChosen';
import type { ImportKind } from '../../bindings/ImportKind';
import type { ImportMapped } from '../../bindings/ImportMapped';
import type { ImportOutcome } from '../../bindings/ImportOutcome';
import type { ImportPreview } from '../../bindings/ImportPreview';
import type { ImportRowFilter } from '../../bindings/ImportRowFilter';
import type { ImportRowPlan } from '../../bindings/ImportRowPlan';
import type { ImportSettings } from '../../bindings/ImportSettings';
import type { IpcError } from '../../bindings/IpcError';
import type { JobEvent } from '../../bindings/JobEvent';
import type { TemplateFileFormat } from '../../bindings/TemplateFileFormat';
import { ErrorBanner, Spinner } from '../../components/Feedback';
import { IconUpload } from '../../components/icons';
import { useJobs } from '../../hooks/useJobs';
import { useToast } from '../../hooks/useToast';
import { currentLang } from '../../i18n';
import { api, toIpcError } from '../../ipc';
import { importErrorText, importMatchText } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useLeaveGuard, useRouter, type Route, type Section } from '../../router';

type Step = 'file' | 'columns' | 'check' | 'done';
const STEPS: readonly Step[] = ['file', 'columns', 'check', 'done'];

const KINDS: readonly ImportKind[] = ['partner', 'contact', 'agreement', 'exchange', 'project', 'event', 'call', 'application'];

/** Plans longer than this are drawn as a virtual list (only the rows in view are in the page). */
const VIRTUAL_FROM = 200;

/** How the file is read, as the user chose over what the core detected (null: the core's choice). */
interface Reading {
  kind: ImportKind | null;
  sheet: string | null;
  encoding: string | null;
  delimiter: string | null;
}

/** A cell of the preview as text. */
function cellText(cell: Cell | undefined): string {
  if (!cell || cell.type === 'empty') return '';
  return String(cell.value);
}

/** A value of a change (old or new) as text. */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/**
 * Importing a file into the workspace, as the core plans it: (1) the file from the shell's open dialog (or
 * dropped on the window), its first rows with the encoding, delimiter, sheet and kind the core detected,
 * each changeable; (2) each column's field, the core's suggestion preselected; (3) the dry run of every row
 * (create, update which fields, unchanged, error with row, column and message); (4) the import as a job with
 * progress and Cancel, then what was written, opening the records. The rules, fields and labels are the
 * core's; this page only shows them and carries the user's choices.
 */
export function ImportPage({ kind, chosen }: { kind?: ImportKind; chosen: ImportChosen | null }) {
  const { t, i18n } = useTranslation();
  const lang = currentLang();
  const jobs = useJobs();
  const toast = useToast();
  const [file, setFile] = useState<ImportChosen | null>(chosen);
  const [step, setStep] = useState<Step>('file');
  const [reading, setReading] = useState<Reading>({ kind: kind ?? null, sheet: null, encoding: null, delimiter: null });
  const [map, setMap] = useState<ImportMapped[]>([]);
  const [createMissing, setCreateMissing] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  // Each run's outcome with its number: the rows of a new run are asked for afresh.
  const [plan, setPlan] = useState<{ outcome: ImportOutcome; key: string; run: number } | null>(null);
  const [result, setResult] = useState<{ outcome: ImportOutcome; run: number } | null>(null);
  const runs = useRef(0);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const settings: ImportSettings = useMemo(() => ({ ...reading, map }), [reading, map]);
  const settingsKey = JSON.stringify({ settings, createMissing });
  const token = file?.token ?? null;

  // Each step starts with the keyboard on its first control (the button that moved on is gone).
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (step !== 'file') body.current?.querySelector<HTMLElement>('select, input, button')?.focus();
  }, [step]);

  // The shell lets go of the file once the flow closes.
  useEffect(() => {
    if (!token) return;
    return () => void api.importForget(token).catch(() => undefined);
  }, [token]);

  // Leaving with a file under way asks first; there is nothing to save, only leave or stay.
  useLeaveGuard((file !== null && step !== 'done') || running, () => Promise.resolve(false), true);

  const preview = useQuery({
    queryKey: ['import-preview', token, settings, lang],
    queryFn: () => api.importPreview(token ?? '', settings, lang),
    enabled: token !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  // The last preview the core could read stays on screen when a choice fails (UTF-8 for a Windows-1252 file),
  // so the user can choose again.
  const [lastGood, setLastGood] = useState<ImportPreview | null>(null);
  if (preview.data && !preview.isPlaceholderData && preview.data !== lastGood) setLastGood(preview.data);
  const shown = token ? (preview.isError ? lastGood : preview.data) : undefined;

  const restart = (next: ImportChosen | null) => {
    setFile(next);
    setLastGood(null);
    setStep('file');
    setReading({ kind: kind ?? null, sheet: null, encoding: null, delimiter: null });
    setMap([]);
    setPlan(null);
    setResult(null);
    setError(null);
  };

  const choose = async () => {
    setError(null);
    try {
      const next = await api.importChoose();
      if (next) restart(next);
    } catch (e) {
      setError(toIpcError(e));
    }
  };

  /** The hand mapping once column `header` fills `field`: every column whose field is not the core's suggestion. */
  const mapColumn = (p: ImportPreview, header: string, field: string | null) => {
    const fields = p.opened.columns.map((c) => ({ header: c.header, field: c.header === header ? field : c.field }));
    const changed = fields.filter((c, i) => c.field !== (p.suggested[i] ?? null));
    // None differing while a remembered mapping applies: say every column, or the core would apply it again.
    setMap(changed.length === 0 && p.opened.remembered ? fields : changed);
  };

  const check = async () => {
    if (!token) return;
    setError(null);
    setRunning(true);
    const key = settingsKey;
    try {
      const outcome = await jobs.start('import.job.check', (onEvent) => api.importDryRun(token, settings, createMissing, onEvent));
      if (outcome.outcome === 'done') {
        const planned = await api.importOutcome(token);
        if (planned) {
          setPlan({ outcome: planned, key, run: ++runs.current });
          setStep('check');
        }
      } else if (outcome.outcome === 'failed' && outcome.error) {
        setError(outcome.error);
      }
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setRunning(false);
    }
  };

  const importNow = async () => {
    if (!token) return;
    setError(null);
    setRunning(true);
    // Events that arrive before the job is shown (it starts once the rejects file is chosen) wait here.
    const early: JobEvent[] = [];
    let forward: ((e: JobEvent) => void) | null = null;
    const onEvent = (e: JobEvent) => {
      if (forward) forward(e);
      else early.push(e);
    };
    try {
      const started = await api.importRun(token, settings, skipInvalid, createMissing, lang, onEvent);
      if (!started) return;
      const outcome = await jobs.start('import.job.run', (toPanel) => {
        forward = toPanel;
        early.splice(0).forEach(toPanel);
        return Promise.resolve(started.job);
      });
      if (outcome.outcome === 'done') {
        const done = await api.importOutcome(token);
        if (done) {
          setResult({ outcome: done, run: ++runs.current });
          setStep('done');
        }
      } else if (outcome.outcome === 'cancelled') {
        toast.show({ message: 'import.cancelled' });
      } else if (outcome.error) {
        setError(outcome.error);
      }
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setRunning(false);
    }
  };

  const at = STEPS.indexOf(step);
  return (
    <div className="page import-page" data-testid="import-page">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('import.title')}</h1>
          <div className="page-subtitle">{file ? <span data-testid="import-file">{file.file}</span> : t('import.subtitle')}</div>
        </div>
      </header>
      <ol className="import-steps" aria-label={t('import.stepsLabel')}>
        {STEPS.map((s, i) => (
          <li key={s} className={i === at ? 'is-current' : i < at ? 'is-done' : ''} aria-current={i === at ? 'step' : undefined}>
            <span className="import-step-number">{i + 1}</span>
            {t(`import.steps.${s}`)}
          </li>
        ))}
      </ol>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}

      <div className="import-body" ref={body}>
        {step === 'file' && !file && <ChooseFile onChoose={() => void choose()} preset={kind} />}
        {step === 'file' && file && (
          <>
            {preview.isError && <ErrorBanner error={toIpcError(preview.error)} />}
            {!shown && preview.isFetching && <Spinner label={t('import.reading')} />}
            {shown && (
              <FileStep
                preview={shown}
                reading={reading}
                onReading={(change) => {
                  setReading((r) => ({ ...r, ...change }));
                  if ('kind' in change || 'sheet' in change) setMap([]);
                }}
              />
            )}
            <div className="form-footer-actions import-actions">
              <button type="button" className="btn" data-testid="import-choose-again" onClick={() => void choose()}>
                {t('import.chooseAnother')}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="import-next"
                disabled={!shown || preview.isError}
                onClick={() => setStep('columns')}
              >
                {t('import.nextColumns')}
              </button>
            </div>
          </>
        )}

        {step === 'columns' && shown && (
          <>
            <ColumnsStep preview={shown} onMap={(header, field) => mapColumn(shown, header, field)} />
            <label className="checkbox import-option">
              <input
                type="checkbox"
                data-testid="import-create-missing"
                checked={createMissing}
                onChange={(e) => setCreateMissing(e.target.checked)}
              />
              {t('import.createMissing')}
            </label>
            <div className="form-footer-actions import-actions">
              <button type="button" className="btn" data-testid="import-back" onClick={() => setStep('file')}>
                {t('common.back')}
              </button>
              <button type="button" className="btn btn-primary" data-testid="import-check" disabled={running || preview.isFetching} onClick={() => void check()}>
                {t('import.check')}
              </button>
            </div>
          </>
        )}

        {step === 'check' && plan && (
          <>
            <CheckStep token={token ?? ''} outcome={plan.outcome} run={plan.run} />
            <fieldset className="import-options">
              <legend className="sr-only">{t('import.options')}</legend>
              <label className="checkbox import-option">
                <input type="checkbox" data-testid="import-skip-invalid" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
                {t('import.skipInvalid')}
              </label>
              <label className="checkbox import-option">
                <input
                  type="checkbox"
                  data-testid="import-create-missing"
                  checked={createMissing}
                  onChange={(e) => setCreateMissing(e.target.checked)}
                />
                {t('import.createMissing')}
              </label>
            </fieldset>
            {plan.key !== settingsKey && (
              <p className="field-hint" data-testid="import-stale">
                {t('import.stale')}
              </p>
            )}
            {plan.key === settingsKey && plan.outcome.summary.errors > 0 && !skipInvalid && (
              <p className="field-hint" data-testid="import-blocked">
                {t('import.blocked')}
              </p>
            )}
            <div className="form-footer-actions import-actions">
              <button type="button" className="btn" data-testid="import-back" onClick={() => setStep('columns')}>
                {t('import.backColumns')}
              </button>
              {plan.key !== settingsKey ? (
                <button type="button" className="btn btn-primary" data-testid="import-check" disabled={running} onClick={() => void check()}>
                  {t('import.checkAgain')}
                </button>
              ) : (
                <button
                  type="button"
                  className="btn btn-primary"
                  data-testid="import-run"
                  disabled={running || (plan.outcome.summary.errors > 0 && !skipInvalid)}
                  onClick={() => void importNow()}
                >
                  <IconUpload />
                  {plan.outcome.summary.created + plan.outcome.summary.updated === 0
                    ? t('import.runNothing')
                    : t('import.run', {
                        count: plan.outcome.summary.created + plan.outcome.summary.updated,
                        formatted: formatNumber(plan.outcome.summary.created + plan.outcome.summary.updated, i18n.language),
                      })}
                </button>
              )}
            </div>
          </>
        )}

        {step === 'done' && result && <DoneStep token={token ?? ''} outcome={result.outcome} run={result.run} onAnother={() => restart(null)} />}
      </div>
    </div>
  );
}

/** No file yet: the open dialog, what may be dropped, and the templates. */
function ChooseFile({ onChoose, preset }: { onChoose: () => void; preset?: ImportKind }) {
  const { t } = useTranslation();
  const toast = useToast();
  const uid = useId();
  const [kind, setKind] = useState<ImportKind>(preset ?? 'partner');
  const [format, setFormat] = useState<TemplateFileFormat>('xlsx');
  const [busy, setBusy] = useState(false);
  const template = async () => {
    setBusy(true);
    try {
      const written = await api.importTemplate(kind, format, currentLang());
      if (written) toast.show({ message: 'import.templateWritten', values: { file: written }, tone: 'success' });
    } catch (e) {
      toast.show({ message: toIpcError(e).message, raw: true, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-start">
      <section className="card import-choose">
        <h2 className="card-title">{t('import.chooseTitle')}</h2>
        <p className="muted">{t('import.chooseText')}</p>
        <button type="button" className="btn btn-primary" data-testid="import-choose" onClick={onChoose} autoFocus>
          <IconUpload />
          {t('import.choose')}
        </button>
        <p className="field-hint">{t('import.drop')}</p>
      </section>
      <section className="card import-template">
        <h2 className="card-title">{t('import.templateTitle')}</h2>
        <p className="muted">{t('import.templateText')}</p>
        <div className="import-template-row">
          <Choice
            id={`${uid}-kind`}
            label={t('import.kind')}
            testId="template-kind"
            value={kind}
            choices={KINDS.map((k) => [k, t(`nav.${k}s`)])}
            onChoose={(k) => setKind(k as ImportKind)}
          />
          <label className="filter" htmlFor={`${uid}-format`}>
            <span className="filter-label">{t('import.format')}</span>
            <select
              id={`${uid}-format`}
              className="select"
              data-testid="template-format"
              value={format}
              onChange={(e) => setFormat(e.target.value as TemplateFileFormat)}
            >
              <option value="xlsx">{t('import.formats.xlsx')}</option>
              <option value="csv">{t('import.formats.csv')}</option>
            </select>
          </label>
          <button type="button" className="btn" data-testid="template-write" disabled={busy} onClick={() => void template()}>
            {t('import.templateWrite')}
          </button>
        </div>
      </section>
    </div>
  );
}

/** Step 1: how the file was read (each choice changeable) and its first rows as read. */
function FileStep({ preview, reading, onReading }: { preview: ImportPreview; reading: Reading; onReading: (r: Partial<Reading>) => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const { opened, table } = preview;
  const encodings = opened.encoding && !preview.encodings.includes(opened.encoding) ? [opened.encoding, ...preview.encodings] : preview.encodings;
  const delimiterLabel = (d: string) => (d === '\t' ? t('import.tab') : d === ' ' ? t('import.space') : d);
  return (
    <>
      <div className="import-reading" data-testid="import-reading">
        <Choice
          id={`${uid}-kind`}
          label={t('import.kind')}
          testId="import-kind"
          value={reading.kind ?? opened.kind}
          choices={preview.kinds.map((k) => [k.kind, k.label])}
          onChoose={(kind) => onReading({ kind: kind as ImportKind })}
        />
        {opened.format === 'csv' && (
          <>
            <Choice
              id={`${uid}-encoding`}
              label={t('import.encoding')}
              testId="import-encoding"
              value={reading.encoding ?? opened.encoding ?? ''}
              choices={encodings.map((e) => [
                e,
                e === opened.encoding && opened.encoding_detected ? t('import.detected', { value: e }) : e,
              ])}
              onChoose={(encoding) => onReading({ encoding })}
            />
            <Choice
              id={`${uid}-delimiter`}
              label={t('import.delimiter')}
              testId="import-delimiter"
              value={reading.delimiter ?? opened.delimiter ?? ''}
              choices={preview.delimiters.map((d) => [d, delimiterLabel(d)])}
              onChoose={(delimiter) => onReading({ delimiter })}
            />
          </>
        )}
        {opened.sheets.length > 0 && (
          <Choice
            id={`${uid}-sheet`}
            label={t('import.sheet')}
            testId="import-sheet"
            value={reading.sheet ?? opened.sheet ?? ''}
            choices={opened.sheets.map((sheet) => [sheet, sheet])}
            onChoose={(sheet) => onReading({ sheet })}
          />
        )}
        <p className="import-format muted">
          {t('import.formatIs', { format: opened.format.toUpperCase() })}
          {opened.kind_guessed && reading.kind === null && <> · {t('import.kindGuessed')}</>}
        </p>
      </div>
      {table ? (
        <div className="import-table-wrap">
          <table className="data-table import-preview" data-testid="import-preview">
            <caption className="sr-only">{t('import.previewCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="cell-num">
                  {t('import.row')}
                </th>
                {table.headers.map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.number} data-testid="import-preview-row">
                  <td className="cell-num muted">{r.number}</td>
                  {r.cells.map((c, i) => (
                    <td key={i}>{cellText(c)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {table.more && <p className="field-hint">{t('import.firstRows', { count: table.rows.length })}</p>}
        </div>
      ) : (
        <p className="muted">{t('import.noPreview')}</p>
      )}
    </>
  );
}

/** Step 2: each column of the file and the field it fills (the core's suggestion preselected), or left out. */
function ColumnsStep({ preview, onMap }: { preview: ImportPreview; onMap: (header: string, field: string | null) => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const { opened, table, fields } = preview;
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const first = table?.rows[0];
  if (!table) {
    // A JSON file in the CLI's shape names its fields itself: nothing to map.
    return (
      <p className="field-hint" data-testid="import-json-fields">
        {t('import.jsonFields', { fields: opened.columns.map((c) => c.header).join(', ') })}
      </p>
    );
  }
  return (
    <>
      {opened.remembered && (
        <p className="field-hint" data-testid="import-remembered">
          {t('import.remembered')}
        </p>
      )}
      <div className="import-table-wrap">
        <table className="data-table import-columns" data-testid="import-columns">
          <thead>
            <tr>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.example')}</th>
              <th scope="col">{t('import.field')}</th>
              <th scope="col">{t('import.how')}</th>
            </tr>
          </thead>
          <tbody>
            {opened.columns.map((c, i) => {
              const suggested = preview.suggested[i] ?? null;
              const how = c.field === null ? 'leftOut' : c.field === suggested ? 'recognised' : opened.remembered ? 'rememberedOne' : 'byHand';
              return (
                <tr key={`${i}-${c.header}`} data-testid="import-column" className={c.field === null ? 'is-left-out' : undefined}>
                  <th scope="row">
                    <label htmlFor={`${uid}-${i}`}>{c.header}</label>
                  </th>
                  <td className="muted cell-ellipsis">{cellText(first?.cells[i])}</td>
                  <td>
                    <select
                      id={`${uid}-${i}`}
                      className="select"
                      data-testid={`import-field-${i}`}
                      value={c.field ?? ''}
                      onChange={(e) => onMap(c.header, e.target.value === '' ? null : e.target.value)}
                    >
                      <option value="">{t('import.leftOut')}</option>
                      {fields.map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.mandatory ? `${f.label} *` : f.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted" data-testid="import-column-how">
                    {t(`import.hows.${how}`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {opened.unmatched.length > 0 && (
        <p className="field-hint" data-testid="import-unmatched">
          {t('import.unmatched', { columns: opened.unmatched.join(', ') })}
        </p>
      )}
      {opened.missing_columns.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="import-missing-columns">
          {t('import.missingColumns', { fields: opened.missing_columns.map(label).join(', ') })}
        </div>
      )}
    </>
  );
}

/** Rows the shell gives in one answer. */
const PAGE = 200;

/**
 * The rows of the last run under `token` that `filter` keeps, asked of the shell a page at a time as they are
 * wanted (a plan of 100,000 rows never crosses IPC whole): `total` once the first page is in, `row(i)` when
 * its page is, `want(from, to)` asks for the pages of rows `from`..`to`.
 */
function usePlanRows(token: string, filter: ImportRowFilter, run: number) {
  const [state, setState] = useState<{ key: string; total: number | null; pages: Map<number, ImportRowPlan[]> }>({
    key: '',
    total: null,
    pages: new Map(),
  });
  const key = `${token}|${filter}|${run}`;
  const asked = useRef<{ key: string; pages: Set<number> }>({ key: '', pages: new Set() });
  const want = useCallback(
    (from: number, to: number) => {
      if (asked.current.key !== key) asked.current = { key, pages: new Set() };
      for (let page = Math.floor(from / PAGE); page <= Math.floor(Math.max(from, to) / PAGE); page++) {
        if (asked.current.pages.has(page)) continue;
        asked.current.pages.add(page);
        api
          .importRows(token, filter, page * PAGE, PAGE)
          .then((answer) => {
            if (!answer) return;
            setState((prev) => {
              const pages = prev.key === key ? new Map(prev.pages) : new Map<number, ImportRowPlan[]>();
              pages.set(page, answer.rows);
              return { key, total: answer.total, pages };
            });
          })
          .catch(() => asked.current.key === key && asked.current.pages.delete(page));
      }
    },
    [token, filter, key],
  );
  useEffect(() => want(0, 0), [want]);
  const current = state.key === key ? state : { total: null, pages: new Map<number, ImportRowPlan[]>() };
  const row = (i: number): ImportRowPlan | undefined => current.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  return { total: current.total, row, want };
}

/** Step 3: the dry run's counts and every row's plan, errors first to the eye. */
function CheckStep({ token, outcome, run }: { token: string; outcome: ImportOutcome; run: number }) {
  const { t, i18n } = useTranslation();
  const [errorsOnly, setErrorsOnly] = useState(outcome.summary.errors > 0);
  const rows = usePlanRows(token, errorsOnly ? 'errors' : 'all', run);
  const s = outcome.summary;
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <>
      <dl className="import-counts" data-testid="import-counts">
        {(['created', 'updated', 'unchanged', 'errors'] as const).map((k) => (
          <div key={k} className={`import-count import-count-${k}`} data-testid={`import-count-${k}`}>
            <dt>{t(`import.counts.${k}`)}</dt>
            <dd>{n(s[k])}</dd>
          </div>
        ))}
      </dl>
      {s.missing.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="import-missing">
          <ul>
            {s.missing.map((m) => (
              <li key={m.name}>
                {t(m.created ? 'import.missingCreated' : 'import.missingOrg', {
                  name: m.name,
                  rows: m.rows.slice(0, 10).join(', '),
                  count: m.rows.length,
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.errors > 0 && (
        <label className="checkbox import-option">
          <input type="checkbox" data-testid="import-errors-only" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
          {t('import.errorsOnly')}
        </label>
      )}
      <PlanRows rows={rows} />
    </>
  );
}

/** Rows of a plan, asked for as they are wanted; a long plan is virtual (only the rows in view are drawn). */
function PlanRows({ rows }: { rows: ReturnType<typeof usePlanRows> }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const total = rows.total ?? 0;
  const virtual = total > VIRTUAL_FROM;
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: virtual ? total : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => 44,
    // A row not laid out yet (no height) keeps its estimate rather than collapsing the rows after it.
    measureElement: (element) => (element as HTMLElement).offsetHeight || 44,
    overscan: 10,
  });
  const head = (
    <div className="import-plan-row import-plan-head" role="row">
      <span role="columnheader">{t('import.row')}</span>
      <span role="columnheader">{t('import.action')}</span>
      <span role="columnheader">{t('import.details')}</span>
    </div>
  );
  const items = virtualizer.getVirtualItems();
  const { want } = rows;
  const [first, last] = virtual ? [items[0]?.index ?? 0, items.at(-1)?.index ?? 0] : [0, total - 1];
  useEffect(() => want(first, last), [want, first, last]);
  if (!virtual) {
    const shown = Array.from({ length: total }, (_, i) => rows.row(i)).filter((r) => r !== undefined);
    return (
      <div className="import-plan" role="table" aria-label={t('import.planLabel')} data-testid="import-plan">
        {head}
        {shown.map((r) => (
          <PlanRow key={r.row} plan={r} />
        ))}
      </div>
    );
  }
  return (
    <div className="import-plan" role="table" aria-label={t('import.planLabel')} data-testid="import-plan">
      {head}
      <div ref={scroller} className="import-plan-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const plan = rows.row(item.index);
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                {plan ? <PlanRow plan={plan} /> : <div className="import-plan-row" role="row" aria-busy="true" data-testid="import-plan-loading" />}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function PlanRow({ plan }: { plan: ImportRowPlan }) {
  const { t } = useTranslation();
  return (
    <div className={`import-plan-row is-${plan.action}`} role="row" data-testid="import-plan-row">
      <span role="cell" className="cell-num">
        {plan.row}
      </span>
      <span role="cell">
        <span className={`badge import-action-${plan.action}`}>{t(`import.actions.${plan.action}`)}</span>
      </span>
      <span role="cell" className="import-plan-details">
        {plan.errors.map((e, i) => (
          <span key={i} className="import-error" data-testid="import-error">
            {e.column
              ? t('import.errorAt', { row: e.row, column: e.column, message: importErrorText(t, e) })
              : t('import.errorRow', { row: e.row, message: importErrorText(t, e) })}
          </span>
        ))}
        {plan.action === 'update' &&
          plan.changes.map((c, i) => (
            <span key={i} className="import-change">
              <strong>{c.column ?? c.field}</strong>
              {t('import.colon')}
              {valueText(c.old)} → {valueText(c.new)}
            </span>
          ))}
        {plan.action !== 'error' && plan.matched && <span className="muted">{t('import.matchedBy', { how: importMatchText(t, plan.matched) })}</span>}
      </span>
    </div>
  );
}

/** Step 4, once written: the counts, the rejects file, and the records imported. */
function DoneStep({ token, outcome, run, onAnother }: { token: string; outcome: ImportOutcome; run: number; onAnother: () => void }) {
  const { t, i18n } = useTranslation();
  const { navigate, openSection } = useRouter();
  const s = outcome.summary;
  const n = (v: number) => formatNumber(v, i18n.language);
  const written = usePlanRows(token, 'written', run);
  const records = Array.from({ length: Math.min(written.total ?? 0, 12) }, (_, i) => written.row(i)).filter((r) => r !== undefined);
  const more = (written.total ?? 0) - records.length;
  const kind = s.kind;
  // All or nothing and a row in error: nothing was written (valid rows skipped past errors leave a rejects file).
  const refused = !s.written && s.errors > 0 && !outcome.rejects;
  return (
    <section className="card import-done" data-testid="import-done">
      <h2 className="card-title">{refused ? t('import.nothingTitle') : t('import.doneTitle')}</h2>
      <p data-testid="import-summary">
        {!refused
          ? t('import.doneText', { created: n(s.created), updated: n(s.updated), unchanged: n(s.unchanged) })
          : t('import.nothingText', { count: s.errors, formatted: n(s.errors) })}
      </p>
      {outcome.rejects && (
        <p className="field-hint" data-testid="import-rejects">
          {t('import.rejectsWritten', { count: s.errors, formatted: n(s.errors), file: outcome.rejects })}
        </p>
      )}
      {records.length > 0 && (
        <ul className="import-records" data-testid="import-records">
          {records.map((r) => (
            <li key={r.row}>
              <button
                type="button"
                className="link"
                data-testid="import-record"
                onClick={() => navigate({ name: kind, id: r.id ?? '' } as Route)}
              >
                {t('import.recordLink', { row: r.row, action: t(`import.recordActions.${r.action}`) })}
              </button>
            </li>
          ))}
          {more > 0 && <li className="muted">{t('import.moreRecords', { count: more })}</li>}
        </ul>
      )}
      <div className="card-actions">
        <button type="button" className="btn btn-primary" data-testid="import-open-list" onClick={() => openSection(`${kind}s` as Section)}>
          {t('import.openList', { list: t(`nav.${kind}s`) })}
        </button>
        <button type="button" className="btn" data-testid="import-another" onClick={onAnother}>
          {t('import.another')}
        </button>
      </div>
    </section>
  );
}

/** A labelled select of how the file is read: each choice is its value and the words shown for it. */
function Choice({
  id,
  label,
  testId,
  value,
  choices,
  onChoose,
}: {
  id: string;
  label: string;
  testId: string;
  value: string;
  choices: [string, string][];
  onChoose: (value: string) => void;
}) {
  return (
    <label className="filter" htmlFor={id}>
      <span className="filter-label">{label}</span>
      <select id={id} className="select" data-testid={testId} value={value} onChange={(e) => onChoose(e.target.value)}>
        {choices.map(([choice, words]) => (
          <option key={choice} value={choice}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}
