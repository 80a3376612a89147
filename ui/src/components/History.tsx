import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { Labels } from '../bindings/Labels';
import { currentLang } from '../i18n';
import { api, toIpcError } from '../ipc';
import { academicYearLabel } from '../lib/enums';
import { FieldName } from '../lib/fields';
import { formatDateTime, formatMoney } from '../lib/format';
import { countryName, languageName } from '../lib/geo';
import { formatCallTime } from '../lib/time';
import { ErrorBanner, Spinner } from './Feedback';
import { IconClock } from './icons';
import { Name } from './Name';

type Values = Record<string, unknown>;

interface Line {
  kind: 'field' | 'created' | 'deleted' | 'restored' | 'added' | 'removed';
  label?: string;
  old?: ReactNode;
  value?: ReactNode;
}

interface Item {
  key: string;
  at: string;
  author: string;
  lines: Line[];
}

/** Columns never shown: owners of child rows, bookkeeping. */
const HIDDEN = new Set(['created_at']);
const OWNER: Record<string, string> = {
  partner_name: 'partner_id',
  partner_identifier: 'partner_id',
  partner_tag: 'partner_id',
  contact_detail: 'contact_id',
  affiliation: 'contact_id',
  agreement_party: 'agreement_id',
  agreement_field: 'agreement_id',
  agreement_condition: 'agreement_id',
  call_criterion: 'call_id',
  application_partner: 'application_id',
  review: 'application_id',
  project_link: 'project_id',
  event_organiser: 'event_id',
};
/** The tables of records (the others hold their parts). */
const RECORD_TABLES = new Set(['partner', 'contact', 'agreement', 'exchange', 'call', 'application', 'project', 'event']);

/** Enum columns, by table, and the vocabulary (`enums.*`) of their values. */
const VOCABULARY: Record<string, Record<string, string>> = {
  partner: { kind: 'kind', zone: 'zone', status: 'status' },
  partner_identifier: { scheme: 'scheme' },
  agreement: { kind: 'agreementKind', status: 'agreementStatus' },
  agreement_condition: { mobility: 'mobility' },
  exchange: {
    direction: 'direction',
    category: 'category',
    programme: 'programme',
    status: 'exchangeStatus',
    level: 'level',
  },
  call: { status: 'callStatus' },
  application: { status: 'applicationStatus' },
  project: { kind: 'projectKind', status: 'projectStatus' },
  event: { kind: 'eventKind', zone: 'zone' },
};

type RefKind = 'partner' | 'contact' | 'agreement' | 'call' | 'project';

/** Columns naming another record, and which kind of record. */
function refKind(table: string, column: string): RefKind | null {
  if (column === 'parent_id') return table === 'agreement' ? 'agreement' : 'partner';
  if (['partner_id', 'unit_id', 'home_id', 'host_id', 'sending_id', 'receiving_id', 'funder_id', 'lead_id'].includes(column)) return 'partner';
  if (['person_id', 'signatory_id', 'pi_id', 'reviewer_id'].includes(column)) return 'contact';
  if (column === 'agreement_id') return 'agreement';
  if (column === 'call_id') return 'call';
  if (column === 'project_id') return 'project';
  return null;
}

/** The record named by an id in the history (parent, party, person…), "pending sync" until it is known. */
function RecordRef({ kind, id }: { kind: RefKind; id: string }) {
  const { t } = useTranslation();
  // The same query keys as the record pages, which cache the same records.
  const { data, isPending, isError } = useQuery<{ name?: unknown; title?: unknown; labels?: Labels }>({
    queryKey: [kind, id],
    queryFn: () => {
      switch (kind) {
        case 'partner':
          return api.partnerGet(id);
        case 'contact':
          return api.contactGet(id);
        case 'call':
          return api.callGet(id);
        case 'project':
          return api.projectGet(id);
        case 'agreement':
          return api.agreementGet(id);
      }
    },
    retry: false,
    staleTime: 60_000,
  });
  if (isPending) return <span className="muted">…</span>;
  if (isError || !data) return <span className="pending">{t('common.pendingSync')}</span>;
  // A partner as the core names it for the UI language, its own script beside.
  if (kind === 'partner' && data.labels) return <Name label={data.labels[currentLang()]} />;
  const label = kind === 'agreement' || kind === 'call' || kind === 'project' ? data.title : data.name;
  return <span>{typeof label === 'string' && label ? label : t('contact.unnamed')}</span>;
}

/** An application's amount, in its call's currency (amounts are in its minor unit). */
function CallMoney({ callId, minor }: { callId: string; minor: number }) {
  const { i18n } = useTranslation();
  const { data, isPending } = useQuery({ queryKey: ['call', callId], queryFn: () => api.callGet(callId), retry: false, staleTime: 60_000 });
  if (isPending) return <span className="muted">…</span>;
  return <span>{formatMoney(minor, data?.currency ?? null, i18n.language)}</span>;
}

function PartnerRef({ id }: { id: string }) {
  return <RecordRef kind="partner" id={id} />;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function translated(t: TFunction, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

function formatValue(t: TFunction, lang: string, table: string, column: string, v: unknown, row: Values = {}): ReactNode {
  if (isEmpty(v)) return t('common.none');
  const s = String(v);
  const vocabulary = VOCABULARY[table]?.[column];
  if (vocabulary) return translated(t, `enums.${vocabulary}.${s}`, s);
  if (table === 'project_link' && column === 'target_id') return <RecordRef kind={row.kind === 'agreement' ? 'agreement' : 'partner'} id={s} />;
  const ref = refKind(table, column);
  if (ref) return <RecordRef kind={ref} id={s} />;
  switch (column) {
    case 'country':
      return countryName(s, lang);
    case 'is_primary':
    case 'deleted':
    case 'auto_renewal':
    case 'lyon_lead_required':
    case 'online':
      return v === 1 || v === true || s === '1' ? t('common.yes') : t('common.no');
    case 'levels':
      return s
        .split(/\s+/)
        .filter(Boolean)
        .map((l) => translated(t, `enums.level.${l}`, l))
        .join(', ');
    case 'languages':
      // "en:B2 fr:B1"
      return s
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => {
          const [tag, cefr] = pair.split(':');
          return cefr ? `${languageName(tag, lang)} ${cefr}` : languageName(tag, lang);
        })
        .join(', ');
    case 'language':
      return table === 'exchange' ? languageName(s, lang) : s;
    case 'field':
      return <FieldName code={s} />;
    case 'academic_year':
    case 'first_year':
    case 'last_year':
      return academicYearLabel(Number(v)) || s;
    case 'amount':
    case 'budget':
    case 'max_award':
      return typeof v === 'number' ? formatMoney(v, typeof row.currency === 'string' ? row.currency : null, lang) : s;
    case 'requested':
    case 'cofunding':
      return typeof v === 'number' && typeof row.call_id === 'string' ? <CallMoney callId={row.call_id} minor={v} /> : s;
    case 'opens_at':
    case 'deadline_at':
    case 'results_at':
      return formatCallTime(s, typeof row.time_zone === 'string' ? row.time_zone : null, lang);
    case 'fields':
      return jsonList(s).map((f, i) => (
        <Fragment key={f}>
          {i > 0 && ', '}
          <FieldName code={f} />
        </Fragment>
      ));
    case 'required_zones':
      return jsonList(s)
        .map((z) => translated(t, `enums.zone.${z}`, z))
        .join(', ');
    case 'scores':
      return scoresText(s, lang);
    case 'condition_id':
      return t('history.aCondition');
    default:
      return s;
  }
}

/** A JSON array stored as text ("[\"brazil\",\"japan\"]"); empty when it is not one. */
function jsonList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** A review's scores (a JSON object from criterion id to score) as "8 · 9 · 4". */
function scoresText(text: string, lang: string): string {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.values(v as Record<string, unknown>)
        .map((x) => (typeof x === 'number' ? new Intl.NumberFormat(lang).format(x) : String(x)))
        .join(' · ');
    }
  } catch {
    // not JSON: as stored
  }
  return text;
}

function childLabel(t: TFunction, table: string, values: Values): string {
  if (table === 'project_link') return t(values.kind === 'agreement' ? 'history.tables.project_agreement' : 'history.tables.project_partner');
  if (table === 'contact_detail' && typeof values.kind === 'string') {
    const key = `enums.detail.${values.kind}`;
    const text = t(key);
    if (text !== key) return text;
  }
  const key = `history.tables.${table}`;
  const text = t(key);
  return text === key ? table : text;
}

function childSummary(t: TFunction, lang: string, table: string, values: Values): ReactNode {
  const str = (k: string) => (isEmpty(values[k]) ? '' : String(values[k]));
  switch (table) {
    case 'partner_name':
      return (
        <>
          {str('value')}
          {str('lang') && <span className="muted"> ({str('lang')})</span>}
          {(values.is_primary === 1 || values.is_primary === true) && <span className="muted"> · {t('partner.primary')}</span>}
        </>
      );
    case 'partner_identifier':
      return (
        <>
          {formatValue(t, lang, table, 'scheme', values.scheme)} {str('value')}
        </>
      );
    case 'agreement_party':
      return (
        <>
          {isEmpty(values.partner_id) ? t('common.none') : <PartnerRef id={str('partner_id')} />}
          {str('role') && <span className="muted"> · {str('role')}</span>}
        </>
      );
    case 'agreement_field':
      return <FieldName code={str('code')} />;
    case 'agreement_condition':
      return (
        <>
          {formatValue(t, lang, table, 'mobility', values.mobility)}
          {' · '}
          {isEmpty(values.sending_id) ? t('common.none') : <PartnerRef id={str('sending_id')} />}
          {' → '}
          {isEmpty(values.receiving_id) ? t('common.none') : <PartnerRef id={str('receiving_id')} />}
          {!isEmpty(values.places) && <span className="muted"> · {t('agreement.placesCount', { count: Number(values.places) })}</span>}
        </>
      );
    case 'call_criterion':
      return (
        <>
          {str('name')}
          {!isEmpty(values.weight) && <span className="muted"> · ×{str('weight')}</span>}
          {!isEmpty(values.max_score) && <span className="muted"> · /{str('max_score')}</span>}
        </>
      );
    case 'application_partner':
      return (
        <>
          {isEmpty(values.partner_id) ? t('common.none') : <PartnerRef id={str('partner_id')} />}
          {str('role') && <span className="muted"> · {str('role')}</span>}
        </>
      );
    case 'review':
      return (
        <>
          {isEmpty(values.reviewer_id) ? t('common.none') : <RecordRef kind="contact" id={str('reviewer_id')} />}
          {str('scores') && <span className="muted"> · {scoresText(str('scores'), lang)}</span>}
        </>
      );
    case 'project_link':
      return (
        <>
          {isEmpty(values.target_id) ? (
            t('common.none')
          ) : (
            <RecordRef kind={values.kind === 'agreement' ? 'agreement' : 'partner'} id={str('target_id')} />
          )}
          {str('role') && <span className="muted"> · {str('role')}</span>}
        </>
      );
    case 'event_organiser':
      return isEmpty(values.partner_id) ? t('common.none') : <PartnerRef id={str('partner_id')} />;
    case 'affiliation':
      return (
        <>
          {isEmpty(values.partner_id) ? t('common.none') : <PartnerRef id={str('partner_id')} />}
          {str('role') && <span className="muted"> · {str('role')}</span>}
          {(str('start_date') || str('end_date')) && (
            <span className="muted">
              {' '}
              · {str('start_date') || '…'} – {str('end_date') || '…'}
            </span>
          )}
        </>
      );
    default:
      return str('value');
  }
}

function columnLabel(t: TFunction, table: string, column: string): string {
  const col =
    table === 'contact_detail' && column === 'kind'
      ? 'kind_detail'
      : table === 'agreement' && column === 'parent_id'
        ? 'parent_agreement'
        : (table === 'agreement' || table === 'call' || table === 'application' || table === 'project' || table === 'event') && column === 'title'
          ? 'agreement_title'
          : table === 'agreement_field' && column === 'code'
            ? 'field'
            : column;
  const key = `history.columns.${col}`;
  const text = t(key);
  return text === key ? column : text;
}

/** Turns the op log (oldest first) into readable entries (newest first). */
export function describeHistory(t: TFunction, lang: string, recordId: string, entries: HistoryEntry[]): Item[] {
  const known = new Map<string, Values>();
  const items: Item[] = [];
  for (const entry of entries) {
    const lines: Line[] = [];
    const groups = new Map<string, { table: string; changes: HistoryEntry['changes'] }>();
    for (const change of entry.changes) {
      const group = groups.get(change.row_id) ?? { table: change.table, changes: [] };
      group.changes.push(change);
      groups.set(change.row_id, group);
    }
    for (const [rowId, { table, changes }] of groups) {
      const before = known.get(rowId);
      const after: Values = { ...(before ?? {}) };
      for (const c of changes) after[c.column] = c.new;
      known.set(rowId, after);
      const isMain = rowId === recordId || RECORD_TABLES.has(table);
      const visible = changes.filter((c) => !HIDDEN.has(c.column) && c.column !== OWNER[table]);

      if (isMain) {
        if (!before) {
          lines.push({ kind: 'created' });
          for (const c of visible) {
            if (c.column === 'deleted' || isEmpty(c.new)) continue;
            lines.push({ kind: 'field', label: columnLabel(t, table, c.column), value: formatValue(t, lang, table, c.column, c.new, after) });
          }
          continue;
        }
        for (const c of visible) {
          if (c.column === 'deleted') {
            lines.push({ kind: Number(c.new) === 1 ? 'deleted' : 'restored' });
          } else if (JSON.stringify(c.old) !== JSON.stringify(c.new)) {
            lines.push({
              kind: 'field',
              label: columnLabel(t, table, c.column),
              old: formatValue(t, lang, table, c.column, c.old, before),
              value: formatValue(t, lang, table, c.column, c.new, after),
            });
          }
        }
        continue;
      }

      const what = childLabel(t, table, after);
      if (!before) {
        lines.push({ kind: 'added', label: t('history.added', { what }), value: childSummary(t, lang, table, after) });
        continue;
      }
      for (const c of visible) {
        if (c.column === 'deleted') {
          const removed = Number(c.new) === 1;
          lines.push({
            kind: removed ? 'removed' : 'added',
            label: t(removed ? 'history.removed' : 'history.added', { what }),
            value: childSummary(t, lang, table, removed ? before : after),
          });
        } else if (JSON.stringify(c.old) !== JSON.stringify(c.new)) {
          lines.push({
            kind: 'field',
            label: `${what} › ${columnLabel(t, table, c.column)}`,
            old: formatValue(t, lang, table, c.column, c.old, before),
            value: formatValue(t, lang, table, c.column, c.new, after),
          });
        }
      }
    }
    items.push({ key: `${entry.hlc}-${entry.origin}`, at: entry.at, author: entry.author, lines });
  }
  return items.reverse();
}

export function History({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['history', id], queryFn: () => api.history(id) });
  const items = data ? describeHistory(t, i18n.language, id, data) : [];

  return (
    <section className="card history" data-testid="history" aria-labelledby={`history-${id}`}>
      <h2 className="card-title" id={`history-${id}`}>
        <IconClock />
        {t('history.title')}
      </h2>
      {isPending && <Spinner label={t('common.loading')} />}
      {error && <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />}
      {data && items.length === 0 && <p className="muted">{t('history.empty')}</p>}
      <ol className="timeline">
        {items.map((item) => (
          <li key={item.key} className="timeline-entry" data-testid="history-entry">
            <div className="timeline-head">
              <time dateTime={item.at}>{formatDateTime(item.at, i18n.language)}</time>
              <span className="muted"> · {t('history.by', { author: item.author })}</span>
            </div>
            <ul className="timeline-lines">
              {item.lines.map((line, i) => (
                <li key={i} className={`change change-${line.kind}`}>
                  {line.kind === 'created' && <strong>{t('history.created')}</strong>}
                  {line.kind === 'deleted' && <strong>{t('history.deleted')}</strong>}
                  {line.kind === 'restored' && <strong>{t('history.restored')}</strong>}
                  {line.kind === 'field' && (
                    <>
                      <span className="change-label">{line.label}: </span>
                      {line.old !== undefined && (
                        <>
                          <del className="change-old">{line.old}</del>
                          <span className="change-arrow" aria-hidden="false">
                            {' → '}
                          </span>
                        </>
                      )}
                      <ins className="change-new">{line.value}</ins>
                    </>
                  )}
                  {(line.kind === 'added' || line.kind === 'removed') && (
                    <>
                      <span className="change-label">{line.label}: </span>
                      <span className={line.kind === 'removed' ? 'change-old' : 'change-new'}>{line.value}</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
