import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { labelText, Name, PartnerName } from '../../components/Name';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { RelatedAgreements, RelatedApplications, RelatedEvents, RelatedExchanges, RelatedProjects } from '../../components/RelatedLists';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { currentLang } from '../../i18n';
import { api, toIpcError } from '../../ipc';
import { dateRange } from '../../lib/format';
import { countryName, languageName } from '../../lib/geo';
import { useRouter } from '../../router';
import { StatusBadge } from './StatusBadge';

export function PartnerPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: partner, error, isPending, refetch } = useQuery({
    queryKey: ['partner', id],
    queryFn: () => api.partnerGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.partnerDelete(id),
    restore: () => api.partnerRestore(id),
    section: 'partners',
    messages: { deleted: 'partner.deleted', restored: 'partner.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !partner) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />
      </div>
    );
  }

  const askDelete = async () => {
    if (dependants.checking) return;
    await dependants.check();
    setConfirming(true);
  };

  const otherNames = partner.names.filter((n) => !n.primary);

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {t(`enums.kind.${partner.kind}`)}
            {partner.country && <> · {countryName(partner.country, lang)}</>}
          </p>
          <h1 className="page-title" data-testid="partner-title">
            <Name label={partner.labels[currentLang()]} />
          </h1>
          <div className="record-badges">
            {partner.acronym && <span className="badge badge-outline">{partner.acronym}</span>}
            <StatusBadge status={partner.status} />
            <span className="badge badge-muted">{t(`enums.zone.${partner.zone}`)}</span>
          </div>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="partner-edit" onClick={() => navigate({ name: 'partnerEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="partner-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={partner.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <section className="card">
            <h2 className="card-title">{t('partner.details')}</h2>
            <dl className="props">
              {otherNames.length > 0 && (
                <Prop label={t('partner.otherNames')}>
                  <ul className="plain-list" data-testid="partner-names">
                    {otherNames.map((n) => (
                      <li key={n.id}>
                        <span lang={n.lang}>{n.value}</span>{' '}
                        <span className="muted small" title={n.lang}>
                          {languageName(n.lang, lang)}
                        </span>
                      </li>
                    ))}
                  </ul>
                </Prop>
              )}
              <Prop label={t('partner.acronym')}>{partner.acronym}</Prop>
              <Prop label={t('partner.kind')}>{t(`enums.kind.${partner.kind}`)}</Prop>
              <Prop label={t('partner.status')}>{t(`enums.status.${partner.status}`)}</Prop>
              <Prop label={t('partner.zone')}>{t(`enums.zone.${partner.zone}`)}</Prop>
              <Prop label={t('partner.country')}>{countryName(partner.country, lang)}</Prop>
              <Prop label={t('partner.city')}>{partner.city}</Prop>
              <Prop label={t('partner.website')}>{partner.website && <span className="mono selectable">{partner.website}</span>}</Prop>
              <Prop label={t('partner.parent')}>
                {partner.parent_id &&
                  (partner.parent_name ? (
                    <button
                      type="button"
                      className="link"
                      data-testid="partner-parent"
                      onClick={() => navigate({ name: 'partner', id: partner.parent_id as string })}
                    >
                      {partner.parent_labels ? <Name label={partner.parent_labels[currentLang()]} /> : partner.parent_name}
                    </button>
                  ) : (
                    <span className="pending" data-testid="partner-parent">
                      {t('common.pendingSync')}
                    </span>
                  ))}
              </Prop>
              {partner.units.length > 0 && (
                <Prop label={t('partner.units')}>
                  <ul className="plain-list">
                    {partner.units.map((u) => (
                      <li key={u.id}>
                        <button type="button" className="link" onClick={() => navigate({ name: 'partner', id: u.id })}>
                          <PartnerName labels={u.labels} fallback={u.name} />
                        </button>
                      </li>
                    ))}
                  </ul>
                </Prop>
              )}
              <Prop label={t('partner.identifiers')}>
                {partner.identifiers.length > 0 && (
                  <ul className="plain-list">
                    {partner.identifiers.map((ident) => (
                      <li key={ident.id}>
                        <span className="muted small">{t(`enums.scheme.${ident.scheme}`)}</span>{' '}
                        <span className="mono selectable">{ident.value}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Prop>
              <Prop label={t('partner.tags')}>
                {partner.tags.length > 0 && (
                  <ul className="chips">
                    {partner.tags.map((tag) => (
                      <li key={tag} className="chip">
                        {tag}
                      </li>
                    ))}
                  </ul>
                )}
              </Prop>
              <Prop label={t('partner.notes')}>{partner.notes && <p className="notes">{partner.notes}</p>}</Prop>
            </dl>
          </section>

          <section className="card">
            <header className="card-head">
              <h2 className="card-title">{t('partner.contacts')}</h2>
              <div className="card-actions">
                {partner.contacts.length > 0 && (
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    data-testid="partner-show-contacts"
                    onClick={() => navigate({ name: 'contacts', preset: { partnerId: id } })}
                  >
                    {t('partner.showContacts')}
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  data-testid="partner-add-contact"
                  onClick={() => navigate({ name: 'contactNew', partnerId: id })}
                >
                  <IconPlus />
                  {t('partner.addContact')}
                </button>
              </div>
            </header>
            {partner.contacts.length === 0 ? (
              <p className="muted">{t('partner.noContacts')}</p>
            ) : (
              <ul className="link-list" data-testid="partner-contacts">
                {partner.contacts.map((c, i) => (
                  <li key={`${c.contact_id}-${i}`}>
                    <button type="button" className="link-row" onClick={() => navigate({ name: 'contact', id: c.contact_id })}>
                      <span className="link-row-title">{c.name}</span>
                      <span className="link-row-sub">
                        {[c.role, dateRange(t, lang, c.start_date, c.end_date)].filter(Boolean).join(' · ')}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <RelatedAgreements
            filter={{ partner_id: id }}
            testId="partner-agreements"
            action={
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="partner-add-agreement"
                onClick={() => navigate({ name: 'agreementNew', partnerId: id })}
              >
                <IconPlus />
                {t('partner.addAgreement')}
              </button>
            }
          />
          <RelatedExchanges filter={{ partner_id: id }} show="person" testId="partner-exchanges" />
          <RelatedApplications filter={{ partner_id: id }} testId="partner-applications" />
          <RelatedProjects filter={{ partner_id: id }} testId="partner-projects" />
          <RelatedEvents filter={{ partner_id: id }} testId="partner-events" />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('partner.deleteTitle')}
          message={[t('partner.deleteText', { name: labelText(partner.labels, partner.name) }), dependantsSentence(t, lang, dependants.result)].filter(Boolean).join(' ')}
          confirmLabel={remove.isPending ? t('common.deleting') : t('confirm.ok')}
          cancelLabel={t('confirm.cancel')}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
