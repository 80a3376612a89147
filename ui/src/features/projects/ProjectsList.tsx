import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ProjectKind } from '../../bindings/ProjectKind';
import type { ProjectQuery } from '../../bindings/ProjectQuery';
import type { ProjectRow } from '../../bindings/ProjectRow';
import type { ProjectSort } from '../../bindings/ProjectSort';
import type { ProjectStatus } from '../../bindings/ProjectStatus';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { FilterSelect } from '../../components/FilterSelect';
import { IconPlus, IconProject, IconSearch, IconX } from '../../components/icons';
import { periodText } from '../../components/RelatedLists';
import { SavedViews } from '../../components/SavedViews';
import { listSort, ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { useRules } from '../../lib/rules';
import { formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type ProjectPreset } from '../../router';
import { ProjectStatusBadge } from './ProjectStatusBadge';

interface Filters {
  search: string;
  kind: ProjectKind | '';
  status: ProjectStatus | '';
  sort: ProjectSort;
  descending: boolean;
}

const INITIAL: Filters = { search: '', kind: '', status: '', sort: 'start_date', descending: true };
/** Columns that sort latest or largest first on the first click. */
const DESCENDING_FIRST: ProjectSort[] = ['start_date'];

export function ProjectsList({ preset }: { preset?: ProjectPreset }) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('projects', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('projects.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);

  const query: Omit<ProjectQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    kind: filters.kind || undefined,
    status: filters.status || undefined,
    sort: filters.sort,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.projectsList({ ...query, offset, limit });

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const filtered = Boolean(filters.kind || filters.status || search);

  const columns: Column<ProjectRow>[] = [
    {
      key: 'title',
      label: t('projects.columns.title'),
      width: 'minmax(240px, 3fr)',
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
      key: 'kind',
      label: t('projects.columns.kind'),
      width: 'minmax(160px, 1.4fr)',
      sortable: true,
      render: (r) => t(`enums.projectKind.${r.kind}`),
    },
    {
      key: 'start_date',
      label: t('projects.columns.period'),
      width: 'minmax(200px, 1.8fr)',
      sortable: true,
      render: (r) => <span className="cell-ellipsis">{periodText(t, lang, r.start_date, r.end_date)}</span>,
    },
    {
      key: 'status',
      label: t('projects.columns.status'),
      width: 'minmax(130px, 1fr)',
      sortable: true,
      render: (r) => <ProjectStatusBadge status={r.status} />,
    },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('projects.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="project-count" aria-live="polite">
              {total === null ? t('common.loading') : t('projects.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {filtered && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="clear-filters"
                onClick={() => update({ search: '', kind: '', status: '' })}
              >
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="project" />
          <ExportMenu list={{ kind: 'projects', query: { ...query, offset: 0, limit: 0 } }} />
          <button type="button" className="btn btn-primary" data-testid="project-new" onClick={() => navigate({ name: 'projectNew' })}>
            <IconPlus />
            {t('projects.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="project-search"
          label={t('projects.search')}
          placeholder={t('projects.searchPlaceholder')}
          value={filters.search}
          onChange={(search) => update({ search })}
          table={tableRef}
        />
        <FilterSelect
          id="filter-kind"
          label={t('projects.columns.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v as ProjectKind | '' })}
          options={rules.project_kinds.map((k) => ({ value: k, label: t(`enums.projectKind.${k}`) }))}
        />
        <FilterSelect
          id="filter-status"
          label={t('projects.columns.status')}
          value={filters.status}
          onChange={(v) => update({ status: v as ProjectStatus | '' })}
          options={rules.project_statuses.map((s) => ({ value: s, label: t(`enums.projectStatus.${s}`) }))}
        />
      </div>

      <SavedViews
        list="projects"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<ProjectRow>
        ref={tableRef}
        queryKey={['projects', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="project-row"
        label={t('projects.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'project', id: r.id })}
        onTotal={setTotal}
        persistKey="projects"
        sort={listSort(filters, setFilters, { search, onChange: () => setSelected(null), descendingFirst: DESCENDING_FIRST })}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('projects.noResultsTitle')} text={t('projects.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconProject />}
              title={t('projects.emptyTitle')}
              text={t('projects.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'projectNew' })}>
                  <IconPlus />
                  {t('projects.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
