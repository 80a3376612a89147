import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { EventKind } from '../../bindings/EventKind';
import type { EventQuery } from '../../bindings/EventQuery';
import type { EventRow } from '../../bindings/EventRow';
import type { EventSort } from '../../bindings/EventSort';
import type { Zone } from '../../bindings/Zone';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconCalendar, IconPlus, IconSearch, IconX } from '../../components/icons';
import { whereText } from '../../components/RelatedLists';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatDate, formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type EventPreset } from '../../router';

interface Filters {
  search: string;
  kind: EventKind | '';
  zone: Zone | '';
  sort: EventSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', kind: '', zone: '', sort: 'date', descending: true };
/** Columns that sort latest or largest first on the first click. */
const DESCENDING_FIRST: EventSort[] = ['date', 'attended'];

/** "187 / 240": attended of registered, either one alone, or nothing. */
export function participantsText(lang: string, registered: number | null, attended: number | null): string {
  const n = (v: number) => formatNumber(v, lang);
  if (attended !== null && registered !== null) return `${n(attended)} / ${n(registered)}`;
  if (attended !== null) return n(attended);
  if (registered !== null) return n(registered);
  return '';
}

export function EventsList({ preset }: { preset?: EventPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('events', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('events.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const query: Omit<EventQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    kind: filters.kind || undefined,
    zone: filters.zone || undefined,
    sort: filters.sort,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.eventsList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.kind || filters.zone || search);

  const columns: Column<EventRow>[] = [
    {
      key: 'title',
      label: t('events.columns.title'),
      width: 'minmax(240px, 3fr)',
      sortable: true,
      className: 'cell-name',
      render: (r) => (
        <>
          <span className="cell-primary">{r.title}</span>
          {whereText(t, r) && <span className="cell-secondary">{whereText(t, r)}</span>}
        </>
      ),
    },
    {
      key: 'date',
      label: t('events.columns.date'),
      width: 'minmax(120px, 1fr)',
      sortable: true,
      render: (r) => formatDate(r.start_date, lang),
    },
    {
      key: 'kind',
      label: t('events.columns.kind'),
      width: 'minmax(120px, 1fr)',
      sortable: true,
      render: (r) => t(`enums.eventKind.${r.kind}`),
    },
    {
      key: 'zone',
      label: t('events.columns.zone'),
      width: 'minmax(124px, 1fr)',
      sortable: true,
      render: (r) => (r.zone ? t(`enums.zone.${r.zone}`) : ''),
    },
    {
      key: 'attended',
      label: t('events.columns.participants'),
      width: 'minmax(140px, 1fr)',
      sortable: true,
      className: 'cell-num',
      render: (r) => <span title={t('events.participantsHint')}>{participantsText(lang, r.registered, r.attended)}</span>,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('events.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="event-count" aria-live="polite">
              {total === null ? t('common.loading') : t('events.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {filtered && (
              <button type="button" className="btn btn-ghost btn-sm" data-testid="clear-filters" onClick={() => update({ search: '', kind: '', zone: '' })}>
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="event" />
          <ExportMenu list={{ kind: 'events', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="event-new" onClick={() => navigate({ name: 'eventNew' })}>
            <IconPlus />
            {t('events.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="event-search"
          label={t('events.search')}
          placeholder={t('events.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-kind"
          label={t('events.columns.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v as EventKind | '' })}
          options={rules.event_kinds.map((k) => ({ value: k, label: t(`enums.eventKind.${k}`) }))}
        />
        <FilterSelect
          id="filter-zone"
          label={t('events.columns.zone')}
          value={filters.zone}
          onChange={(v) => update({ zone: v as Zone | '' })}
          options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
        />
      </div>

      <SavedViews
        list="events"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<EventRow>
        ref={tableRef}
        queryKey={['events', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="event-row"
        label={t('events.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'event', id: r.id })}
        onTotal={setTotal}
        persistKey="events"
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null), descendingFirst: DESCENDING_FIRST })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('events.noResultsTitle')} text={t('events.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconCalendar />}
              title={t('events.emptyTitle')}
              text={t('events.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'eventNew' })}>
                  <IconPlus />
                  {t('events.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
