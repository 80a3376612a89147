import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { Application } from '../../bindings/Application';
import type { Labels } from '../../bindings/Labels';
import type { Call } from '../../bindings/Call';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { IconEdit, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { PartnerName } from '../../components/Name';
import { api, toIpcError } from '../../ipc';
import { formatMoney, formatScore } from '../../lib/format';
import { countryName } from '../../lib/geo';
import { useRouter, type Route } from '../../router';
import { applicationLabel } from '../../lib/format';
import { ApplicationStatusBadge } from '../../components/ApplicationStatusBadge';
import { EligibleMark, formatPoints, notRankedReasons, ruleMessage, scoreText } from '../../components/Assessment';

/** A link to a record, "pending sync" when its name is not known here, nothing without an id. */
function RecordLink({
  id,
  name,
  labels,
  route,
  testId,
}: {
  id: string | null;
  name: string | null;
  /** An organisation's names for each UI language, when the core gave them. */
  labels?: Labels | null;
  route: (id: string) => Route;
  testId: string;
}) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  if (!id) return null;
  if (!name) {
    return (
      <span className="pending" data-testid={testId}>
        {t('common.pendingSync')}
      </span>
    );
  }
  return (
    <button type="button" className="link" data-testid={testId} onClick={() => navigate(route(id))}>
      <PartnerName labels={labels} fallback={name} />
    </button>
  );
}

const partnerRoute = (id: string): Route => ({ name: 'partner', id });
const contactRoute = (id: string): Route => ({ name: 'contact', id });

/** "#2 of 4 ranked", or "not ranked: below threshold on Feasibility". */
export function rankText(t: TFunction, a: Application, call: Call | undefined): string {
  if (a.assessment.rank !== null) {
    if (!call) return `#${a.assessment.rank}`;
    const count = call.applications.filter((x) => x.rank !== null).length;
    return t('application.rankOf', { rank: a.assessment.rank, count });
  }
  const reasons = notRankedReasons(t, a);
  return reasons.length ? t('application.notRankedBecause', { reasons: reasons.join('; ') }) : t('application.notRanked');
}

/** The label of an eligibility rule (`min_partners`…); the rule's own name when it is a new one. */
function ruleLabel(t: TFunction, rule: string): string {
  const key = `application.ruleNames.${rule}`;
  const text = t(key);
  return text === key ? rule : text;
}

export function ApplicationPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const { data: application, error, isPending, refetch } = useQuery({
    queryKey: ['application', id],
    queryFn: () => api.applicationGet(id),
  });
  const callId = application?.call_id ?? null;
  // The call: its currency for the amounts, and how many applications are ranked.
  const call = useQuery({
    queryKey: ['call', callId],
    queryFn: () => api.callGet(callId as string),
    enabled: Boolean(callId),
    retry: false,
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.applicationDelete(id),
    restore: () => api.applicationRestore(id),
    section: 'applications',
    messages: { deleted: 'application.deleted', restored: 'application.restored' },
  });

  if (isPending) return <PageSkeleton />;
  if (error || !application) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />
      </div>
    );
  }

  const label = applicationLabel(application);
  const callData = call.data && !call.data.deleted ? call.data : undefined;

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {t('application.eyebrow')}
            {label && <> · {label}</>}
          </p>
          <h1 className="page-title" data-testid="application-title">
            {application.title}
          </h1>
          <div className="record-badges">
            <ApplicationStatusBadge status={application.status} testId="application-status" />
            <span className={`badge ${application.assessment.eligibility.eligible ? 'badge-active' : 'badge-ineligible'}`} data-testid="application-eligible">
              {application.assessment.eligibility.eligible ? t('application.eligible') : t('application.notEligible')}
            </span>
          </div>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="application-edit" onClick={() => navigate({ name: 'applicationEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button type="button" className="btn btn-danger-ghost" data-testid="application-delete" onClick={() => setConfirming(true)}>
            <IconTrash />
            {t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={application.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <Assessment application={application} call={callData} />
          <EligibilityPanel application={application} />
          <Details application={application} call={callData} />
          <Averages application={application} />
          <Reviews application={application} />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('application.deleteTitle')}
          message={t('application.deleteText', { name: application.title })}
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

function Assessment({ application: a, call }: { application: Application; call: Call | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card" aria-labelledby="assessment-title">
      <h2 className="card-title" id="assessment-title">
        {t('application.assessment')}
      </h2>
      <div className="stats">
        <div className="stat">
          <span className="stat-label">{t('application.score')}</span>
          <span className={`stat-value${a.assessment.score === null ? ' muted' : ''}`} data-testid="application-score">
            {scoreText(t, lang, a.assessment.score)}
          </span>
        </div>
        <div className="stat">
          <span className="stat-label">{t('application.rank')}</span>
          <span className={`stat-value${a.assessment.rank === null ? ' muted' : ''}`} data-testid="application-rank">
            {rankText(t, a, call)}
          </span>
        </div>
      </div>
    </section>
  );
}

function EligibilityPanel({ application: a }: { application: Application }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const e = a.assessment.eligibility;
  return (
    <section className="card" data-testid="eligibility" data-eligible={e.eligible} aria-labelledby="eligibility-title">
      <header className="card-head">
        <h2 className="card-title" id="eligibility-title">
          {t('application.eligibility')}
        </h2>
        <span className={`badge ${e.eligible ? 'badge-active' : 'badge-ineligible'}`} data-testid="eligibility-verdict">
          <EligibleMark eligible={e.eligible} /> {e.eligible ? t('application.eligible') : t('application.notEligible')}
        </span>
      </header>
      {e.checks.length === 0 ? (
        <p className="muted">{t('application.noRules')}</p>
      ) : (
        <ul className="checks-list">
          {e.checks.map((c) => (
            <li key={c.rule} className={`check ${c.ok ? 'is-ok' : 'is-ko'}`} data-testid={`rule-${c.rule}`} data-ok={c.ok ? 'true' : 'false'}>
              <EligibleMark eligible={c.ok} />
              <span className="check-rule">{ruleLabel(t, c.rule)}</span>
              <span className="check-message" data-testid={`rule-${c.rule}-message`}>
                {ruleMessage(t, lang, c)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <dl className="props props-compact">
        <Prop label={t('application.organisations')}>
          <span data-testid="eligibility-organisations">{e.organisations}</span>
        </Prop>
        <Prop label={t('application.countries')}>
          {e.countries.length > 0 && (
            <ul className="chips" data-testid="eligibility-countries">
              {e.countries.map((c) => (
                <li key={c} className="chip" title={c}>
                  {countryName(c, lang)}
                </li>
              ))}
            </ul>
          )}
        </Prop>
        <Prop label={t('application.zones')}>
          {e.zones.length > 0 && (
            <ul className="chips" data-testid="eligibility-zones">
              {e.zones.map((z) => (
                <li key={z} className="chip">
                  {t(`enums.zone.${z}`)}
                </li>
              ))}
            </ul>
          )}
        </Prop>
      </dl>
    </section>
  );
}

function Details({ application: a, call }: { application: Application; call: Call | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (v: number | null) => (v === null ? null : formatMoney(v, call?.currency, lang));
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('application.call')}>
          <RecordLink id={a.call_id} name={a.call_title} route={(id) => ({ name: 'call', id })} testId="application-call" />
        </Prop>
        <Prop label={t('application.reference')}>{a.reference && <span className="mono selectable">{a.reference}</span>}</Prop>
        <Prop label={t('application.acronym')}>{a.acronym}</Prop>
        <Prop label={t('application.pi')}>
          <RecordLink id={a.pi_id} name={a.pi_name} route={contactRoute} testId="application-pi" />
        </Prop>
        <Prop label={t('application.lead')}>
          {a.lead_id && (
            <span>
              <RecordLink id={a.lead_id} name={a.lead_name} labels={a.lead_labels} route={partnerRoute} testId="application-lead" />
              <LeadCountry id={a.lead_id} />
            </span>
          )}
        </Prop>
        <Prop label={t('application.partners')}>
          {a.partners_read.length > 0 && (
            <ul className="plain-list" data-testid="application-partners">
              {a.partners_read.map((p) => (
                <li key={p.partner_id} data-testid="application-partner">
                  <RecordLink id={p.partner_id} name={p.name} labels={p.labels} route={partnerRoute} testId="application-partner-link" />
                  {(p.country || p.role) && (
                    <span className="muted small"> · {[p.country ? countryName(p.country, lang) : null, p.role].filter(Boolean).join(' · ')}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Prop>
        <Prop label={t('application.requested')}>{a.requested !== null && <span data-testid="application-requested">{money(a.requested)}</span>}</Prop>
        <Prop label={t('application.cofunding')}>{a.cofunding !== null && <span data-testid="application-cofunding">{money(a.cofunding)}</span>}</Prop>
        <Prop label={t('application.duration')}>
          {a.duration_months !== null && <span data-testid="application-duration">{t('application.months', { count: a.duration_months })}</span>}
        </Prop>
        <Prop label={t('application.status')}>{t(`enums.applicationStatus.${a.status}`)}</Prop>
        <Prop label={t('application.notes')}>{a.notes && <p className="notes">{a.notes}</p>}</Prop>
      </dl>
    </section>
  );
}

/** The lead's country (the application names the lead only); nothing until the partner is known here. */
function LeadCountry({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const { data } = useQuery({ queryKey: ['partner', id], queryFn: () => api.partnerGet(id), retry: false, staleTime: 60_000 });
  if (!data?.country) return null;
  return (
    <span className="muted small" data-testid="application-lead-country">
      {' '}
      · {countryName(data.country, i18n.language)}
    </span>
  );
}

function Averages({ application: a }: { application: Application }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const max = (criterionId: string) => a.criteria.find((k) => k.id === criterionId)?.max_score ?? null;
  return (
    <section className="card">
      <h2 className="card-title">{t('application.averages')}</h2>
      {a.assessment.averages.length === 0 ? (
        <p className="muted">{a.criteria.length === 0 ? t('application.noCriteria') : t('application.noCompleteReview')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="application-averages">
            <thead>
              <tr>
                <th scope="col">{t('call.criterion')}</th>
                <th scope="col" className="num">
                  {t('application.average')}
                </th>
                <th scope="col" className="num">
                  {t('call.threshold')}
                </th>
              </tr>
            </thead>
            <tbody>
              {a.assessment.averages.map((x) => {
                const m = max(x.criterion_id);
                return (
                  <tr key={x.criterion_id} className={x.below_threshold ? 'is-below' : undefined} data-testid="application-average" data-below={x.below_threshold}>
                    <td>{x.name}</td>
                    <td className="num">
                      {formatPoints(Math.round(x.average * 100) / 100, lang)}
                      {m !== null && <span className="muted"> / {formatPoints(m, lang)}</span>}
                      {x.below_threshold && <span className="below-label"> · {t('application.belowThreshold')}</span>}
                    </td>
                    <td className="num">{x.threshold === null ? t('common.none') : formatPoints(x.threshold, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Reviews({ application: a }: { application: Application }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card">
      <h2 className="card-title">{t('application.reviews')}</h2>
      {a.reviews_read.length === 0 ? (
        <p className="muted">{t('application.noReviews')}</p>
      ) : (
        <ul className="review-list" data-testid="application-reviews">
          {a.reviews_read.map((r, i) => (
            <li key={r.id} className="review" data-testid="application-review">
              <div className="review-head">
                <span className="review-who">
                  {r.reviewer_id ? (
                    <RecordLink id={r.reviewer_id} name={r.reviewer_name} route={contactRoute} testId="review-reviewer-link" />
                  ) : (
                    <span className="muted">{t('application.reviewN', { n: i + 1 })}</span>
                  )}
                </span>
                <span className={`review-weighted${r.complete ? '' : ' muted'}`} data-testid="review-weighted">
                  {r.weighted === null ? t('application.incomplete') : t('application.scoreOf', { score: formatScore(r.weighted, lang) })}
                </span>
              </div>
              {a.criteria.length > 0 && (
                <ul className="review-scores">
                  {a.criteria.map((k) => {
                    const s = r.scores.find((x) => x.criterion_id === k.id);
                    return (
                      <li key={k.id}>
                        <span className="muted">{k.name}: </span>
                        {s ? formatPoints(s.score, lang) : t('common.none')}
                        <span className="muted"> / {formatPoints(k.max_score, lang)}</span>
                      </li>
                    );
                  })}
                </ul>
              )}
              {r.comment && <p className="notes">{r.comment}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
