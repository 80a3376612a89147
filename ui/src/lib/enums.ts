import type { AgreementKind } from '../bindings/AgreementKind';
import type { ApplicationStatus } from '../bindings/ApplicationStatus';
import type { AgreementStatus } from '../bindings/AgreementStatus';
import type { CallStatus } from '../bindings/CallStatus';
import type { Cefr } from '../bindings/Cefr';
import type { Direction } from '../bindings/Direction';
import type { EventKind } from '../bindings/EventKind';
import type { ExchangeCategory } from '../bindings/ExchangeCategory';
import type { ExchangeStatus } from '../bindings/ExchangeStatus';
import type { IdScheme } from '../bindings/IdScheme';
import type { Level } from '../bindings/Level';
import type { MobilityType } from '../bindings/MobilityType';
import type { OrgKind } from '../bindings/OrgKind';
import type { PartnerStatus } from '../bindings/PartnerStatus';
import type { Programme } from '../bindings/Programme';
import type { ProjectKind } from '../bindings/ProjectKind';
import type { ProjectStatus } from '../bindings/ProjectStatus';
import type { ReminderKind } from '../bindings/ReminderKind';
import type { Zone } from '../bindings/Zone';

// The closed vocabularies, in display order (the exhaustive records make tsc fail if the bindings grow).
const kinds: Record<OrgKind, true> = {
  university: true,
  school: true,
  laboratory: true,
  funder: true,
  government_agency: true,
  company: true,
  other: true,
};
const zones: Record<Zone, true> = { france_europe: true, china: true, japan: true, brazil: true, canada: true, other: true };
const statuses: Record<PartnerStatus, true> = { active: true, prospect: true, inactive: true };
const schemes: Record<IdScheme, true> = { ror: true, erasmus: true, schac: true, pic: true, wikidata: true, isni: true };

export const KINDS = Object.keys(kinds) as OrgKind[];
export const ZONES = Object.keys(zones) as Zone[];
export const STATUSES = Object.keys(statuses) as PartnerStatus[];
export const SCHEMES = Object.keys(schemes) as IdScheme[];

export const SCHEME_EXAMPLES: Record<IdScheme, string> = {
  ror: '013q1eq08',
  erasmus: 'F  LYON03',
  schac: 'univ-lyon.fr',
  pic: '999884732',
  wikidata: 'Q1056543',
  isni: '0000 0001 2156 142X',
};

// Agreements and exchanges.
const agreementKinds: Record<AgreementKind, true> = {
  framework: true,
  mou: true,
  student_exchange: true,
  double_degree: true,
  cotutelle: true,
  research: true,
  lab_collaboration: true,
  office_hosting: true,
  scholarship: true,
  erasmus_type: true,
};
const agreementStatuses: Record<AgreementStatus, true> = {
  idea: true,
  negotiation: true,
  under_signature: true,
  active: true,
  renewal_pending: true,
  expired: true,
  terminated: true,
  superseded: true,
};
const mobilityTypes: Record<MobilityType, true> = {
  student_study: true,
  student_traineeship: true,
  doctoral: true,
  staff_teaching: true,
  staff_training: true,
  researcher: true,
};
const levels: Record<Level, true> = { eqf5: true, eqf6: true, eqf7: true, eqf8: true };
const cefrs: Record<Cefr, true> = { A1: true, A2: true, B1: true, B2: true, C1: true, C2: true };
const directions: Record<Direction, true> = { incoming: true, outgoing: true };
const categories: Record<ExchangeCategory, true> = { student: true, doctoral: true, staff: true, researcher: true };
const programmes: Record<Programme, true> = {
  agreement: true,
  csc_doctoral: true,
  summer_school: true,
  delegation_visit: true,
  other: true,
};
const exchangeStatuses: Record<ExchangeStatus, true> = {
  applied: true,
  nominated: true,
  accepted: true,
  ongoing: true,
  completed: true,
  cancelled: true,
  withdrawn: true,
};

export const AGREEMENT_KINDS = Object.keys(agreementKinds) as AgreementKind[];
export const AGREEMENT_STATUSES = Object.keys(agreementStatuses) as AgreementStatus[];
export const MOBILITY_TYPES = Object.keys(mobilityTypes) as MobilityType[];
export const LEVELS = Object.keys(levels) as Level[];
export const CEFRS = Object.keys(cefrs) as Cefr[];
export const DIRECTIONS = Object.keys(directions) as Direction[];
export const EXCHANGE_CATEGORIES = Object.keys(categories) as ExchangeCategory[];
export const PROGRAMMES = Object.keys(programmes) as Programme[];
export const EXCHANGE_STATUSES = Object.keys(exchangeStatuses) as ExchangeStatus[];

/** The alliance's own fields, accepted besides ISCED-F 2013 detailed codes ("0731"). */
export const ALLIANCE_FIELDS = ['health', 'engineering', 'sustainable_development', 'arts', 'humanities_social_sciences'] as const;

/** An ISCED-F 2013 detailed field (four digits, broad field 00–10) or an alliance field: the core's rule. */
export function isField(code: string): boolean {
  const c = code.trim().toLowerCase();
  return (ALLIANCE_FIELDS as readonly string[]).includes(c) || (/^\d{4}$/.test(c) && Number(c.slice(0, 2)) <= 10);
}

/** "2025/2026" for 2025: academic years are named by the year they start in. */
export function academicYearLabel(year: number | null | undefined): string {
  return typeof year === 'number' && Number.isFinite(year) ? `${year}/${year + 1}` : '';
}

/** The academic year under way on `date` (it starts in September): 2025 from September 2025 to August 2026. */
export function currentAcademicYear(date: Date = new Date()): number {
  return date.getMonth() >= 8 ? date.getFullYear() : date.getFullYear() - 1;
}

/** Common currencies offered for an exchange's amount (ISO 4217). */
export const COMMON_CURRENCIES: readonly string[] = ['EUR', 'CNY', 'JPY', 'BRL', 'CAD', 'USD', 'CHF', 'GBP'];
/** Usual funders, offered as suggestions. */
export const COMMON_FUNDINGS: readonly string[] = ['CSC', 'IDEXLYON', 'Région', 'Erasmus+', 'JSPS', 'Mitacs', 'CAPES'];

// Calls for projects and applications.
const callStatuses: Record<CallStatus, true> = { draft: true, open: true, closed: true, evaluation: true, decided: true, cancelled: true };
const applicationStatuses: Record<ApplicationStatus, true> = {
  draft: true,
  submitted: true,
  eligible: true,
  ineligible: true,
  under_evaluation: true,
  selected: true,
  reserve: true,
  rejected: true,
  funded: true,
  closed: true,
  withdrawn: true,
};

export const CALL_STATUSES = Object.keys(callStatuses) as CallStatus[];
export const APPLICATION_STATUSES = Object.keys(applicationStatuses) as ApplicationStatus[];

/** The statuses an application may move to from each one (the core's `ApplicationStatus::next`). */
export const APPLICATION_NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['draft', 'eligible', 'ineligible', 'withdrawn'],
  eligible: ['under_evaluation', 'ineligible', 'withdrawn'],
  ineligible: ['eligible', 'closed', 'withdrawn'],
  under_evaluation: ['selected', 'reserve', 'rejected', 'withdrawn'],
  selected: ['funded', 'reserve', 'rejected', 'withdrawn'],
  reserve: ['selected', 'rejected', 'withdrawn'],
  rejected: ['reserve', 'closed'],
  funded: ['closed'],
  closed: [],
  withdrawn: [],
};

/** The choices of an application's status select: the current status, then the moves it allows. */
export function statusChoices(current: ApplicationStatus): ApplicationStatus[] {
  return [current, ...APPLICATION_NEXT[current]];
}

/** The zones a call may require among its applicants (the home side included, "other" not). */
export const REQUIRED_ZONE_CHOICES: readonly Zone[] = ['brazil', 'canada', 'china', 'japan', 'france_europe'];

// Projects, events, reminders.
const projectKinds: Record<ProjectKind, true> = {
  flagship: true,
  joint_lab: true,
  international_research_unit: true,
  training_programme: true,
  representative_office: true,
};
const projectStatuses: Record<ProjectStatus, true> = { planned: true, active: true, completed: true, suspended: true, cancelled: true };
const eventKinds: Record<EventKind, true> = { webinar: true, symposium: true, workshop: true, visit: true };
const reminderKinds: Record<ReminderKind, true> = { agreement_notice: true, agreement_expiry: true, call_deadline: true, exchange_start: true };

export const PROJECT_KINDS = Object.keys(projectKinds) as ProjectKind[];
export const PROJECT_STATUSES = Object.keys(projectStatuses) as ProjectStatus[];
export const EVENT_KINDS = Object.keys(eventKinds) as EventKind[];
export const REMINDER_KINDS = Object.keys(reminderKinds) as ReminderKind[];

/** The windows the reminders can look ahead, in days (90 by default). */
export const REMINDER_WINDOWS: readonly number[] = [30, 90, 180, 365];
