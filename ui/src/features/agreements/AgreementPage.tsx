import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { Agreement } from '../../bindings/Agreement';
import type { Labels } from '../../bindings/Labels';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { PartnerName } from '../../components/Name';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { periodText, RelatedExchanges, RelatedProjects } from '../../components/RelatedLists';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { api, toIpcError } from '../../ipc';
import { academicYearLabel } from '../../lib/enums';
import { FieldName } from '../../lib/fields';
import { formatDate, formatNumber } from '../../lib/format';
import { countryName, languageName } from '../../lib/geo';
import { useRouter } from '../../router';
import { AgreementStatusBadge } from './AgreementStatusBadge';
import { conditionLabel, yearsText } from '../../lib/agreements';

export function AgreementPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: agreement, error, isPending, refetch } = useQuery({
    queryKey: ['agreement', id],
    queryFn: () => api.agreementGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.agreementDelete(id),
    restore: () => api.agreementRestore(id),
    section: 'agreements',
    messages: { deleted: 'agreement.deleted', restored: 'agreement.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !agreement) {
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

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {t(`enums.agreementKind.${agreement.kind}`)}
            {agreement.code && <> · {agreement.code}</>}
          </p>
          <h1 className="page-title" data-testid="agreement-title">
            {agreement.title}
          </h1>
          <div className="record-badges">
            <AgreementStatusBadge status={agreement.effective_status} testId="agreement-status" />
            {agreement.effective_status !== agreement.status && (
              <span className="muted small" data-testid="agreement-recorded-status">
                {t('agreement.recordedAs', { status: t(`enums.agreementStatus.${agreement.status}`) })}
              </span>
            )}
            {agreement.auto_renewal && <span className="badge badge-muted">{t('agreement.autoRenewal')}</span>}
          </div>
        </div>
        <div className="record-actions">
          <button
            type="button"
            className="btn"
            data-testid="agreement-new-exchange"
            onClick={() => navigate({ name: 'exchangeNew', agreementId: id })}
          >
            <IconPlus />
            {t('agreement.newExchange')}
          </button>
          <button type="button" className="btn" data-testid="agreement-edit" onClick={() => navigate({ name: 'agreementEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="agreement-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={agreement.deleted} remove={remove} restore={restore} />

      {/* Details and parties beside the history; the tables and lists below take the page's whole width. */}
      <div className="record-grid">
        <div className="record-main">
          <Details agreement={agreement} />
          <Parties agreement={agreement} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>
      <div className="record-wide" data-testid="agreement-wide">
        <Conditions agreement={agreement} />
        <UsageAndBalance agreement={agreement} />
        <RelatedExchanges
          filter={{ agreement_id: id }}
          show="person"
          testId="agreement-exchanges"
          action={
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => navigate({ name: 'exchangeNew', agreementId: id })}
            >
              <IconPlus />
              {t('agreement.newExchange')}
            </button>
          }
        />
        <RelatedProjects filter={{ agreement_id: id }} testId="agreement-projects" />
        <Documents owner={id} />
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('agreement.deleteTitle')}
          message={[t('agreement.deleteText', { name: agreement.title }), dependantsSentence(t, lang, dependants.result)]
            .filter(Boolean)
            .join(' ')}
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

function Details({ agreement }: { agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('agreement.code')}>{agreement.code && <span className="mono selectable">{agreement.code}</span>}</Prop>
        <Prop label={t('agreement.kind')}>{t(`enums.agreementKind.${agreement.kind}`)}</Prop>
        <Prop label={t('agreement.status')}>
          <span data-testid="agreement-effective-status">{t(`enums.agreementStatus.${agreement.effective_status}`)}</span>
          {agreement.effective_status !== agreement.status && (
            <span className="muted small">
              {' '}
              ({t('agreement.recordedAs', { status: t(`enums.agreementStatus.${agreement.status}`) })})
            </span>
          )}
        </Prop>
        <Prop label={t('agreement.signedDate')}>{formatDate(agreement.signed_date, lang)}</Prop>
        <Prop label={t('agreement.period')}>{periodText(t, lang, agreement.start_date, agreement.end_date)}</Prop>
        <Prop label={t('agreement.autoRenewal')}>{agreement.auto_renewal ? t('common.yes') : t('common.no')}</Prop>
        <Prop label={t('agreement.noticeMonths')}>
          {agreement.notice_months !== null && t('agreement.months', { count: agreement.notice_months })}
        </Prop>
        <Prop label={t('agreement.fields')}>
          {agreement.fields.length > 0 && (
            <ul className="chips" data-testid="agreement-fields">
              {agreement.fields.map((f) => (
                <li key={f} className="chip" title={f}>
                  <FieldName code={f} />
                </li>
              ))}
            </ul>
          )}
        </Prop>
        <Prop label={t('agreement.parent')}>
          {agreement.parent_id &&
            (agreement.parent_title ? (
              <button
                type="button"
                className="link"
                data-testid="agreement-parent"
                onClick={() => navigate({ name: 'agreement', id: agreement.parent_id as string })}
              >
                {agreement.parent_title}
              </button>
            ) : (
              <span className="pending" data-testid="agreement-parent">
                {t('common.pendingSync')}
              </span>
            ))}
        </Prop>
        {agreement.children.length > 0 && (
          <Prop label={t('agreement.children')}>
            <ul className="plain-list" data-testid="agreement-children">
              {agreement.children.map((c) => (
                <li key={c.id}>
                  <button type="button" className="link" onClick={() => navigate({ name: 'agreement', id: c.id })}>
                    {c.title}
                  </button>
                </li>
              ))}
            </ul>
          </Prop>
        )}
        <Prop label={t('agreement.notes')}>{agreement.notes && <p className="notes">{agreement.notes}</p>}</Prop>
      </dl>
    </section>
  );
}

function Parties({ agreement }: { agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  return (
    <section className="card">
      <h2 className="card-title">{t('agreement.parties')}</h2>
      {agreement.parties_read.length === 0 ? (
        <p className="muted">{t('agreement.noParties')}</p>
      ) : (
        <ul className="link-list" data-testid="agreement-parties">
          {agreement.parties_read.map((p) => {
            const sub = [
              p.role,
              p.country ? countryName(p.country, lang) : null,
              p.signed_date ? t('agreement.signedOn', { date: formatDate(p.signed_date, lang) }) : null,
            ]
              .filter(Boolean)
              .join(' · ');
            return (
              <li key={p.id} className="party">
                {p.partner_id && p.partner_name ? (
                  <button
                    type="button"
                    className="link-row"
                    data-testid="agreement-party"
                    onClick={() => navigate({ name: 'partner', id: p.partner_id as string })}
                  >
                    <span className="link-row-title">
                      <PartnerName labels={p.partner_labels} fallback={p.partner_name} />
                    </span>
                    {sub && <span className="link-row-sub">{sub}</span>}
                  </button>
                ) : (
                  <div className="link-row is-static" data-testid="agreement-party">
                    <span className="link-row-title pending">{t('common.pendingSync')}</span>
                    {sub && <span className="link-row-sub">{sub}</span>}
                  </div>
                )}
                {(p.unit_id || p.signatory_id) && (
                  <div className="party-extra small">
                    {p.unit_id && (
                      <span>
                        <span className="muted">{t('agreement.unit')}: </span>
                        {p.unit_name ? (
                          <button type="button" className="link" data-testid="party-unit" onClick={() => navigate({ name: 'partner', id: p.unit_id as string })}>
                            <PartnerName labels={p.unit_labels} fallback={p.unit_name} />
                          </button>
                        ) : (
                          <span className="pending">{t('common.pendingSync')}</span>
                        )}
                      </span>
                    )}
                    {p.signatory_id && (
                      <span>
                        <span className="muted">{t('agreement.signatory')}: </span>
                        {p.signatory_name ? (
                          <button
                            type="button"
                            className="link"
                            onClick={() => navigate({ name: 'contact', id: p.signatory_id as string })}
                          >
                            {p.signatory_name}
                          </button>
                        ) : (
                          <span className="pending">{t('common.pendingSync')}</span>
                        )}
                      </span>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function PartyName({ id, name, labels, testId }: { id: string | null; name: string | null; labels: Labels | null; testId?: string }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  if (!id) return <span className="muted">{t('common.none')}</span>;
  if (!name) return <span className="pending">{t('common.pendingSync')}</span>;
  return (
    <button type="button" className="link" data-testid={testId} onClick={() => navigate({ name: 'partner', id })}>
      <PartnerName labels={labels} fallback={name} />
    </button>
  );
}

function Conditions({ agreement }: { agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card">
      <h2 className="card-title">{t('agreement.conditions')}</h2>
      {agreement.conditions_read.length === 0 ? (
        <p className="muted">{t('agreement.noConditions')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="agreement-conditions">
            <thead>
              <tr>
                <th scope="col">{t('agreement.mobility')}</th>
                <th scope="col">{t('agreement.direction')}</th>
                <th scope="col" className="num">
                  {t('agreement.placesMonths')}
                </th>
                <th scope="col">{t('agreement.requirements')}</th>
                <th scope="col">{t('agreement.years')}</th>
              </tr>
            </thead>
            <tbody>
              {agreement.conditions_read.map((c) => (
                <tr key={c.id} data-testid="agreement-condition">
                  <td>{t(`enums.mobility.${c.mobility}`)}</td>
                  <td className="sides">
                    <PartyName id={c.sending_id} name={c.sending_name} labels={c.sending_labels} testId="condition-sending" />
                    <span className="muted"> → </span>
                    <PartyName id={c.receiving_id} name={c.receiving_name} labels={c.receiving_labels} testId="condition-receiving" />
                  </td>
                  <td className="num">
                    {c.places ?? '–'} / {c.months ?? '–'}
                  </td>
                  <td>
                    {c.levels.length > 0 && (
                      <span className="req-line" title={c.levels.map((l) => t(`enums.level.${l}`)).join(', ')}>
                        {c.levels.map((l) => t(`enums.levelShort.${l}`)).join(', ')}
                      </span>
                    )}
                    {c.languages.length > 0 && (
                      <span className="req-line">
                        {c.languages.map((l) => (
                          <span key={`${l.lang}-${l.cefr}`} className="lang-req" title={l.lang}>
                            {languageName(l.lang, lang)} {l.cefr}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="years">{yearsText(t, c.first_year, c.last_year)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function UsageAndBalance({ agreement }: { agreement: Agreement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const conditions = new Map(agreement.conditions_read.map((c) => [c.id, c]));
  const usage = [...agreement.usage].sort(
    (a, b) =>
      b.academic_year - a.academic_year ||
      agreement.conditions_read.findIndex((c) => c.id === a.condition_id) - agreement.conditions_read.findIndex((c) => c.id === b.condition_id),
  );
  const balance = [...agreement.balance].sort((a, b) => b.academic_year - a.academic_year);
  if (usage.length === 0 && balance.length === 0) return null;
  const signed = (n: number) => (n > 0 ? `+${formatNumber(n, lang)}` : n < 0 ? `−${formatNumber(-n, lang)}` : '0');
  return (
    <section className="card">
      <h2 className="card-title">{t('agreement.byYear')}</h2>
      {usage.length > 0 && (
        <>
          <h3 className="subhead">{t('agreement.usage')}</h3>
          <div className="table-wrap">
            <table className="data-table" data-testid="agreement-usage">
              <thead>
                <tr>
                  <th scope="col">{t('agreement.academicYear')}</th>
                  <th scope="col">{t('agreement.condition')}</th>
                  <th scope="col" className="num">
                    {t('agreement.used')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {usage.map((u) => {
                  const c = conditions.get(u.condition_id);
                  const over = u.places !== null && u.used > u.places;
                  return (
                    <tr key={`${u.condition_id}-${u.academic_year}`} className={over ? 'is-over' : undefined}>
                      <td>{academicYearLabel(u.academic_year)}</td>
                      <td>{c ? conditionLabel(t, c) : t('common.none')}</td>
                      <td className="num" title={over ? t('agreement.overUsed') : undefined}>
                        {u.places === null
                          ? t('agreement.usedNoLimit', { used: formatNumber(u.used, lang) })
                          : t('agreement.usedOf', { used: formatNumber(u.used, lang), places: formatNumber(u.places, lang) })}
                        {over && <span className="sr-only"> ({t('agreement.overUsed')})</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {balance.length > 0 && (
        <>
          <h3 className="subhead">{t('agreement.balance')}</h3>
          <div className="table-wrap">
            <table className="data-table" data-testid="agreement-balance">
              <thead>
                <tr>
                  <th scope="col">{t('agreement.academicYear')}</th>
                  <th scope="col" className="num">
                    {t('agreement.incoming')}
                  </th>
                  <th scope="col" className="num">
                    {t('agreement.outgoing')}
                  </th>
                  <th scope="col" className="num">
                    {t('agreement.net')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {balance.map((b) => (
                  <tr key={b.academic_year}>
                    <td>{academicYearLabel(b.academic_year)}</td>
                    <td className="num">{formatNumber(b.incoming, lang)}</td>
                    <td className="num">{formatNumber(b.outgoing, lang)}</td>
                    <td className={`num${b.incoming !== b.outgoing ? ' is-unbalanced' : ''}`}>{signed(b.incoming - b.outgoing)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
