import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ContactQuery } from '../../bindings/ContactQuery';
import type { ContactRow } from '../../bindings/ContactRow';
import { ExportMenu } from '../../components/ExportMenu';
import { ImportButton } from '../../components/ImportButton';
import { EmptyState } from '../../components/Feedback';
import { IconPlus, IconSearch, IconUsers, IconX } from '../../components/icons';
import { PartnerPicker } from '../../components/PartnerPicker';
import { SavedViews } from '../../components/SavedViews';
import type { Picked } from '../../components/SearchPicker';
import { ListSearch, VirtualTable, type Column, type TableHandle } from '../../components/VirtualTable';
import { useDebounced } from '../../hooks/useDebounced';
import { api } from '../../ipc';
import { labelText, PartnerName } from '../../components/Name';
import { formatNumber } from '../../lib/format';
import { useListFilters, usePersistentState } from '../../lib/persist';
import { useRouter, type ContactPreset } from '../../router';

interface Filters {
  search: string;
  /** The organisation the people are affiliated with; '' for any. */
  partnerId: string;
  descending: boolean;
}

const INITIAL: Filters = { search: '', partnerId: '', descending: false };

/**
 * The organisation filter's choice with its name: the name of the one just picked, else read from the core
 * (a saved view or a partner page's link brings only the id).
 */
function useFilterPartner(partnerId: string): [Picked | null, (picked: Picked | null) => void] {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Picked | null>(null);
  const known = picked !== null && picked.id === partnerId;
  const partner = useQuery({
    queryKey: ['partner', partnerId],
    queryFn: () => api.partnerGet(partnerId),
    enabled: Boolean(partnerId) && !known,
  });
  if (!partnerId) return [null, setPicked];
  if (known) return [picked, setPicked];
  return [{ id: partnerId, name: partner.isPending ? t('common.loading') : labelText(partner.data?.labels, partner.data?.name ?? null) }, setPicked];
}

export function ContactsList({ preset }: { preset?: ContactPreset }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const [filters, setFilters] = useListFilters<Filters>('contacts', INITIAL, preset);
  const [selected, setSelected] = usePersistentState<number | null>('contacts.selected', null);
  const [total, setTotal] = useState<number | null>(null);
  const tableRef = useRef<TableHandle>(null);
  const search = useDebounced(filters.search.trim(), 150);
  const [partner, setPartner] = useFilterPartner(filters.partnerId);

  const query: Omit<ContactQuery, 'offset' | 'limit'> = {
    search: search || undefined,
    partner_id: filters.partnerId || undefined,
    descending: filters.descending,
  };
  // The pages are cached under the query (the table's key), so this function need not be stable.
  const fetchPage = (offset: number, limit: number) => api.contactsList({ ...query, offset, limit });
  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setSelected(patch.search !== undefined && patch.search.trim() ? 0 : null);
  };
  const setSearch = (value: string) => update({ search: value });
  const filtered = Boolean(search || filters.partnerId);

  const columns: Column<ContactRow>[] = [
    {
      key: 'name',
      label: t('contacts.columns.name'),
      width: 'minmax(220px, 2.4fr)',
      sortable: true,
      className: 'cell-name',
      render: (r) => (
        <>
          <span className="cell-primary">{r.name || t('contact.unnamed')}</span>
          {r.native_name && !r.name.includes(r.native_name) && <span className="cell-secondary">{r.native_name}</span>}
        </>
      ),
    },
    {
      key: 'organisation',
      label: t('contacts.columns.organisation'),
      width: 'minmax(180px, 2fr)',
      render: (r) =>
        r.organisation ? (
          <PartnerName labels={r.organisation_labels} fallback={r.organisation} />
        ) : r.organisation_id ? (
          <span className="pending">{t('common.pendingSync')}</span>
        ) : (
          ''
        ),
    },
    { key: 'role', label: t('contacts.columns.role'), width: 'minmax(120px, 1.3fr)', render: (r) => r.role ?? '' },
    { key: 'email', label: t('contacts.columns.email'), width: 'minmax(160px, 1.6fr)', className: 'mono-soft', render: (r) => r.email ?? '' },
  ];

  return (
    <div className="page page-list">
      <header className="page-head">
        <div className="page-title-block">
          <h1 className="page-title">{t('contacts.title')}</h1>
          <div className="page-subtitle">
            <span data-testid="contact-count" aria-live="polite">
              {total === null ? t('common.loading') : t('contacts.count', { count: total, formatted: formatNumber(total, lang) })}
            </span>
            {search && <span className="muted">· {t('partners.relevance')}</span>}
            {(filters.search || filters.partnerId) && (
              <button type="button" className="btn btn-ghost btn-sm" data-testid="clear-filters" onClick={() => update({ search: '', partnerId: '' })}>
                <IconX />
                {t('common.clearFilters')}
              </button>
            )}
          </div>
        </div>
        <div className="page-head-buttons">
          <ImportButton kind="contact" />
          <ExportMenu list={{ kind: 'contacts', query: { ...query, offset: 0, limit: 0 } }} />
          <button
            type="button"
            className="btn btn-primary"
            data-testid="contact-new"
            onClick={() => navigate({ name: 'contactNew', partnerId: filters.partnerId || undefined })}
          >
            <IconPlus />
            {t('contacts.new')}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <ListSearch
          testId="contact-search"
          label={t('contacts.search')}
          placeholder={t('contacts.searchPlaceholder')}
          value={filters.search}
          onChange={setSearch}
          table={tableRef}
        />
        <div className={`filter filter-wide${filters.partnerId ? ' is-set' : ''}`}>
          <label htmlFor="filter-organisation" className="filter-label">
            {t('contacts.filterOrganisation')}
          </label>
          <PartnerPicker
            id="filter-organisation"
            testId="filter-organisation"
            value={partner}
            onChange={(picked) => {
              setPartner(picked);
              update({ partnerId: picked?.id ?? '' });
            }}
          />
        </div>
      </div>

      <SavedViews
        list="contacts"
        initial={INITIAL}
        current={filters}
        onApply={(f) => {
          setFilters(f);
          setSelected(null);
        }}
      />

      <VirtualTable<ContactRow>
        ref={tableRef}
        queryKey={['contacts', query]}
        fetchPage={fetchPage}
        columns={columns}
        getRowId={(r) => r.id}
        rowTestId="contact-row"
        label={t('contacts.table')}
        selected={selected}
        onSelect={setSelected}
        onOpen={(r) => navigate({ name: 'contact', id: r.id })}
        onTotal={setTotal}
        persistKey="contacts"
        sort={{
          key: 'name',
          descending: filters.descending,
          disabled: Boolean(search),
          onSort: () => {
            setSelected(null);
            setFilters((f) => ({ ...f, descending: !f.descending }));
          },
        }}
        empty={
          filtered ? (
            <EmptyState icon={<IconSearch />} title={t('contacts.noResultsTitle')} text={t('contacts.noResultsText')} />
          ) : (
            <EmptyState
              icon={<IconUsers />}
              title={t('contacts.emptyTitle')}
              text={t('contacts.emptyText')}
              action={
                <button type="button" className="btn btn-primary" onClick={() => navigate({ name: 'contactNew' })}>
                  <IconPlus />
                  {t('contacts.new')}
                </button>
              }
            />
          )
        }
      />
    </div>
  );
}
