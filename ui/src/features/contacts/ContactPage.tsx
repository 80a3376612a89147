import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { labelText, PartnerName } from '../../components/Name';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { RelatedAgreements, RelatedApplications, RelatedExchanges } from '../../components/RelatedLists';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { api, toIpcError } from '../../ipc';
import { dateRange } from '../../lib/format';
import { languageName } from '../../lib/geo';
import { useRouter } from '../../router';

export function ContactPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: contact, error, isPending, refetch } = useQuery({
    queryKey: ['contact', id],
    queryFn: () => api.contactGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.contactDelete(id),
    restore: () => api.contactRestore(id),
    section: 'contacts',
    messages: { deleted: 'contact.deleted', restored: 'contact.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !contact) {
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

  const current = contact.affiliations_read.find((a) => !a.end_date) ?? contact.affiliations_read[0];
  const name = contact.name || contact.native_name || t('contact.unnamed');

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {[current?.role, current && labelText(current.partner_labels, current.partner_name)].filter(Boolean).join(' · ') ||
              t('contacts.title')}
          </p>
          <h1 className="page-title" data-testid="contact-title">
            {name}
          </h1>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="contact-edit" onClick={() => navigate({ name: 'contactEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="contact-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={contact.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <section className="card">
            <h2 className="card-title">{t('partner.details')}</h2>
            <dl className="props">
              <Prop label={t('contact.title')}>{contact.title}</Prop>
              <Prop label={t('contact.givenName')}>{contact.given_name}</Prop>
              <Prop label={t('contact.familyName')}>{contact.family_name}</Prop>
              <Prop label={t('contact.nativeName')}>{contact.native_name}</Prop>
              <Prop label={t('contact.emails')}>
                {contact.emails.length > 0 && (
                  <ul className="plain-list" data-testid="contact-emails">
                    {contact.emails.map((e) => (
                      <li key={e} className="mono selectable">
                        {e}
                      </li>
                    ))}
                  </ul>
                )}
              </Prop>
              <Prop label={t('contact.phones')}>
                {contact.phones.length > 0 && (
                  <ul className="plain-list" data-testid="contact-phones">
                    {contact.phones.map((p) => (
                      <li key={p} className="mono selectable">
                        {p}
                      </li>
                    ))}
                  </ul>
                )}
              </Prop>
              <Prop label={t('contact.languages')}>
                {contact.languages.length > 0 && (
                  <ul className="chips" data-testid="contact-languages">
                    {contact.languages.map((l) => (
                      <li key={l} className="chip" title={l}>
                        {languageName(l, lang)}
                      </li>
                    ))}
                  </ul>
                )}
              </Prop>
              <Prop label={t('contact.notes')}>{contact.notes && <p className="notes">{contact.notes}</p>}</Prop>
            </dl>
          </section>

          <section className="card">
            <h2 className="card-title">{t('contact.affiliations')}</h2>
            {contact.affiliations_read.length === 0 ? (
              <p className="muted">{t('contact.noAffiliations')}</p>
            ) : (
              <ul className="link-list" data-testid="contact-affiliations">
                {contact.affiliations_read.map((a) => (
                  <li key={a.id}>
                    {a.partner_name ? (
                      <button type="button" className="link-row" onClick={() => navigate({ name: 'partner', id: a.partner_id })}>
                        <span className="link-row-title">
                          <PartnerName labels={a.partner_labels} fallback={a.partner_name} />
                        </span>
                        <span className="link-row-sub">{[a.role, dateRange(t, lang, a.start_date, a.end_date)].filter(Boolean).join(' · ')}</span>
                      </button>
                    ) : (
                      <div className="link-row is-static">
                        <span className="link-row-title pending">{t('common.pendingSync')}</span>
                        <span className="link-row-sub">{[a.role, dateRange(t, lang, a.start_date, a.end_date)].filter(Boolean).join(' · ')}</span>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <RelatedExchanges
            filter={{ person_id: id }}
            show="route"
            testId="contact-exchanges"
            action={
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="contact-add-exchange"
                onClick={() => navigate({ name: 'exchangeNew', personId: id })}
              >
                <IconPlus />
                {t('contact.addExchange')}
              </button>
            }
          />
          <RelatedApplications filter={{ pi_id: id }} title={t('contact.piApplications')} testId="contact-applications" hideWhenEmpty />
          <RelatedAgreements filter={{ signatory_id: id }} title={t('contact.signedAgreements')} testId="contact-agreements" hideWhenEmpty />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('contact.deleteTitle')}
          message={[t('contact.deleteText', { name }), dependantsSentence(t, lang, dependants.result)].filter(Boolean).join(' ')}
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
