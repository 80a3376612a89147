import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ApplicationQuery } from '../../bindings/ApplicationQuery';
import type { ApplicationRow } from '../../bindings/ApplicationRow';
import type { ApplicationSort } from '../../bindings/ApplicationSort';
import type { ApplicationStatus } from '../../bindings/ApplicationStatus';
import type { Zone } from '../../bindings/Zone';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconApplication, IconPlus, IconSearch, IconX } from '../../components/icons';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { PartnerName } from '../../components/Name';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatMoney, formatNumber, formatScore } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type ApplicationPreset } from '../../router';
import { applicationLabel } from '../../lib/format';
import { ApplicationStatusBadge } from '../../components/ApplicationStatusBadge';
import { EligibleMark, ruleMessage } from '../../components/Assessment';

interface Filters {
  search: string;
  callId: string;
  status: ApplicationStatus | '';
  /** Applications with an organisation in this zone. */
  zone: Zone | '';
  sort: ApplicationSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', callId: '', status: '', zone: '', sort: 'call', descending: true };
/** Columns that sort latest or largest first on the first click. */
const DESCENDING_FIRST: ApplicationSort[] = ['call', 'requested', 'score'];

/** The calls, for the call filter and the form's call select (the latest 500). */
export function useCallChoices() {
  return useQuery({
    queryKey: ['calls', 'choices'],
    queryFn: async () => (await api.callsList({ descending: false, offset: 0, limit: 500 })).rows,
    staleTime: 30_000,
  });
}

export function ApplicationsList({ preset }: { preset?: ApplicationPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('applications', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('applications.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);
  const calls = useCallChoices();

  const query: Omit<ApplicationQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    call_id: filters.callId || undefined,
    status: filters.status || undefined,
    zone: filters.zone || undefined,
    sort: filters.sort,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.applicationsList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.callId || filters.status || filters.zone || search);
  const callOptions = (calls.data ?? []).map((c) => ({ value: c.id, label: c.code ? `${c.title} (${c.code})` : c.title }));
  if (filters.callId && !callOptions.some((o) => o.value === filters.callId))
    callOptions.push({ value: filters.callId, label: calls.isPending ? t('common.loading') : t('common.pendingSync') });

  const callOf = new Map((calls.data ?? []).map((c) => [c.id, c]));
  // Several calls listed: which call each row is in (a rank means something only within its call).
  const callColumn: Column<ApplicationRow> = {
    key: 'call',
    label: t('applications.columns.call'),
    width: 'minmax(96px, 1.1fr)',
    sortable: true,
    render: (r) => {
      const call = r.call_id ? callOf.get(r.call_id) : undefined;
      if (!call) return <span className="muted">{calls.isPending ? '…' : t('common.pendingSync')}</span>;
      return (
        <span className="cell-ellipsis" data-testid="application-row-call" title={call.code ? `${call.code} · ${call.title}` : call.title}>
          {call.code ?? call.title}
        </span>
      );
    },
  };
  const columns: Column<ApplicationRow>[] = [
    ...(filters.callId ? [] : [callColumn]),
    {
      key: 'rank',
      label: t('applications.columns.rank'),
      width: 'minmax(52px, 0.5fr)',
      className: 'cell-num',
      render: (r) => (r.rank === null ? <span className="muted">{t('common.none')}</span> : <span data-testid="application-row-rank">#{r.rank}</span>),
    },
    {
      key: 'title',
      label: t('applications.columns.title'),
      width: 'minmax(140px, 3fr)',
      sortable: true,
      className: 'cell-name',
      render: (r) => (
        <>
          <span className="cell-primary">{r.title}</span>
          {applicationLabel(r) && <span className="cell-secondary mono-soft">{applicationLabel(r)}</span>}
        </>
      ),
    },
    {
      key: 'lead',
      label: t('applications.columns.lead'),
      width: 'minmax(120px, 2fr)',
      sortable: true,
      render: (r) =>
        r.lead_name ? (
          <span className="cell-ellipsis">
            <PartnerName labels={r.lead_labels} fallback={r.lead_name} />
          </span>
        ) : (
          <span className="pending">{t('common.pendingSync')}</span>
        ),
    },
    {
      key: 'status',
      label: t('applications.columns.status'),
      width: 'minmax(140px, 1.2fr)',
      sortable: true,
      render: (r) => <ApplicationStatusBadge status={r.status} />,
    },
    {
      key: 'requested',
      label: t('applications.columns.requested'),
      width: 'minmax(96px, 1fr)',
      sortable: true,
      className: 'cell-num',
      render: (r) => (r.requested === null ? '' : formatMoney(r.requested, r.currency, lang)),
    },
    {
      key: 'eligible',
      label: t('applications.columns.eligible'),
      width: 'minmax(64px, 0.6fr)',
      render: (r) => (
        <span title={r.ineligible_because.map((c) => ruleMessage(t, i18n.language, c)).join('; ') || undefined}>
          <EligibleMark eligible={r.eligible} />
        </span>
      ),
    },
    {
      key: 'score',
      label: t('applications.columns.score'),
      width: 'minmax(72px, 0.7fr)',
      sortable: true,
      className: 'cell-num',
      render: (r) =>
        r.score === null ? (
          <span className="muted">{t('common.none')}</span>
        ) : (
          <span>
            {formatScore(r.score, lang)}
            {r.below_threshold && (
              <span className="below-threshold" title={t('application.belowThreshold')}>
                {' '}
                ▼<span className="sr-only">{t('application.belowThreshold')}</span>
              </span>
            )}
          </span>
        ),
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('applications.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="application-count" aria-live="polite">
              {total === null ? t('common.loading') : t('applications.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search ? (
              <span className="muted">· {t('partners.relevance')}</span>
            ) : (
              filters.sort === 'call' && <span className="muted">· {t('applications.order')}</span>
            )}
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="clear-filters"
                onClick={() => update({ search: '', callId: '', status: '', zone: '' })}
              >
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="application" />
          <ExportMenu list={{ kind: 'applications', query: { ...query, offset: 0, limit: 0 } }} />
          <button
            type="button"
            className="btn btn-primary"
            data-testid="application-new"
            onClick={() => navigate({ name: 'applicationNew', callId: filters.callId || undefined })}
          >
            <IconPlus />
            {t('applications.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="application-search"
          label={t('applications.search')}
          placeholder={t('applications.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect id="filter-call" label={t('applications.filterCall')} value={filters.callId} onChange={(v) => update({ callId: v })} options={callOptions} />
        <FilterSelect
          id="filter-status"
          label={t('applications.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as ApplicationStatus | '' })}
          options={rules.application_statuses.map((s) => ({ value: s, label: t(`enums.applicationStatus.${s}`) }))}
        />
        <FilterSelect
          id="filter-zone"
          label={t('applications.filterZone')}
          value={filters.zone}
          onChange={(v) => update({ zone: v as Zone | '' })}
          options={rules.zones.map((z) => ({ value: z, label: t(`enums.zone.${z}`) }))}
        />
      </div>

      <SavedViews
        list="applications"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<ApplicationRow>
        ref={tableRef}
        queryKey={['applications', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="application-row"
        label={t('applications.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'application', id: r.id })}
        onTotal={setTotal}
        persistKey="applications"
        groupOf={filters.sort === 'call' && !search ? (r) => r.call_id : undefined}
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null), descendingFirst: DESCENDING_FIRST })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('applications.noResultsTitle')} text={t('applications.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconApplication />}
              title={t('applications.emptyTitle')}
              text={t('applications.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'applicationNew' })}>
                  <IconPlus />
                  {t('applications.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
