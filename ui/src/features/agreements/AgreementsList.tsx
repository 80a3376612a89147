import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AgreementKind } from '../../bindings/AgreementKind';
import type { AgreementQuery } from '../../bindings/AgreementQuery';
import type { AgreementRow } from '../../bindings/AgreementRow';
import type { AgreementSort } from '../../bindings/AgreementSort';
import type { AgreementStatus } from '../../bindings/AgreementStatus';
import type { Zone } from '../../bindings/Zone';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconAgreement, IconPlus, IconSearch, IconX } from '../../components/icons';
import { labelsText, PartnerNames } from '../../components/Name';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatDate, formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type AgreementPreset } from '../../router';
import { AgreementStatusBadge } from './AgreementStatusBadge';

interface Filters {
  search: string;
  kind: AgreementKind | '';
  /** `in_force`: in force today (active or up for renewal, started and not ended). */
  status: AgreementStatus | 'in_force' | '';
  zone: Zone | '';
  sort: AgreementSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', kind: '', status: '', zone: '', sort: 'title', descending: false };

export function AgreementsList({ preset }: { preset?: AgreementPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('agreements', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('agreements.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const query: Omit<AgreementQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    kind: filters.kind || undefined,
    status: filters.status && filters.status !== 'in_force' ? filters.status : undefined,
    in_force: filters.status === 'in_force' ? true : undefined,
    zone: filters.zone || undefined,
    sort: filters.sort,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.agreementsList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.kind || filters.status || filters.zone || search);

  const columns: Column<AgreementRow>[] = [
    {
      key: 'title',
      label: t('agreements.columns.title'),
      width: 'minmax(180px, 2.6fr)',
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
      key: 'parties',
      label: t('agreements.columns.parties'),
      width: 'minmax(150px, 2.4fr)',
      render: (r) => (
        <span className="cell-ellipsis" title={labelsText(r.party_labels)} data-testid="agreement-parties">
          <PartnerNames list={r.party_labels} />
        </span>
      ),
    },
    {
      key: 'kind',
      label: t('agreements.columns.kind'),
      width: 'minmax(120px, 1.2fr)',
      sortable: true,
      render: (r) => t(`enums.agreementKind.${r.kind}`),
    },
    {
      key: 'start_date',
      label: t('agreements.columns.start'),
      width: 'minmax(100px, 1fr)',
      sortable: true,
      render: (r) => formatDate(r.start_date, lang),
    },
    {
      key: 'end_date',
      label: t('agreements.columns.end'),
      width: 'minmax(100px, 1fr)',
      sortable: true,
      render: (r) => formatDate(r.end_date, lang),
    },
    {
      key: 'status',
      label: t('agreements.columns.status'),
      width: 'minmax(130px, 1.1fr)',
      sortable: true,
      render: (r) => <AgreementStatusBadge status={r.status} />,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('agreements.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="agreement-count" aria-live="polite">
              {total === null ? t('common.loading') : t('agreements.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="clear-filters"
                onClick={() => update({ search: '', kind: '', status: '', zone: '' })}
              >
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="agreement" />
          <ExportMenu list={{ kind: 'agreements', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="agreement-new" onClick={() => navigate({ name: 'agreementNew' })}>
            <IconPlus />
            {t('agreements.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="agreement-search"
          label={t('agreements.search')}
          placeholder={t('agreements.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-kind"
          label={t('agreements.columns.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v as AgreementKind | '' })}
          options={rules.agreement_kinds.map((k) => ({ value: k, label: t(`enums.agreementKind.${k}`) }))}
        />
        <FilterSelect
          id="filter-status"
          label={t('agreements.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as Filters['status'] })}
          options={[
            { value: 'in_force', label: t('agreements.inForce') },
            ...rules.agreement_statuses.map((s) => ({ value: s, label: t(`enums.agreementStatus.${s}`) })),
          ]}
        />
        <FilterSelect
          id="filter-zone"
          label={t('partners.columns.zone')}
          value={filters.zone}
          onChange={(v) => update({ zone: v as Zone | '' })}
          options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
        />
      </div>

      <SavedViews
        list="agreements"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<AgreementRow>
        ref={tableRef}
        queryKey={['agreements', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="agreement-row"
        label={t('agreements.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'agreement', id: r.id })}
        onTotal={setTotal}
        persistKey="agreements"
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null) })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('agreements.noResultsTitle')} text={t('agreements.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconAgreement />}
              title={t('agreements.emptyTitle')}
              text={t('agreements.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'agreementNew' })}>
                  <IconPlus />
                  {t('agreements.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
