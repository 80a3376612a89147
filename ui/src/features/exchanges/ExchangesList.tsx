import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Direction } from '../../bindings/Direction';
import type { Exchange } from '../../bindings/Exchange';
import type { ExchangeCategory } from '../../bindings/ExchangeCategory';
import type { ExchangeQuery } from '../../bindings/ExchangeQuery';
import type { ExchangeSort } from '../../bindings/ExchangeSort';
import type { ExchangeStatus } from '../../bindings/ExchangeStatus';
import type { Programme } from '../../bindings/Programme';
import type { Zone } from '../../bindings/Zone';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconExchange, IconPlus, IconSearch, IconX } from '../../components/icons';
import { ExchangeRoute, routeText } from '../../components/RelatedLists';
import { SavedViews } from '../../components/SavedViews';
import { ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { academicYearLabel, currentAcademicYear } from '../../lib/enums';
import { useRules } from '../../lib/rules';
import { formatDate, formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type ExchangePreset } from '../../router';
import { ExchangeStatusBadge } from './ExchangeStatusBadge';

interface Filters {
  search: string;
  direction: Direction | '';
  category: ExchangeCategory | '';
  programme: Programme | '';
  /** `counted`: every status but cancelled and withdrawn. */
  status: ExchangeStatus | 'counted' | '';
  year: string;
  zone: Zone | '';
  cohort: string;
  sort: ExchangeSort;
  /** Oldest first; the default is the latest year first. */
  ascending: boolean;
}

const INITIAL: Filters = {
  search: '',
  direction: '',
  category: '',
  programme: '',
  status: '',
  year: '',
  zone: '',
  cohort: '',
  sort: 'year',
  ascending: false,
};

/** The count line: "10,000+ exchanges" when the core stopped counting. */
export function exchangeCount(t: (k: string, o?: Record<string, unknown>) => string, lang: string, total: number, capped: boolean): string {
  const formatted = formatNumber(total, lang);
  return capped ? t('exchanges.countCapped', { formatted }) : t('exchanges.count', { count: total, formatted });
}

export function ExchangesList({ preset }: { preset?: ExchangePreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('exchanges', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('exchanges.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const [capped, setCapped] = useState(false);
  // Stable: the table calls it from an effect.
  const onTotal = useCallback((n: number | null, isCapped: boolean) => {
    setTotal(n);
    setCapped(isCapped);
  }, []);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const cohorts = useQuery({ queryKey: ['exchangeCohorts'], queryFn: api.exchangeCohorts, staleTime: 60_000 });
  const thisYear = currentAcademicYear();
  const years = Array.from({ length: 18 }, (_, i) => thisYear + 2 - i);
  if (filters.year && !years.includes(Number(filters.year))) years.push(Number(filters.year));

  const query: Omit<ExchangeQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    direction: filters.direction || undefined,
    category: filters.category || undefined,
    programme: filters.programme || undefined,
    status: filters.status && filters.status !== 'counted' ? filters.status : undefined,
    counted: filters.status === 'counted' ? true : undefined,
    academic_year: filters.year ? Number(filters.year) : undefined,
    zone: filters.zone || undefined,
    cohort: filters.cohort || undefined,
    sort: filters.sort,
    ascending: filters.ascending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.exchangesList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(
    filters.direction || filters.category || filters.programme || filters.status || filters.year || filters.zone || filters.cohort || search,
  );

  const columns: Column<Exchange>[] = [
    {
      key: 'person',
      label: t('exchanges.columns.person'),
      width: 'minmax(160px, 2fr)',
      className: 'cell-name',
      render: (r) => (
        <>
          {r.person_name ? <span className="cell-primary">{r.person_name}</span> : <span className="pending">{t('common.pendingSync')}</span>}
          {r.cohort && <span className="cell-secondary">{r.cohort}</span>}
        </>
      ),
    },
    {
      key: 'route',
      label: t('exchanges.columns.route'),
      width: 'minmax(176px, 2.6fr)',
      render: (r) => (
        <span title={routeText(t, r)}>
          <ExchangeRoute e={r} />
        </span>
      ),
    },
    {
      key: 'year',
      label: t('exchanges.columns.year'),
      width: 'minmax(128px, 0.9fr)',
      sortable: true,
      render: (r) => academicYearLabel(r.academic_year),
    },
    {
      key: 'planned_start',
      label: t('exchanges.columns.start'),
      width: 'minmax(100px, 0.9fr)',
      sortable: true,
      render: (r) => formatDate(r.actual_start ?? r.planned_start, lang),
    },
    {
      key: 'type',
      label: t('exchanges.columns.type'),
      width: 'minmax(130px, 1.3fr)',
      className: 'cell-name',
      render: (r) => (
        <>
          <span className={`direction direction-${r.direction}`}>{t(`enums.direction.${r.direction}`)}</span>
          <span className="cell-secondary">{t(`enums.category.${r.category}`)}</span>
        </>
      ),
    },
    {
      key: 'status',
      label: t('exchanges.columns.status'),
      width: 'minmax(104px, 0.9fr)',
      render: (r) => <ExchangeStatusBadge status={r.status} />,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('exchanges.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="exchange-count" aria-live="polite">
              {total === null ? t('common.loading') : exchangeCount(t, lang, total, capped)}
            </span>
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="clear-filters"
                onClick={() =>
                  update({ search: '', direction: '', category: '', programme: '', status: '', year: '', zone: '', cohort: '' })
                }
              >
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="exchange" />
          <ExportMenu list={{ kind: 'exchanges', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="exchange-new" onClick={() => navigate({ name: 'exchangeNew' })}>
            <IconPlus />
            {t('exchanges.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="exchange-search"
          label={t('exchanges.search')}
          placeholder={t('exchanges.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-year"
          label={t('exchanges.columns.year')}
          value={filters.year}
          onChange={(v) => update({ year: v })}
          options={years.map((y) => ({ value: String(y), label: academicYearLabel(y) }))}
        />
        <FilterSelect
          id="filter-direction"
          label={t('exchange.direction')}
          value={filters.direction}
          onChange={(v) => update({ direction: v as Direction | '' })}
          options={rules.directions.map((d) => ({ value: d, label: t(`enums.direction.${d}`) }))}
        />
        <FilterSelect
          id="filter-category"
          label={t('exchange.category')}
          value={filters.category}
          onChange={(v) => update({ category: v as ExchangeCategory | '' })}
          options={rules.exchange_categories.map((c) => ({ value: c, label: t(`enums.category.${c}`) }))}
        />
        <FilterSelect
          id="filter-programme"
          label={t('exchange.programme')}
          value={filters.programme}
          onChange={(v) => update({ programme: v as Programme | '' })}
          options={rules.programmes.map((p) => ({ value: p, label: t(`enums.programme.${p}`) }))}
        />
        <FilterSelect
          id="filter-status"
          label={t('exchanges.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as Filters['status'] })}
          options={[
            { value: 'counted', label: t('exchanges.counted') },
            ...rules.exchange_statuses.map((s) => ({ value: s, label: t(`enums.exchangeStatus.${s}`) })),
          ]}
        />
        <FilterSelect
          id="filter-zone"
          label={t('exchanges.zone')}
          value={filters.zone}
          onChange={(v) => update({ zone: v as Zone | '' })}
          options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
        />
        <FilterSelect
          id="filter-cohort"
          label={t('exchange.cohort')}
          value={filters.cohort}
          onChange={(v) => update({ cohort: v })}
          options={[...new Set([...(cohorts.data ?? []), ...(filters.cohort ? [filters.cohort] : [])])].map((c) => ({ value: c, label: c }))}
        />
      </div>

      <SavedViews
        list="exchanges"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<Exchange>
        ref={tableRef}
        queryKey={['exchanges', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="exchange-row"
        label={t('exchanges.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'exchange', id: r.id })}
        onTotal={onTotal}
        persistKey="exchanges"
        sort={{
          key: filters.sort,
          descending: !filters.ascending,
          onSort: (key) => {
            setSelected(null);
            setFilters((f) => ({
              ...f,
              sort: key as ExchangeSort,
              // A new column starts with the latest first; the same column flips.
              ascending: f.sort === key ? !f.ascending : false,
            }));
          },
        }}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('exchanges.noResultsTitle')} text={t('exchanges.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconExchange />}
              title={t('exchanges.emptyTitle')}
              text={t('exchanges.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'exchangeNew' })}>
                  <IconPlus />
                  {t('exchanges.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
