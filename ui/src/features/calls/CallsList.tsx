import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CallQuery } from '../../bindings/CallQuery';
import type { CallRow } from '../../bindings/CallRow';
import type { CallSort } from '../../bindings/CallSort';
import type { CallStatus } from '../../bindings/CallStatus';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconCall, IconPlus, IconSearch, IconX } from '../../components/icons';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { formatWrittenTime } from '../../lib/time';
import { useRouter, type CallPreset } from '../../router';
import { CallStatusBadge } from './CallStatusBadge';

interface Filters {
  search: string;
  status: CallStatus | '';
  sort: CallSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', status: '', sort: 'deadline', descending: true };
/** Columns that sort latest or largest first on the first click. */
const DESCENDING_FIRST: CallSort[] = ['deadline', 'applications'];

/** A deadline as written, which is in the call's zone (the form saves it with that zone's offset). */
export function WrittenTime({ value }: { value: string | null }) {
  const { i18n } = useTranslation();
  const time = formatWrittenTime(value, i18n.language);
  if (!time) return null;
  return (
    <span title={time.offset}>
      {time.text}
      {time.offset && <span className="muted small"> {time.offset}</span>}
    </span>
  );
}

export function CallsList({ preset }: { preset?: CallPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('calls', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('calls.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const query: Omit<CallQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    status: filters.status || undefined,
    sort: filters.sort,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.callsList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.status || search);

  const columns: Column<CallRow>[] = [
    {
      key: 'title',
      label: t('calls.columns.title'),
      width: 'minmax(200px, 3fr)',
      sortable: true,
      className: 'cell-name',
      render: (r) => (
        <>
          <span className="cell-primary">{r.title}</span>
          {r.code && <span className="cell-secondary mono-soft">{r.code}</span>}
        </>
      ),
    },
    {
      key: 'programme',
      label: t('calls.columns.programme'),
      width: 'minmax(130px, 1.6fr)',
      render: (r) => <span className="cell-ellipsis">{r.programme}</span>,
    },
    {
      key: 'deadline',
      label: t('calls.columns.deadline'),
      width: 'minmax(220px, 1.8fr)',
      sortable: true,
      render: (r) => <WrittenTime value={r.deadline_at} />,
    },
    {
      key: 'status',
      label: t('calls.columns.status'),
      width: 'minmax(120px, 1.1fr)',
      sortable: true,
      render: (r) => <CallStatusBadge status={r.status} />,
    },
    {
      key: 'applications',
      label: t('calls.columns.applications'),
      width: 'minmax(110px, 0.8fr)',
      sortable: true,
      className: 'cell-num',
      render: (r) => <span data-testid="call-row-applications">{formatNumber(r.applications, lang)}</span>,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('calls.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="call-count" aria-live="polite">
              {total === null ? t('common.loading') : t('calls.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {filtered && (
              <button type="button" className="btn btn-ghost btn-sm" data-testid="clear-filters" onClick={() => update({ search: '', status: '' })}>
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="call" />
          <ExportMenu list={{ kind: 'calls', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="call-new" onClick={() => navigate({ name: 'callNew' })}>
            <IconPlus />
            {t('calls.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="call-search"
          label={t('calls.search')}
          placeholder={t('calls.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-status"
          label={t('calls.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as CallStatus | '' })}
          options={rules.call_statuses.map((s) => ({ value: s, label: t(`enums.callStatus.${s}`) }))}
        />
      </div>

      <SavedViews
        list="calls"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<CallRow>
        ref={tableRef}
        queryKey={['calls', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="call-row"
        label={t('calls.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'call', id: r.id })}
        onTotal={setTotal}
        persistKey="calls"
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null), descendingFirst: DESCENDING_FIRST })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('calls.noResultsTitle')} text={t('calls.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconCall />}
              title={t('calls.emptyTitle')}
              text={t('calls.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'callNew' })}>
                  <IconPlus />
                  {t('calls.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
