// The calls for projects and applications of the in-memory fake backend (see fakeBackend.ts): same commands,
// same types and the same validation codes as the Rust core (call.rs, application.rs), with eligibility,
// weighted scores, thresholds and the competition ranking ("1, 2, 2, 4") mirrored from it.
import type { Application } from '../bindings/Application';
import type { ApplicationInput } from '../bindings/ApplicationInput';
import type { ApplicationPage } from '../bindings/ApplicationPage';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { ApplicationRow } from '../bindings/ApplicationRow';
import type { Assessment } from '../bindings/Assessment';
import type { Call } from '../bindings/Call';
import type { CallInput } from '../bindings/CallInput';
import type { CallPage } from '../bindings/CallPage';
import type { CallQuery } from '../bindings/CallQuery';
import type { Contact } from '../bindings/Contact';
import type { Criterion } from '../bindings/Criterion';
import type { CriterionAverage } from '../bindings/CriterionAverage';
import type { Dependants } from '../bindings/Dependants';
import type { Eligibility } from '../bindings/Eligibility';
import type { EligibilityRules } from '../bindings/EligibilityRules';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { IpcError } from '../bindings/IpcError';
import type { Partner } from '../bindings/Partner';
import type { Review } from '../bindings/Review';
import type { RuleCheck } from '../bindings/RuleCheck';
import type { Score } from '../bindings/Score';
import type { SearchHit } from '../bindings/SearchHit';
import type { Zone } from '../bindings/Zone';
import { APPLICATION_NEXT, APPLICATION_STATUSES, CALL_STATUSES } from './fakeRules';
import { placeIn, sortBy } from './fakeSort';

type Args = Record<string, unknown>;

export interface CallsContext {
  partners: Map<string, Partner>;
  contacts: Map<string, Contact>;
  newId: (prefix: string) => string;
  record: (id: string, changes: FieldChange[]) => void;
  matches: (hay: (string | null | undefined)[], q: string) => boolean;
}

/** Stored like the core stores them: the input (with ids given to its rows), and `deleted`. */
interface StoredCall {
  id: string;
  input: CallInput;
  deleted: boolean;
}
interface StoredApplication {
  id: string;
  input: ApplicationInput;
  deleted: boolean;
}

function invalid(fields: FieldError[]): IpcError {
  return { kind: 'invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}

const notFound = (entity: string, id: unknown): IpcError => ({ kind: 'not_found', message: `no ${entity} with id ${String(id)}`, fields: [] });

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const clean = (v: string | null | undefined) => (v ?? '').trim() || null;
/** Rust's `f64` formatting of a maximum: 10 → "10", 2.5 → "2.5". */
const num = (n: number) => String(n);

/** A call's input with defaults (the seeds and tests fill what they need). */
export function callInput(patch: Partial<CallInput>): CallInput {
  return {
    code: null,
    title: '',
    programme: null,
    funder_id: null,
    opens_at: null,
    deadline_at: null,
    results_at: null,
    time_zone: null,
    budget: null,
    max_award: null,
    currency: null,
    rules: { min_partners: null, min_countries: null, required_zones: [], lyon_lead_required: false },
    criteria: [],
    status: 'draft',
    notes: null,
    ...patch,
  };
}

/** An application's input with defaults. */
export function applicationInput(patch: Partial<ApplicationInput>): ApplicationInput {
  return {
    call_id: null,
    reference: null,
    acronym: null,
    title: '',
    pi_id: null,
    lead_id: null,
    partners: [],
    requested: null,
    cofunding: null,
    duration_months: null,
    status: 'draft',
    reviews: [],
    notes: null,
    ...patch,
  };
}

type Organisation = { id: string; country: string | null; zone: Zone | null };

/** Checks the rules against the organisations involved (the lead first), explaining each: the core's words. */
export function eligibilityOf(rules: EligibilityRules, lead: string | null, organisations: Organisation[]): Eligibility {
  const countries = [...new Set(organisations.flatMap((o) => (o.country ? [o.country] : [])))].sort();
  const zones = [...new Set(organisations.flatMap((o) => (o.zone ? [o.zone] : [])))].sort();
  const n = organisations.length;
  const k = countries.length;
  const plural = (x: number, one: string, many: string) => (x === 1 ? `1 ${one}` : `${x} ${many}`);
  const checks: RuleCheck[] = [];
  const none = { count: null, required: null, missing_zones: [], lead_country: null };
  const minimum = (rule: string, count: number, required: number, one: string, many: string): RuleCheck => ({
    ...none,
    rule,
    ok: count >= required,
    message: `${plural(count, one, many)}, ${required} required`,
    count,
    required,
  });
  if (rules.min_partners !== null) checks.push(minimum('min_partners', n, rules.min_partners, 'organisation', 'organisations'));
  if (rules.min_countries !== null) checks.push(minimum('min_countries', k, rules.min_countries, 'country', 'countries'));
  if (rules.required_zones.length > 0) {
    const missing = rules.required_zones.filter((z) => !zones.includes(z));
    checks.push({
      ...none,
      rule: 'required_zones',
      ok: missing.length === 0,
      message: missing.length === 0 ? 'every required zone is represented' : `no organisation from ${missing.join(', ')}`,
      missing_zones: missing,
    });
  }
  if (rules.lyon_lead_required) {
    const leadCountry = organisations.find((o) => o.id === lead)?.country ?? null;
    const ok = leadCountry === 'FR';
    checks.push({
      ...none,
      rule: 'lyon_lead',
      ok,
      message: ok ? 'led from Lyon' : `the lead must be a Lyon institution (it is in ${leadCountry ?? 'an unknown country'})`,
      lead_country: leadCountry,
    });
  }
  return { eligible: checks.every((c) => c.ok), organisations: n, countries, zones, checks };
}

/** A review's weighted score (0–100) when it scores every criterion. */
export function weightedScore(criteria: Criterion[], scores: Score[]): number | null {
  const total = criteria.reduce((s, k) => s + k.weight, 0);
  if (criteria.length === 0 || total <= 0) return null;
  let sum = 0;
  for (const k of criteria) {
    const s = scores.find((x) => x.criterion_id === k.id);
    if (!s) return null;
    sum += (k.weight * s.score) / k.max_score;
  }
  return (sum / total) * 100;
}

export function createCalls(ctx: CallsContext) {
  const { partners, contacts, newId, record, matches } = ctx;
  const calls = new Map<string, StoredCall>();
  const applications = new Map<string, StoredApplication>();

  const livePartner = (id: string) => Boolean(partners.get(id) && !partners.get(id)?.deleted);
  const liveContact = (id: string) => Boolean(contacts.get(id) && !contacts.get(id)?.deleted);
  const liveCall = (id: string) => Boolean(calls.get(id) && !calls.get(id)?.deleted);
  const partnerName = (id: string | null) => (id && livePartner(id) ? (partners.get(id)?.name ?? null) : null);
  const contactName = (id: string | null) => (id && liveContact(id) ? (contacts.get(id)?.name ?? null) : null);

  const criteriaOf = (callId: string | null): Criterion[] => {
    const c = callId ? calls.get(callId) : undefined;
    return (c?.input.criteria ?? []).map((k) => ({ id: k.id as string, name: k.name, weight: k.weight, max_score: k.max_score, threshold: k.threshold }));
  };

  const organisationsOf = (lead: string | null, others: (string | null)[]): Organisation[] => {
    const out: Organisation[] = [];
    for (const id of [lead, ...others]) {
      if (!id || out.some((o) => o.id === id)) continue;
      const p = partners.get(id);
      out.push({ id, country: p?.country ?? null, zone: p?.zone ?? null });
    }
    return out;
  };

  const eligibilityOfApp = (a: ApplicationInput): Eligibility => {
    const rules = a.call_id ? calls.get(a.call_id)?.input.rules : undefined;
    return eligibilityOf(
      rules ?? { min_partners: null, min_countries: null, required_zones: [], lyon_lead_required: false },
      a.lead_id,
      organisationsOf(
        a.lead_id,
        a.partners.map((p) => p.partner_id),
      ),
    );
  };

  const reviewsOf = (a: ApplicationInput, criteria: Criterion[]): Review[] =>
    a.reviews.map((r) => {
      const weighted = weightedScore(criteria, r.scores);
      return {
        id: r.id as string,
        reviewer_id: r.reviewer_id,
        reviewer_name: contactName(r.reviewer_id),
        scores: r.scores,
        comment: r.comment,
        complete: weighted !== null,
        weighted,
      };
    });

  /** Score and per-criterion averages over the complete reviews. */
  const scoreOf = (criteria: Criterion[], reviews: Review[]): { score: number | null; averages: CriterionAverage[] } => {
    const complete = reviews.filter((r) => r.complete);
    if (complete.length === 0) return { score: null, averages: [] };
    const count = complete.length;
    const score = complete.reduce((s, r) => s + (r.weighted ?? 0), 0) / count;
    const averages = criteria.map((k) => {
      const average = complete.reduce((s, r) => s + (r.scores.find((x) => x.criterion_id === k.id)?.score ?? 0), 0) / count;
      return {
        criterion_id: k.id,
        name: k.name,
        average,
        threshold: k.threshold,
        below_threshold: k.threshold !== null && average < k.threshold,
      };
    });
    return { score, averages };
  };

  const UNRANKED = new Set(['draft', 'ineligible', 'withdrawn']);
  const rankable = (r: ApplicationRow) => r.eligible && r.score !== null && !r.below_threshold && !UNRANKED.has(r.status);
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

  /** Every live application of a call with its assessment, ranked ones first in rank order. */
  const assessed = (callId: string): { row: ApplicationRow; assessment: Assessment }[] => {
    const criteria = criteriaOf(callId);
    const out = [...applications.values()]
      .filter((s) => !s.deleted && s.input.call_id === callId)
      .map((s) => {
        const a = s.input;
        const eligibility = eligibilityOfApp(a);
        const { score, averages } = scoreOf(criteria, reviewsOf(a, criteria));
        const row: ApplicationRow = {
          id: s.id,
          call_id: a.call_id,
          reference: a.reference,
          acronym: a.acronym,
          title: a.title,
          lead_name: partnerName(a.lead_id),
          status: a.status,
          eligible: eligibility.eligible,
          ineligible_because: eligibility.checks.filter((c) => !c.ok),
          score,
          below_threshold: averages.some((x) => x.below_threshold),
          rank: null,
          requested: a.requested,
          currency: a.call_id ? (calls.get(a.call_id)?.input.currency ?? null) : null,
        };
        const assessment: Assessment = { eligibility, score, averages, rank: null };
        return { row, assessment };
      });
    out.sort(
      (x, y) =>
        Number(rankable(y.row)) - Number(rankable(x.row)) ||
        (y.row.score ?? -1) - (x.row.score ?? -1) ||
        cmp(x.row.reference, y.row.reference) ||
        cmp(x.row.title, y.row.title),
    );
    let previous: { score: number; rank: number } | null = null;
    out.forEach(({ row, assessment }, i) => {
      if (!rankable(row)) return;
      const score = row.score ?? 0;
      const rank: number = previous && previous.score === score ? previous.rank : i + 1;
      previous = { score, rank };
      row.rank = rank;
      assessment.rank = rank;
    });
    return out;
  };

  // ---------- calls ----------

  const callOf = (s: StoredCall): Call => ({
    id: s.id,
    ...s.input,
    funder_name: partnerName(s.input.funder_id),
    criteria_read: criteriaOf(s.id),
    deleted: s.deleted,
    applications: assessed(s.id).map((x) => x.row),
  });

  const checkCall = (input: CallInput): { clean: CallInput; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    const c: CallInput = {
      ...input,
      title: input.title.trim(),
      code: clean(input.code),
      programme: clean(input.programme),
      notes: clean(input.notes),
      time_zone: clean(input.time_zone),
      currency: clean(input.currency)?.toUpperCase() ?? null,
      rules: { ...input.rules, required_zones: [...new Set(input.rules.required_zones)].sort() },
      criteria: input.criteria.map((k) => ({ ...k, name: k.name.trim() })),
    };
    if (!c.title) add('title', 'required', 'a call needs a title');
    if (input.funder_id && !livePartner(input.funder_id)) add('funder_id', 'not_found', `no partner with id ${input.funder_id}`);
    const times: Record<string, number | null> = {};
    for (const f of ['opens_at', 'deadline_at', 'results_at'] as const) {
      const v = clean(input[f]);
      c[f] = v;
      times[f] = null;
      if (v === null) continue;
      if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) add(f, 'datetime', `"${v}" is not a time such as 2026-12-15T17:00:00+01:00`);
      else times[f] = Date.parse(v);
    }
    if (times.opens_at !== null && times.deadline_at !== null && times.deadline_at < times.opens_at)
      add('deadline_at', 'end_before_start', 'the deadline comes before the call opens');
    if (times.deadline_at !== null && times.results_at !== null && times.results_at < times.deadline_at)
      add('results_at', 'end_before_start', 'the results come before the deadline');
    for (const f of ['budget', 'max_award'] as const) {
      const v = input[f];
      if (v !== null && v < 0) add(f, 'negative', `${f} cannot be negative`);
    }
    if (input.budget !== null && input.max_award !== null && input.max_award > input.budget)
      add('max_award', 'above_budget', 'the maximum award is above the budget');
    if (c.currency) {
      if (!/^[A-Z]{3}$/.test(c.currency)) add('currency', 'currency', `"${c.currency}" is not an ISO 4217 currency code such as EUR`);
    } else if (input.budget !== null || input.max_award !== null) add('currency', 'required', 'amounts need their currency');
    for (const f of ['min_partners', 'min_countries'] as const) {
      const v = input.rules[f];
      if (v !== null && v < 1) add(`rules.${f}`, 'negative', 'a minimum must be at least 1');
    }
    c.criteria.forEach((k, i) => {
      const at = (f: string) => `criteria[${i}].${f}`;
      if (!k.name) add(at('name'), 'required', 'a criterion needs a name');
      if (!(k.weight > 0 && Number.isFinite(k.weight))) add(at('weight'), 'positive', 'the weight must be above 0');
      if (!(k.max_score > 0 && Number.isFinite(k.max_score))) add(at('max_score'), 'positive', 'the maximum score must be above 0');
      if (k.threshold !== null && !(k.threshold >= 0 && k.threshold <= k.max_score))
        add(at('threshold'), 'above_max', `the threshold must be between 0 and ${num(k.max_score)}`);
    });
    return { clean: c, errors };
  };

  const OWN_CALL = ['code', 'title', 'programme', 'funder_id', 'opens_at', 'deadline_at', 'results_at', 'time_zone', 'budget', 'max_award', 'currency', 'status', 'notes'] as const;

  const writeCall = (raw: CallInput, existing?: StoredCall): Call => {
    const { clean: checked, errors } = checkCall(raw);
    if (errors.length) throw invalid(errors);
    const id = existing?.id ?? newId('k');
    // Criteria keep their ids; one without, named like an existing one, takes its id (the core's reconcile).
    const input: CallInput = {
      ...checked,
      criteria: checked.criteria.map((k) => ({
        ...k,
        id: k.id ?? existing?.input.criteria.find((x) => x.name === k.name)?.id ?? newId('kc'),
      })),
    };
    const changes: FieldChange[] = [];
    for (const col of OWN_CALL) {
      const old = existing ? existing.input[col] : null;
      if (old !== input[col] && !(existing === undefined && input[col] === null))
        changes.push({ table: 'call', row_id: id, column: col, old: old ?? null, new: input[col] });
    }
    const rules = (r: EligibilityRules | undefined) => ({
      min_partners: r?.min_partners ?? null,
      min_countries: r?.min_countries ?? null,
      required_zones: r && r.required_zones.length ? JSON.stringify(r.required_zones) : null,
      lyon_lead_required: r ? (r.lyon_lead_required ? 1 : 0) : null,
    });
    const before = rules(existing?.input.rules);
    const after = rules(input.rules);
    for (const col of Object.keys(after) as (keyof typeof after)[]) {
      if (before[col] !== after[col] && !(existing === undefined && (after[col] === null || after[col] === 0)))
        changes.push({ table: 'call', row_id: id, column: col, old: before[col], new: after[col] });
    }
    for (const k of input.criteria) {
      const row = k.id as string;
      const old = existing?.input.criteria.find((x) => x.id === k.id);
      if (!old) {
        changes.push({ table: 'call_criterion', row_id: row, column: 'call_id', old: null, new: id });
        changes.push({ table: 'call_criterion', row_id: row, column: 'name', old: null, new: k.name });
        changes.push({ table: 'call_criterion', row_id: row, column: 'weight', old: null, new: k.weight });
        changes.push({ table: 'call_criterion', row_id: row, column: 'max_score', old: null, new: k.max_score });
        if (k.threshold !== null) changes.push({ table: 'call_criterion', row_id: row, column: 'threshold', old: null, new: k.threshold });
      } else {
        for (const col of ['name', 'weight', 'max_score', 'threshold'] as const) {
          if (old[col] !== k[col]) changes.push({ table: 'call_criterion', row_id: row, column: col, old: old[col], new: k[col] });
        }
      }
    }
    for (const k of existing?.input.criteria ?? []) {
      if (!input.criteria.some((x) => x.id === k.id)) changes.push({ table: 'call_criterion', row_id: k.id as string, column: 'deleted', old: 0, new: 1 });
    }
    const stored: StoredCall = { id, input, deleted: false };
    calls.set(id, stored);
    record(id, changes);
    return callOf(stored);
  };

  const listCalls = (q: CallQuery): CallPage => {
    let rows = [...calls.values()].filter((c) => !c.deleted);
    if (q.status) rows = rows.filter((c) => c.input.status === q.status);
    if (q.search) rows = rows.filter((c) => matches([c.input.code, c.input.title, c.input.programme], q.search as string));
    const count = (c: StoredCall) => [...applications.values()].filter((a) => !a.deleted && a.input.call_id === c.id).length;
    const deadline = (c: StoredCall) => (c.input.deadline_at ? Date.parse(c.input.deadline_at) : null);
    const first = {
      deadline,
      title: (c: StoredCall) => c.input.title,
      status: (c: StoredCall) => placeIn(CALL_STATUSES)(c.input.status),
      applications: count,
    }[q.sort ?? 'deadline'];
    sortBy(rows, [[first, q.sort ? q.descending : true], [deadline, true], [(c) => c.input.title, false]]);
    const limit = Math.min(q.limit || 100, 500);
    return {
      total: rows.length,
      offset: q.offset,
      rows: rows.slice(q.offset, q.offset + limit).map((c) => ({
        id: c.id,
        code: c.input.code,
        title: c.input.title,
        programme: c.input.programme,
        deadline_at: c.input.deadline_at,
        status: c.input.status,
        applications: count(c),
      })),
    };
  };

  /** Latest deadline first, calls without one last (text order, like the core's SQL). */
  const byDeadline = (a: StoredCall, b: StoredCall) => {
    const x = a.input.deadline_at;
    const y = b.input.deadline_at;
    if (!x !== !y) return x ? -1 : 1;
    return (x && y ? y.localeCompare(x) : 0) || a.input.title.localeCompare(b.input.title);
  };

  // ---------- applications ----------

  const applicationOf = (s: StoredApplication): Application => {
    const a = s.input;
    const criteria = criteriaOf(a.call_id);
    const reviews_read = reviewsOf(a, criteria);
    const call = a.call_id ? calls.get(a.call_id) : undefined;
    let assessment: Assessment | undefined =
      !s.deleted && a.call_id ? assessed(a.call_id).find((x) => x.row.id === s.id)?.assessment : undefined;
    if (!assessment) {
      // Deleted, or its call is gone: assessed alone, unranked.
      const { score, averages } = scoreOf(criteria, reviews_read);
      assessment = { eligibility: eligibilityOfApp(a), score, averages, rank: null };
    }
    const partnerRows = a.partners.filter((p) => p.partner_id);
    return {
      id: s.id,
      ...a,
      partners: partnerRows,
      call_title: call && !call.deleted ? call.input.title : null,
      pi_name: contactName(a.pi_id),
      lead_name: partnerName(a.lead_id),
      partners_read: partnerRows.map((p) => ({
        partner_id: p.partner_id as string,
        name: partnerName(p.partner_id),
        country: p.partner_id ? (partners.get(p.partner_id)?.country ?? null) : null,
        role: p.role,
      })),
      reviews_read,
      criteria,
      assessment,
      deleted: s.deleted,
    };
  };

  const checkApplication = (input: ApplicationInput, self?: StoredApplication): { clean: ApplicationInput; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    const c: ApplicationInput = {
      ...input,
      title: input.title.trim(),
      reference: clean(input.reference),
      acronym: clean(input.acronym),
      notes: clean(input.notes),
      partners: input.partners.map((p) => ({ ...p, role: clean(p.role) })),
      reviews: input.reviews.map((r) => ({ ...r, comment: clean(r.comment) })),
    };
    if (!c.title) add('title', 'required', 'an application needs a title');
    let criteria: Criterion[] = [];
    if (!input.call_id) add('call_id', 'required', 'choose the call');
    else if (!liveCall(input.call_id)) add('call_id', 'not_found', `no call with id ${input.call_id}`);
    else criteria = criteriaOf(input.call_id);
    if (!input.lead_id) add('lead_id', 'required', 'choose the lead organisation');
    else if (!livePartner(input.lead_id)) add('lead_id', 'not_found', `no partner with id ${input.lead_id}`);
    if (input.pi_id && !liveContact(input.pi_id)) add('pi_id', 'not_found', `no contact with id ${input.pi_id}`);
    const seen = new Set(input.lead_id ? [input.lead_id] : []);
    input.partners.forEach((p, i) => {
      const at = `partners[${i}].partner_id`;
      if (!p.partner_id) add(at, 'required', 'choose the organisation');
      else if (seen.has(p.partner_id)) add(at, 'duplicate', 'this organisation is already in the application');
      else {
        seen.add(p.partner_id);
        if (!livePartner(p.partner_id)) add(at, 'not_found', `no partner with id ${p.partner_id}`);
      }
    });
    for (const f of ['requested', 'cofunding', 'duration_months'] as const) {
      const v = input[f];
      if (v !== null && v < 0) add(f, 'negative', `${f} cannot be negative`);
    }
    input.reviews.forEach((r, i) => {
      if (r.reviewer_id && !liveContact(r.reviewer_id)) add(`reviews[${i}].reviewer_id`, 'not_found', `no contact with id ${r.reviewer_id}`);
      r.scores.forEach((s, j) => {
        const k = criteria.find((x) => x.id === s.criterion_id);
        if (!k) add(`reviews[${i}].scores[${j}].criterion_id`, 'not_found', "this criterion is not one of the call's");
        else if (!(s.score >= 0 && s.score <= k.max_score))
          add(`reviews[${i}].scores[${j}].score`, 'above_max', `${k.name} is scored from 0 to ${num(k.max_score)}; ${num(s.score)} is out of range`);
      });
    });
    if (self && !self.deleted) {
      const from = self.input.status;
      if (from !== input.status && !APPLICATION_NEXT[from].includes(input.status)) {
        add('status', 'workflow', `an application cannot go from ${from} to ${input.status} (next: ${APPLICATION_NEXT[from].join(', ')})`);
      }
    }
    if (input.status === 'eligible' && input.call_id && calls.has(input.call_id)) {
      const eligibility = eligibilityOfApp(input);
      if (!eligibility.eligible) {
        const failed = eligibility.checks.filter((x) => !x.ok).map((x) => x.message);
        add('status', 'ineligible', `the rules are not met: ${failed.join('; ')}`);
      }
    }
    return { clean: c, errors };
  };

  const OWN_APPLICATION = ['call_id', 'reference', 'acronym', 'title', 'pi_id', 'lead_id', 'requested', 'cofunding', 'duration_months', 'status', 'notes'] as const;

  const writeApplication = (raw: ApplicationInput, existing?: StoredApplication): Application => {
    const { clean: checked, errors } = checkApplication(raw, existing);
    if (errors.length) throw invalid(errors);
    const id = existing?.id ?? newId('app');
    const input: ApplicationInput = {
      ...checked,
      partners: checked.partners.map((p) => ({
        ...p,
        id: p.id ?? existing?.input.partners.find((x) => x.partner_id === p.partner_id)?.id ?? newId('apr'),
      })),
      reviews: checked.reviews.map((r) => ({
        ...r,
        id: r.id ?? newId('rv'),
      })),
    };
    const changes: FieldChange[] = [];
    for (const col of OWN_APPLICATION) {
      const old = existing ? existing.input[col] : null;
      if (old !== input[col] && !(existing === undefined && input[col] === null))
        changes.push({ table: 'application', row_id: id, column: col, old: old ?? null, new: input[col] });
    }
    for (const p of input.partners) {
      const row = p.id as string;
      const old = existing?.input.partners.find((x) => x.id === p.id);
      if (!old) {
        changes.push({ table: 'application_partner', row_id: row, column: 'application_id', old: null, new: id });
        changes.push({ table: 'application_partner', row_id: row, column: 'partner_id', old: null, new: p.partner_id });
        if (p.role) changes.push({ table: 'application_partner', row_id: row, column: 'role', old: null, new: p.role });
      } else if (old.role !== p.role) {
        changes.push({ table: 'application_partner', row_id: row, column: 'role', old: old.role, new: p.role });
      }
    }
    for (const p of existing?.input.partners ?? []) {
      if (!input.partners.some((x) => x.id === p.id)) changes.push({ table: 'application_partner', row_id: p.id as string, column: 'deleted', old: 0, new: 1 });
    }
    const scoresText = (scores: Score[]) => JSON.stringify(Object.fromEntries([...scores].sort((a, b) => a.criterion_id.localeCompare(b.criterion_id)).map((s) => [s.criterion_id, s.score])));
    for (const r of input.reviews) {
      const row = r.id as string;
      const old = existing?.input.reviews.find((x) => x.id === r.id);
      if (!old) {
        changes.push({ table: 'review', row_id: row, column: 'application_id', old: null, new: id });
        changes.push({ table: 'review', row_id: row, column: 'reviewer_id', old: null, new: r.reviewer_id });
        changes.push({ table: 'review', row_id: row, column: 'scores', old: null, new: scoresText(r.scores) });
      } else {
        if (old.reviewer_id !== r.reviewer_id) changes.push({ table: 'review', row_id: row, column: 'reviewer_id', old: old.reviewer_id, new: r.reviewer_id });
        if (scoresText(old.scores) !== scoresText(r.scores))
          changes.push({ table: 'review', row_id: row, column: 'scores', old: scoresText(old.scores), new: scoresText(r.scores) });
        if (old.comment !== r.comment) changes.push({ table: 'review', row_id: row, column: 'comment', old: old.comment, new: r.comment });
      }
    }
    for (const r of existing?.input.reviews ?? []) {
      if (!input.reviews.some((x) => x.id === r.id)) changes.push({ table: 'review', row_id: r.id as string, column: 'deleted', old: 0, new: 1 });
    }
    const stored: StoredApplication = { id, input, deleted: false };
    applications.set(id, stored);
    record(id, changes);
    return applicationOf(stored);
  };

  const listApplications = (q: ApplicationQuery): ApplicationPage => {
    const ids = new Set(
      [...applications.values()]
        .filter((s) => {
          if (s.deleted) return false;
          if (q.call_id && s.input.call_id !== q.call_id) return false;
          if (q.partner_id && s.input.lead_id !== q.partner_id && !s.input.partners.some((p) => p.partner_id === q.partner_id)) return false;
          if (q.pi_id && s.input.pi_id !== q.pi_id) return false;
          if (q.zone && !organisationsOf(s.input.lead_id, s.input.partners.map((p) => p.partner_id)).some((o) => o.zone === q.zone)) return false;
          if (q.search && !matches([s.input.reference, s.input.acronym, s.input.title, partnerName(s.input.lead_id)], q.search)) return false;
          return true;
        })
        .map((s) => s.id),
    );
    const callIds = [...calls.values()].sort(byDeadline).map((c) => c.id);
    // The ranking: calls latest deadline first (or oldest, ascending), each call's applications in rank order.
    if (q.sort === 'call' && !q.descending) callIds.reverse();
    let rows = callIds.flatMap((c) => assessed(c).map((x) => x.row)).filter((r) => ids.has(r.id));
    if (q.status) rows = rows.filter((r) => r.status === q.status);
    const first = {
      call: null,
      reference: (r: ApplicationRow) => r.reference,
      title: (r: ApplicationRow) => r.title,
      lead: (r: ApplicationRow) => r.lead_name,
      status: (r: ApplicationRow) => placeIn(APPLICATION_STATUSES)(r.status),
      requested: (r: ApplicationRow) => r.requested,
      score: (r: ApplicationRow) => r.score,
    }[q.sort ?? 'call'];
    // A stable sort keeps the ranking among equals.
    if (first) sortBy(rows, [[first, q.descending]]);
    const limit = Math.min(q.limit || 100, 500);
    return { total: rows.length, offset: q.offset, rows: rows.slice(q.offset, q.offset + limit) };
  };

  // ---------- what points to a record, search ----------

  const dependants = (id: string): Dependants[] => {
    const count = {
      call: [...calls.values()].filter((c) => !c.deleted && c.input.funder_id === id).length,
      application: [...applications.values()].filter(
        (s) =>
          !s.deleted &&
          (s.input.call_id === id ||
            s.input.lead_id === id ||
            s.input.pi_id === id ||
            s.input.partners.some((p) => p.partner_id === id) ||
            s.input.reviews.some((r) => r.reviewer_id === id)),
      ).length,
    };
    return Object.entries(count)
      .filter(([, n]) => n > 0)
      .map(([entity, n]) => ({ entity, count: n }));
  };

  const search = (q: string, limit: number): SearchHit[] => {
    const hits: SearchHit[] = [];
    for (const c of calls.values()) {
      if (hits.length >= limit) return hits;
      if (!c.deleted && matches([c.input.code, c.input.title, c.input.programme], q))
        hits.push({ entity: 'call', id: c.id, title: [c.input.code, c.input.title].filter(Boolean).join(' ; '), subtitle: c.input.programme });
    }
    for (const a of applications.values()) {
      if (hits.length >= limit) return hits;
      const lead = partnerName(a.input.lead_id);
      if (!a.deleted && matches([a.input.reference, a.input.acronym, a.input.title, lead], q))
        hits.push({ entity: 'application', id: a.id, title: [a.input.reference, a.input.acronym, a.input.title].filter(Boolean).join(' ; '), subtitle: lead });
    }
    return hits;
  };

  const setDeleted = (map: Map<string, StoredCall> | Map<string, StoredApplication>, table: string, id: string, deleted: boolean) => {
    const rec = map.get(id);
    if (!rec) throw notFound(table, id);
    rec.deleted = deleted;
    record(id, [{ table, row_id: id, column: 'deleted', old: deleted ? 0 : 1, new: deleted ? 1 : 0 }]);
    return null;
  };

  const WRITES = ['call_create', 'call_update', 'call_delete', 'call_restore', 'application_create', 'application_update', 'application_delete', 'application_restore'];

  /** Answers a command of this module; `undefined` (not null) when the command is not one of them. */
  const handle = (cmd: string, args: Args): unknown => {
    switch (cmd) {
      case 'calls_list':
        return listCalls(args.query as CallQuery);
      case 'call_get': {
        const c = calls.get(String(args.id));
        if (!c) throw notFound('call', args.id);
        return callOf(c);
      }
      case 'call_create':
        return writeCall(args.input as CallInput);
      case 'call_update': {
        const existing = calls.get(String(args.id));
        if (!existing || existing.deleted) throw notFound('call', args.id);
        return writeCall(args.input as CallInput, existing);
      }
      case 'call_delete':
        return setDeleted(calls, 'call', String(args.id), true);
      case 'call_restore':
        return setDeleted(calls, 'call', String(args.id), false);
      case 'applications_list':
        return listApplications(args.query as ApplicationQuery);
      case 'application_get': {
        const a = applications.get(String(args.id));
        if (!a) throw notFound('application', args.id);
        return applicationOf(a);
      }
      case 'application_create':
        return writeApplication(args.input as ApplicationInput);
      case 'application_update': {
        const existing = applications.get(String(args.id));
        if (!existing || existing.deleted) throw notFound('application', args.id);
        return writeApplication(args.input as ApplicationInput, existing);
      }
      case 'application_delete':
        return setDeleted(applications, 'application', String(args.id), true);
      case 'application_restore':
        return setDeleted(applications, 'application', String(args.id), false);
      default:
        return undefined;
    }
  };

  /** Sample calls with applications in every situation: ranked, tied out by a threshold, ineligible, unscored. */
  const seed = () => {
    const byName = (name: string) => [...partners.values()].find((p) => p.name === name)?.id ?? null;
    const lyon = byName('Université Claude Bernard Lyon 1');
    const fudan = byName('Fudan University');
    const sjtu = byName('Shanghai Jiao Tong University');
    const tokyo = byName('The University of Tokyo');
    const kyoto = byName('Kyoto University');
    const usp = byName('Universidade de São Paulo');
    const montreal = byName('Université de Montréal');
    const jsps = byName('Japan Society for the Promotion of Science');
    const ip2i = byName('Laboratoire de Physique des 2 Infinis');
    const [wei, hanako] = [...contacts.values()];
    const seedFund = writeCall(
      callInput({
        code: 'ASF-2026',
        title: 'Alliance seed fund 2026',
        programme: 'IDEXLYON international',
        opens_at: '2026-01-15T09:00:00+01:00',
        deadline_at: '2026-03-31T17:00:00+02:00',
        results_at: '2026-06-30T12:00:00+02:00',
        time_zone: 'Europe/Paris',
        budget: 30_000_000,
        max_award: 5_000_000,
        currency: 'EUR',
        rules: { min_partners: 2, min_countries: 2, required_zones: [], lyon_lead_required: true },
        criteria: [
          { name: 'Scientific excellence', weight: 3, max_score: 10, threshold: 6 },
          { name: 'International partnership', weight: 2, max_score: 10, threshold: null },
          { name: 'Feasibility', weight: 1, max_score: 5, threshold: 2 },
        ],
        status: 'evaluation',
        notes: 'Two reviewers per application.',
      }),
    );
    const [excellence, partnership, feasibility] = seedFund.criteria_read.map((k) => k.id);
    const review = (reviewer: Contact | undefined, scores: (number | null)[], comment: string | null = null) => ({
      reviewer_id: reviewer?.id ?? null,
      scores: [excellence, partnership, feasibility].flatMap((criterion_id, i) => (scores[i] === null ? [] : [{ criterion_id, score: scores[i] as number }])),
      comment,
    });
    const partner = (partner_id: string | null, role: string | null = null) => ({ partner_id, role });
    const app = (patch: Partial<ApplicationInput>) => writeApplication(applicationInput({ call_id: seedFund.id, pi_id: wei?.id ?? null, ...patch }));
    app({
      reference: 'ASF-26-001',
      acronym: 'QUANTUM-LINK',
      title: 'Quantum sensing network Lyon–Tokyo',
      lead_id: lyon,
      partners: [partner(tokyo, 'co-lead'), partner(kyoto)],
      pi_id: hanako?.id ?? null,
      requested: 4_500_000,
      cofunding: 1_200_000,
      duration_months: 24,
      status: 'under_evaluation',
      reviews: [review(wei, [9, 8, 4], 'Strong team, clear milestones.'), review(hanako, [8, 9, 5])],
    });
    app({
      reference: 'ASF-26-002',
      acronym: 'SINO-AGEING',
      title: 'Shared cohort for ageing research',
      lead_id: lyon,
      partners: [partner(fudan), partner(sjtu)],
      requested: 3_800_000,
      duration_months: 36,
      status: 'under_evaluation',
      reviews: [review(hanako, [7, 7, 3])],
    });
    app({
      reference: 'ASF-26-003',
      acronym: 'AMAZON-EO',
      title: 'Earth observation of the Amazon basin',
      lead_id: usp,
      partners: [partner(lyon)],
      requested: 5_000_000,
      duration_months: 24,
      status: 'submitted',
    });
    app({
      reference: 'ASF-26-004',
      acronym: 'ARCTIC-MAT',
      title: 'Materials for cold climates',
      lead_id: lyon,
      partners: [partner(montreal)],
      requested: 2_500_000,
      duration_months: 18,
      status: 'under_evaluation',
      reviews: [review(wei, [5, 9, 5])],
    });
    app({
      reference: 'ASF-26-005',
      title: 'Lyon-only pilot study',
      lead_id: lyon,
      requested: 1_000_000,
      status: 'draft',
    });
    app({
      reference: 'ASF-26-006',
      acronym: 'NEUTRINO-JP',
      title: 'Neutrino detectors with Kyoto',
      lead_id: ip2i,
      partners: [partner(kyoto)],
      requested: 4_000_000,
      duration_months: 24,
      status: 'eligible',
      reviews: [review(wei, [8, 6, 4]), review(hanako, [7, null, null], 'Partial: conflict of interest on the rest.')],
    });

    const seminars = writeCall(
      callInput({
        code: 'JSPS-LY-2025',
        title: 'JSPS–Lyon joint seminars 2025',
        programme: 'Bilateral seminars',
        funder_id: jsps,
        opens_at: '2025-02-01T10:00:00+09:00',
        deadline_at: '2025-05-15T17:00:00+09:00',
        results_at: '2025-07-31T12:00:00+09:00',
        time_zone: 'Asia/Tokyo',
        budget: 6_000_000,
        max_award: 1_500_000,
        currency: 'JPY',
        rules: { min_partners: 2, min_countries: null, required_zones: ['france_europe', 'japan'], lyon_lead_required: false },
        criteria: [
          { name: 'Quality', weight: 1, max_score: 5, threshold: 3 },
          { name: 'Impact', weight: 1, max_score: 5, threshold: null },
        ],
        status: 'decided',
      }),
    );
    const [quality, impact] = seminars.criteria_read.map((k) => k.id);
    writeApplication(
      applicationInput({
        call_id: seminars.id,
        reference: 'JS-25-01',
        title: 'Joint seminar on urban resilience',
        lead_id: lyon,
        partners: [partner(tokyo)],
        pi_id: hanako?.id ?? null,
        requested: 1_200_000,
        duration_months: 12,
        status: 'funded',
        reviews: [
          {
            reviewer_id: wei?.id ?? null,
            scores: [
              { criterion_id: quality, score: 4 },
              { criterion_id: impact, score: 4 },
            ],
            comment: null,
          },
        ],
      }),
    );

    writeCall(
      callInput({
        code: 'TRI-2027',
        title: 'Brazil–Canada–Lyon trilateral call 2027',
        programme: 'Trilateral research',
        opens_at: '2026-10-01T09:00:00+02:00',
        deadline_at: '2027-01-20T17:00:00+01:00',
        time_zone: 'Europe/Paris',
        rules: { min_partners: 3, min_countries: 3, required_zones: ['brazil', 'canada'], lyon_lead_required: true },
        criteria: [{ name: 'Excellence', weight: 1, max_score: 20, threshold: 10 }],
        status: 'draft',
      }),
    );
  };

  return { handle, calls, applications, dependants, search, seed, writeCall, writeApplication, WRITES };
}

export type Calls = ReturnType<typeof createCalls>;
