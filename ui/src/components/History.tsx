import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { HistoryEntry } from '../bindings/HistoryEntry';
import { api, toIpcError } from '../ipc';
import { formatDateTime } from '../lib/format';
import { countryName } from '../lib/geo';
import { ErrorBanner, Spinner } from './Feedback';
import { IconClock } from './icons';

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
};

/** The partner named by an id in the history (parent, affiliation), "pending sync" until it is known. */
function PartnerRef({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, isPending, isError } = useQuery({
    queryKey: ['partner', id],
    queryFn: () => api.partnerGet(id),
    retry: false,
    staleTime: 60_000,
  });
  if (isPending) return <span className="muted">…</span>;
  if (isError || !data) return <span className="pending">{t('common.pendingSync')}</span>;
  return <span>{data.name}</span>;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function formatValue(t: TFunction, lang: string, column: string, v: unknown): ReactNode {
  if (isEmpty(v)) return t('common.none');
  const s = String(v);
  switch (column) {
    case 'kind':
    case 'zone':
    case 'status':
    case 'scheme': {
      const key = `enums.${column}.${s}`;
      const text = t(key);
      return text === key ? s : text;
    }
    case 'country':
      return countryName(s, lang);
    case 'is_primary':
    case 'deleted':
      return v === 1 || v === true || s === '1' ? t('common.yes') : t('common.no');
    case 'parent_id':
    case 'partner_id':
      return <PartnerRef id={s} />;
    default:
      return s;
  }
}

function childLabel(t: TFunction, table: string, values: Values): string {
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
          {formatValue(t, lang, 'scheme', values.scheme)} {str('value')}
        </>
      );
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
  const col = table === 'contact_detail' && column === 'kind' ? 'kind_detail' : column;
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
      const isMain = rowId === recordId || table === 'partner' || table === 'contact';
      const visible = changes.filter((c) => !HIDDEN.has(c.column) && c.column !== OWNER[table]);

      if (isMain) {
        if (!before) {
          lines.push({ kind: 'created' });
          for (const c of visible) {
            if (c.column === 'deleted' || isEmpty(c.new)) continue;
            lines.push({ kind: 'field', label: columnLabel(t, table, c.column), value: formatValue(t, lang, c.column, c.new) });
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
              old: formatValue(t, lang, c.column, c.old),
              value: formatValue(t, lang, c.column, c.new),
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
            old: formatValue(t, lang, c.column, c.old),
            value: formatValue(t, lang, c.column, c.new),
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
