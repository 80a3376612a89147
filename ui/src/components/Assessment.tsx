// Shared pieces of the calls' and applications' pages: scores with one decimal, the ✔ / ✘ of eligibility,
// and why an application is not ranked.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { Application } from '../bindings/Application';
import type { ApplicationStatus } from '../bindings/ApplicationStatus';
import type { RuleCheck } from '../bindings/RuleCheck';
import { formatScore } from '../lib/format';
import { countryName } from '../lib/geo';


/** A score or a criterion value as typed and shown: up to two decimals, none when whole (7, 7.5). */
export function formatPoints(value: number, lang: string): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

/** "82.5 / 100", or "not yet scored". */
export function scoreText(t: TFunction, lang: string, score: number | null): string {
  return score === null ? t('application.notScored') : t('application.scoreOf', { score: formatScore(score, lang) });
}

/** What a checked eligibility rule found, in the interface's language ("2 countries, 3 required"). */
export function ruleMessage(t: TFunction, lang: string, check: RuleCheck): string {
  switch (check.rule) {
    case 'min_partners':
    case 'min_countries':
      if (check.count === null || check.required === null) break;
      return t(`application.check.${check.rule}`, { count: check.count, required: check.required });
    case 'required_zones':
      return check.missing_zones.length === 0
        ? t('application.check.zonesRepresented')
        : t('application.check.zonesMissing', { zones: check.missing_zones.map((z) => t(`enums.zone.${z}`)).join(', ') });
    case 'lyon_lead':
      return check.ok
        ? t('application.check.ledFromLyon')
        : t('application.check.notLedFromLyon', {
            country: check.lead_country ? countryName(check.lead_country, lang) : t('application.check.unknownCountry'),
          });
  }
  return check.message;
}

/** ✔ or ✘, with its meaning for screen readers and as a tooltip. */
export function EligibleMark({ eligible, testId }: { eligible: boolean; testId?: string }) {
  const { t } = useTranslation();
  const label = eligible ? t('application.eligible') : t('application.notEligible');
  return (
    <span className={`mark ${eligible ? 'mark-ok' : 'mark-ko'}`} data-testid={testId} data-eligible={eligible} title={label}>
      <span aria-hidden="true">{eligible ? '✔' : '✘'}</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** Statuses the core never ranks, whatever the scores. */
const UNRANKED: readonly ApplicationStatus[] = ['draft', 'ineligible', 'withdrawn'];

/** Why an application is not ranked (the core's conditions, in its order); empty when it is ranked. */
export function notRankedReasons(t: TFunction, a: Pick<Application, 'assessment' | 'status'>): string[] {
  const reasons: string[] = [];
  if (a.assessment.rank !== null) return reasons;
  if (!a.assessment.eligibility.eligible) reasons.push(t('application.reasonIneligible'));
  if (UNRANKED.includes(a.status) && (a.status !== 'ineligible' || a.assessment.eligibility.eligible))
    reasons.push(t('application.reasonStatus', { status: t(`enums.applicationStatus.${a.status}`) }));
  if (a.assessment.score === null) reasons.push(t('application.reasonNoReview'));
  const below = a.assessment.averages.filter((x) => x.below_threshold).map((x) => x.name);
  if (below.length) reasons.push(t('application.reasonBelow', { criteria: below.join(', ') }));
  return reasons;
}
