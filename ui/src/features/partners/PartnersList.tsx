import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { OrgKind } from '../../bindings/OrgKind';
import type { PartnerQuery } from '../../bindings/PartnerQuery';
import type { PartnerRow } from '../../bindings/PartnerRow';
import type { PartnerSort } from '../../bindings/PartnerSort';
import type { PartnerStatus } from '../../bindings/PartnerStatus';
import type { Zone } from '../../bindings/Zone';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { labelOf, Name } from '../../components/Name';
import { IconBuilding, IconPlus, IconSearch, IconX } from '../../components/icons';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { currentLang } from '../../i18n';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatNumber } from '../../lib/format';
import { countryName, countryOptions } from '../../lib/geo';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type PartnerPreset } from '../../router';
import { StatusBadge } from './StatusBadge';

interface Filters {
  search: string;
  zone: Zone | '';
  country: string;
  kind: OrgKind | '';
  status: PartnerStatus | '';
  sort: PartnerSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', zone: '', country: '', kind: '', status: '', sort: 'name', descending: false };

export function PartnersList({ preset }: { preset?: PartnerPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('partners', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('partners.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const countries = useQuery({ queryKey: ['partnerCountries'], queryFn: api.partnerCountries, staleTime: 60_000 });
  const countryChoices = useMemo(() => countryOptions(lang, countries.data ?? []), [lang, countries.data]);

  const query: Omit<PartnerQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    zone: filters.zone || undefined,
    country: filters.country || undefined,
    kind: filters.kind || undefined,
    status: filters.status || undefined,
    sort: filters.sort,
    descending: filters.descending,
    lang: currentLang(),
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.partnersList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.zone || filters.country || filters.kind || filters.status || search);

  const columns: Column<PartnerRow>[] = [
    {
      key: 'name',
      label: t('partners.columns.name'),
      width: 'minmax(220px, 3fr)',
      sortable: true,
      className: 'cell-name',
      render: (r) => (
        <>
          <Name label={labelOf(r)} className="cell-primary" />
          {r.acronym && <span className="cell-secondary">{r.acronym}</span>}
        </>
      ),
    },
    {
      key: 'country',
      label: t('partners.columns.country'),
      width: 'minmax(110px, 1.2fr)',
      sortable: true,
      render: (r) => countryName(r.country, lang),
    },
    { key: 'city', label: t('partners.columns.city'), width: 'minmax(100px, 1.2fr)', sortable: true, render: (r) => r.city ?? '' },
    {
      key: 'zone',
      label: t('partners.columns.zone'),
      width: 'minmax(124px, 1fr)',
      sortable: true,
      render: (r) => t(`enums.zone.${r.zone}`),
    },
    {
      key: 'kind',
      label: t('partners.columns.kind'),
      width: 'minmax(124px, 1fr)',
      sortable: true,
      render: (r) => t(`enums.kind.${r.kind}`),
    },
    {
      key: 'status',
      label: t('partners.columns.status'),
      width: '110px',
      sortable: true,
      render: (r) => <StatusBadge status={r.status} />,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('partners.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="partner-count" aria-live="polite">
              {total === null ? t('common.loading') : t('partners.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="clear-filters"
                onClick={() => update({ search: '', zone: '', country: '', kind: '', status: '' })}
              >
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="partner" />
          <ExportMenu list={{ kind: 'partners', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="partner-new" onClick={() => navigate({ name: 'partnerNew' })}>
            <IconPlus />
            {t('partners.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="partner-search"
          label={t('partners.search')}
          placeholder={t('partners.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-zone"
          label={t('partners.columns.zone')}
          value={filters.zone}
          onChange={(v) => update({ zone: v as Zone | '' })}
          options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
        />
        <FilterSelect
          id="filter-country"
          label={t('partners.columns.country')}
          value={filters.country}
          onChange={(v) => update({ country: v })}
          options={countryChoices.map((c) => ({ value: c.code, label: c.name }))}
        />
        <FilterSelect
          id="filter-kind"
          label={t('partners.columns.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v as OrgKind | '' })}
          options={rules.org_kinds.map((k) => ({ value: k, label: t(`enums.kind.${k}`) }))}
        />
        <FilterSelect
          id="filter-status"
          label={t('partners.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as PartnerStatus | '' })}
          options={rules.partner_statuses.map((s) => ({ value: s, label: t(`enums.status.${s}`) }))}
        />
      </div>

      <SavedViews
        list="partners"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<PartnerRow>
        ref={tableRef}
        queryKey={['partners', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="partner-row"
        label={t('partners.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'partner', id: r.id })}
        onTotal={setTotal}
        persistKey="partners"
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null) })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('partners.noResultsTitle')} text={t('partners.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconBuilding />}
              title={t('partners.emptyTitle')}
              text={t('partners.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'partnerNew' })}>
                  <IconPlus />
                  {t('partners.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
