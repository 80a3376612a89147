import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { Call } from '../../bindings/Call';
import type { EligibilityRules } from '../../bindings/EligibilityRules';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { labelText, PartnerName } from '../../components/Name';
import { api, toIpcError } from '../../ipc';
import { formatMoney, formatScore } from '../../lib/format';
import { formatCallTime } from '../../lib/time';
import { useRouter } from '../../router';
import { ApplicationStatusBadge } from '../../components/ApplicationStatusBadge';
import { EligibleMark, formatPoints, ruleMessage } from '../../components/Assessment';
import { CallStatusBadge } from './CallStatusBadge';
import { applicationLabel } from '../../lib/format';

/** The rules of a call in words, one sentence each; empty when there is none. */
export function rulesInWords(t: TFunction, rules: EligibilityRules): { rule: string; text: string }[] {
  const out: { rule: string; text: string }[] = [];
  if (rules.min_partners !== null) out.push({ rule: 'min_partners', text: t('call.ruleMinPartners', { count: rules.min_partners }) });
  if (rules.min_countries !== null) out.push({ rule: 'min_countries', text: t('call.ruleMinCountries', { count: rules.min_countries }) });
  if (rules.required_zones.length > 0)
    out.push({ rule: 'required_zones', text: t('call.ruleZones', { zones: rules.required_zones.map((z) => t(`enums.zone.${z}`)).join(', ') }) });
  if (rules.lyon_lead_required) out.push({ rule: 'lyon_lead', text: t('call.ruleLyonLead') });
  return out;
}


export function CallPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: call, error, isPending, refetch } = useQuery({
    queryKey: ['call', id],
    queryFn: () => api.callGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.callDelete(id),
    restore: () => api.callRestore(id),
    section: 'calls',
    messages: { deleted: 'call.deleted', restored: 'call.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !call) {
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
            {t('call.eyebrow')}
            {call.code && <> · {call.code}</>}
            {call.programme && <> · {call.programme}</>}
          </p>
          <h1 className="page-title" data-testid="call-title">
            {call.title}
          </h1>
          <div className="record-badges">
            <CallStatusBadge status={call.status} testId="call-status" />
            {call.deadline_at && (
              <span className="badge badge-muted" data-testid="call-deadline-badge">
                {t('call.deadlineOn', { time: formatCallTime(call.deadline_at, call.time_zone, lang) })}
              </span>
            )}
          </div>
        </div>
        <div className="record-actions">
          <button
            type="button"
            className="btn"
            data-testid="application-new"
            onClick={() => navigate({ name: 'applicationNew', callId: id })}
          >
            <IconPlus />
            {t('call.newApplication')}
          </button>
          <button type="button" className="btn" data-testid="call-edit" onClick={() => navigate({ name: 'callEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="call-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={call.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <Ranking call={call} />
          <Details call={call} />
          <Rules call={call} />
          <Criteria call={call} />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('call.deleteTitle')}
          message={[t('call.deleteText', { name: call.title }), dependantsSentence(t, lang, dependants.result)].filter(Boolean).join(' ')}
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

function Details({ call }: { call: Call }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const money = (v: number | null) => (v === null ? null : formatMoney(v, call.currency, lang));
  const time = (v: string | null) => formatCallTime(v, call.time_zone, lang);
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('call.code')}>{call.code && <span className="mono selectable">{call.code}</span>}</Prop>
        <Prop label={t('call.programme')}>{call.programme}</Prop>
        <Prop label={t('call.funder')}>
          {call.funder_id &&
            (call.funder_name ? (
              <button type="button" className="link" data-testid="call-funder" onClick={() => navigate({ name: 'partner', id: call.funder_id as string })}>
                <PartnerName labels={call.funder_labels} fallback={call.funder_name} />
              </button>
            ) : (
              <span className="pending" data-testid="call-funder">
                {t('common.pendingSync')}
              </span>
            ))}
        </Prop>
        <Prop label={t('call.opensAt')}>{call.opens_at && <span data-testid="call-opens">{time(call.opens_at)}</span>}</Prop>
        <Prop label={t('call.deadlineAt')}>{call.deadline_at && <span data-testid="call-deadline">{time(call.deadline_at)}</span>}</Prop>
        <Prop label={t('call.resultsAt')}>{call.results_at && <span data-testid="call-results">{time(call.results_at)}</span>}</Prop>
        <Prop label={t('call.budget')}>{call.budget !== null && <span data-testid="call-budget">{money(call.budget)}</span>}</Prop>
        <Prop label={t('call.maxAward')}>{call.max_award !== null && <span data-testid="call-max-award">{money(call.max_award)}</span>}</Prop>
        <Prop label={t('call.currency')}>{call.currency && <span className="mono">{call.currency}</span>}</Prop>
        <Prop label={t('call.status')}>{t(`enums.callStatus.${call.status}`)}</Prop>
        <Prop label={t('call.notes')}>{call.notes && <p className="notes">{call.notes}</p>}</Prop>
      </dl>
    </section>
  );
}

function Rules({ call }: { call: Call }) {
  const { t } = useTranslation();
  const rules = rulesInWords(t, call.rules);
  return (
    <section className="card">
      <h2 className="card-title">{t('call.rules')}</h2>
      {rules.length === 0 ? (
        <p className="muted">{t('call.noRules')}</p>
      ) : (
        <ul className="rule-list" data-testid="call-rules">
          {rules.map((r) => (
            <li key={r.rule} data-testid={`call-rule-${r.rule}`}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Criteria({ call }: { call: Call }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const total = call.criteria_read.reduce((s, k) => s + k.weight, 0);
  return (
    <section className="card">
      <h2 className="card-title">{t('call.criteria')}</h2>
      {call.criteria_read.length === 0 ? (
        <p className="muted">{t('call.noCriteria')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="call-criteria">
            <thead>
              <tr>
                <th scope="col">{t('call.criterion')}</th>
                <th scope="col" className="num">
                  {t('call.weight')}
                </th>
                <th scope="col" className="num">
                  {t('call.maxScore')}
                </th>
                <th scope="col" className="num">
                  {t('call.threshold')}
                </th>
              </tr>
            </thead>
            <tbody>
              {call.criteria_read.map((k) => (
                <tr key={k.id} data-testid="call-criterion">
                  <td>{k.name}</td>
                  <td className="num">
                    {formatPoints(k.weight, lang)}
                    {total > 0 && (
                      <span className="muted small"> ({new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(k.weight / total)})</span>
                    )}
                  </td>
                  <td className="num">{formatPoints(k.max_score, lang)}</td>
                  <td className="num">{k.threshold === null ? t('common.none') : formatPoints(k.threshold, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The call's applications in the order the core gives (ranked ones first, by rank); each row opens one. */
function Ranking({ call }: { call: Call }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const ranked = call.applications.filter((a) => a.rank !== null).length;
  return (
    <section className="card" aria-labelledby="call-ranking-title">
      <header className="card-head">
        <h2 className="card-title" id="call-ranking-title">
          {t('call.ranking')}
          <span className="badge badge-muted" data-testid="call-ranked-count">
            {t('call.rankedCount', { count: ranked, total: call.applications.length })}
          </span>
        </h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => navigate({ name: 'applicationNew', callId: call.id })}>
          <IconPlus />
          {t('call.newApplication')}
        </button>
      </header>
      {call.applications.length === 0 ? (
        <p className="muted">{t('call.noApplications')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table ranking" data-testid="ranking">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('call.rankingRank')}
                </th>
                <th scope="col">{t('call.rankingApplication')}</th>
                <th scope="col" className="num">
                  {t('call.rankingScore')}
                </th>
                <th scope="col">{t('call.rankingEligibility')}</th>
                <th scope="col">{t('call.rankingStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {call.applications.map((a) => {
                const open = () => navigate({ name: 'application', id: a.id });
                const label = applicationLabel(a);
                return (
                  <tr key={a.id} className={`is-clickable${a.rank === null ? ' is-unranked' : ''}`} data-testid="ranking-row" onClick={open}>
                    <td className="num" data-testid="ranking-rank">
                      {a.rank === null ? <span className="muted">{t('common.none')}</span> : `#${a.rank}`}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        data-testid="ranking-open"
                        onClick={(e) => {
                          e.stopPropagation();
                          open();
                        }}
                      >
                        {a.title}
                      </button>
                      {label && <span className="muted small mono-soft block">{label}</span>}
                      <span className="muted small block">
                        {a.lead_name ? t('applications.ledBy', { name: labelText(a.lead_labels, a.lead_name) }) : <span className="pending">{t('common.pendingSync')}</span>}
                        {a.requested !== null && <> · {t('call.requestedAmount', { amount: formatMoney(a.requested, call.currency, lang) })}</>}
                      </span>
                    </td>
                    <td className="num" data-testid="ranking-score">
                      {a.score === null ? <span className="muted">{t('common.none')}</span> : formatScore(a.score, lang)}
                      {a.below_threshold && (
                        <span className="below-threshold" data-testid="ranking-below" title={t('application.belowThreshold')}>
                          {' '}
                          ▼<span className="sr-only">{t('application.belowThreshold')}</span>
                        </span>
                      )}
                    </td>
                    <td data-testid="ranking-eligibility">
                      <EligibleMark eligible={a.eligible} />
                      {a.ineligible_because.length > 0 && (
                        <ul className="because">
                          {a.ineligible_because.map((c) => (
                            <li key={c.rule}>{ruleMessage(t, i18n.language, c)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <ApplicationStatusBadge status={a.status} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small ranking-note">{t('call.rankingNote')}</p>
    </section>
  );
}
