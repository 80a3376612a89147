// The agreements and exchanges of the in-memory fake backend (see fakeBackend.ts): same commands, same
// types and the same validation codes as the Rust core, on plain arrays.
import type { Agreement } from '../bindings/Agreement';
import type { AgreementInput } from '../bindings/AgreementInput';
import type { AgreementPage } from '../bindings/AgreementPage';
import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { AgreementRow } from '../bindings/AgreementRow';
import type { AgreementStatus } from '../bindings/AgreementStatus';
import type { Contact } from '../bindings/Contact';
import type { Dependants } from '../bindings/Dependants';
import type { Exchange } from '../bindings/Exchange';
import type { ExchangeInput } from '../bindings/ExchangeInput';
import type { ExchangePage } from '../bindings/ExchangePage';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { IpcError } from '../bindings/IpcError';
import type { Partner } from '../bindings/Partner';
import type { SearchHit } from '../bindings/SearchHit';
import { academicYearLabel } from '../lib/enums';
import { isField } from './fakeRules';
import { fold } from './fakeSort';

type Args = Record<string, unknown>;

/** The core counts exchanges up to this many. */
export const COUNT_CAP = 10_000;

export interface MobilityContext {
  partners: Map<string, Partner>;
  contacts: Map<string, Contact>;
  newId: (prefix: string) => string;
  record: (id: string, changes: FieldChange[]) => void;
  matches: (hay: (string | null | undefined)[], q: string) => boolean;
  /** yyyy-mm-dd: an active agreement whose end date is before it shows as expired. */
  today: () => string;
}

/** Stored like the core stores them: the input (with ids given to parties and conditions), and `deleted`. */
interface StoredAgreement {
  id: string;
  input: AgreementInput;
  deleted: boolean;
}
interface StoredExchange {
  id: string;
  input: ExchangeInput;
  deleted: boolean;
}

function invalid(fields: FieldError[]): IpcError {
  return { kind: 'invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}

const notFound = (entity: string, id: unknown): IpcError => ({ kind: 'not_found', message: `no ${entity} with id ${String(id)}`, fields: [] });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LANG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const NOT_COUNTED = new Set(['cancelled', 'withdrawn']);

export function effectiveStatus(status: AgreementStatus, end: string | null, today: string): AgreementStatus {
  return (status === 'active' || status === 'renewal_pending') && end !== null && end < today ? 'expired' : status;
}

export function createMobility(ctx: MobilityContext) {
  const { partners, contacts, newId, record, matches } = ctx;
  const agreements = new Map<string, StoredAgreement>();
  const exchanges = new Map<string, StoredExchange>();

  const partnerName = (id: string | null) => (id ? (partners.get(id)?.name ?? null) : null);
  const livePartner = (id: string) => Boolean(partners.get(id) && !partners.get(id)?.deleted);
  const liveContact = (id: string) => Boolean(contacts.get(id) && !contacts.get(id)?.deleted);
  const liveAgreement = (id: string) => Boolean(agreements.get(id) && !agreements.get(id)?.deleted);

  // ---------- agreements ----------

  const counted = (agreementId: string) =>
    [...exchanges.values()].filter(
      (e) => !e.deleted && e.input.agreement_id === agreementId && e.input.academic_year !== null && !NOT_COUNTED.has(e.input.status),
    );

  const agreementOf = (s: StoredAgreement): Agreement => {
    const a = s.input;
    const parent = a.parent_id ? agreements.get(a.parent_id) : undefined;
    const used = counted(s.id);
    const usage = new Map<string, { condition_id: string; academic_year: number; used: number; places: number | null }>();
    for (const e of used) {
      const condition = a.conditions.find((c) => c.id === e.input.condition_id);
      if (!condition?.id) continue;
      const year = e.input.academic_year as number;
      const key = `${condition.id}|${year}`;
      const u = usage.get(key) ?? { condition_id: condition.id, academic_year: year, used: 0, places: condition.places };
      u.used += 1;
      usage.set(key, u);
    }
    // As the core does: in a year with exchanges, every condition with places covering it has its line.
    for (const year of new Set([...usage.values()].map((u) => u.academic_year))) {
      for (const c of a.conditions) {
        const covers = (c.first_year ?? year) <= year && year <= (c.last_year ?? year);
        const key = `${c.id}|${year}`;
        if (c.id && c.places !== null && covers && !usage.has(key)) {
          usage.set(key, { condition_id: c.id, academic_year: year, used: 0, places: c.places });
        }
      }
    }
    const balance = new Map<number, { academic_year: number; incoming: number; outgoing: number }>();
    for (const e of used) {
      const year = e.input.academic_year as number;
      const b = balance.get(year) ?? { academic_year: year, incoming: 0, outgoing: 0 };
      b[e.input.direction] += 1;
      balance.set(year, b);
    }
    return {
      id: s.id,
      code: a.code,
      title: a.title,
      kind: a.kind,
      parent_id: a.parent_id,
      parent_title: parent && !parent.deleted ? parent.input.title : null,
      status: a.status,
      effective_status: effectiveStatus(a.status, a.end_date, ctx.today()),
      signed_date: a.signed_date,
      start_date: a.start_date,
      end_date: a.end_date,
      auto_renewal: a.auto_renewal,
      notice_months: a.notice_months,
      fields: a.fields,
      parties: a.parties.map((p) => {
        const partner = p.partner_id ? partners.get(p.partner_id) : undefined;
        return {
          id: p.id as string,
          partner_id: p.partner_id,
          partner_name: partner?.name ?? null,
          country: partner?.country ?? null,
          zone: partner?.zone ?? null,
          unit_id: p.unit_id,
          unit_name: partnerName(p.unit_id),
          role: p.role,
          signatory_id: p.signatory_id,
          signatory_name: p.signatory_id ? (contacts.get(p.signatory_id)?.name ?? null) : null,
          signed_date: p.signed_date,
        };
      }),
      conditions: a.conditions.map((c) => ({
        id: c.id as string,
        mobility: c.mobility,
        sending_id: c.sending_id,
        sending_name: partnerName(c.sending_id),
        receiving_id: c.receiving_id,
        receiving_name: partnerName(c.receiving_id),
        places: c.places,
        months: c.months,
        levels: c.levels,
        languages: c.languages,
        first_year: c.first_year,
        last_year: c.last_year,
      })),
      notes: a.notes,
      deleted: s.deleted,
      children: [...agreements.values()]
        .filter((x) => !x.deleted && x.input.parent_id === s.id)
        .map((x) => ({ id: x.id, title: x.input.title }))
        .sort((x, y) => x.title.localeCompare(y.title)),
      usage: [...usage.values()].sort((x, y) => y.academic_year - x.academic_year),
      balance: [...balance.values()].sort((x, y) => y.academic_year - x.academic_year),
    };
  };

  const partiesText = (a: AgreementInput) =>
    a.parties
      .map((p) => partnerName(p.partner_id))
      .filter(Boolean)
      .join(' · ');

  const rowOf = (s: StoredAgreement): AgreementRow => ({
    id: s.id,
    code: s.input.code,
    title: s.input.title,
    kind: s.input.kind,
    status: effectiveStatus(s.input.status, s.input.end_date, ctx.today()),
    start_date: s.input.start_date,
    end_date: s.input.end_date,
    parties: partiesText(s.input),
  });

  /** Active or up for renewal, started and not ended, as the core's `IN_FORCE`. */
  const inForce = (a: AgreementInput, today: string) =>
    (a.status === 'active' || a.status === 'renewal_pending') && (!a.end_date || a.end_date >= today) && (!a.start_date || a.start_date <= today);

  const listAgreements = (q: AgreementQuery): AgreementPage => {
    let rows = [...agreements.values()].filter((a) => !a.deleted);
    if (q.kind) rows = rows.filter((a) => a.input.kind === q.kind);
    if (q.status) rows = rows.filter((a) => effectiveStatus(a.input.status, a.input.end_date, ctx.today()) === q.status);
    if (q.in_force) rows = rows.filter((a) => inForce(a.input, ctx.today()));
    if (q.zone) rows = rows.filter((a) => a.input.parties.some((p) => p.partner_id && partners.get(p.partner_id)?.zone === q.zone));
    if (q.partner_id) rows = rows.filter((a) => a.input.parties.some((p) => p.partner_id === q.partner_id));
    if (q.signatory_id) rows = rows.filter((a) => a.input.parties.some((p) => p.signatory_id === q.signatory_id));
    if (q.search) rows = rows.filter((a) => matches([a.input.title, a.input.code, partiesText(a.input)], q.search as string));
    const key = q.sort ?? 'title';
    const value = (a: StoredAgreement): string =>
      key === 'status' ? effectiveStatus(a.input.status, a.input.end_date, ctx.today()) : String(a.input[key] ?? '');
    rows.sort((a, b) => {
      const av = value(a);
      const bv = value(b);
      // Missing dates last, whichever the direction.
      if ((key === 'end_date' || key === 'start_date') && !av !== !bv) return av ? -1 : 1;
      const c = av.localeCompare(bv);
      return (q.descending ? -c : c) || a.input.title.localeCompare(b.input.title);
    });
    const limit = Math.min(q.limit || 100, 500);
    return { total: rows.length, offset: q.offset, rows: rows.slice(q.offset, q.offset + limit).map(rowOf) };
  };

  const validateAgreement = (input: AgreementInput, self?: StoredAgreement): FieldError[] => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    if (!input.title.trim()) add('title', 'required', 'an agreement needs a title');
    for (const f of ['signed_date', 'start_date', 'end_date'] as const) {
      if (input[f] && !DATE.test(input[f] as string)) add(f, 'date', `"${input[f]}" is not a date in the form 2026-09-01`);
    }
    if (input.start_date && input.end_date && input.end_date < input.start_date)
      add('end_date', 'end_before_start', `the agreement ends (${input.end_date}) before it starts (${input.start_date})`);
    if (input.notice_months !== null && input.notice_months < 0) add('notice_months', 'negative', 'the notice period cannot be negative');
    input.fields.forEach((f, i) => {
      if (!isField(f)) add(`fields[${i}]`, 'field', `"${f}" is not an ISCED-F code such as 0731 nor one of the alliance's fields`);
    });
    const parties: string[] = [];
    const known = new Set(self?.input.parties.map((p) => p.partner_id) ?? []);
    input.parties.forEach((p, i) => {
      if (!p.partner_id) {
        add(`parties[${i}].partner_id`, 'required', 'choose the organisation');
        return;
      }
      if (parties.includes(p.partner_id)) add(`parties[${i}].partner_id`, 'duplicate', 'this organisation is already a party');
      else if (!livePartner(p.partner_id) && !known.has(p.partner_id))
        add(`parties[${i}].partner_id`, 'not_found', `no partner with id ${p.partner_id}`);
      parties.push(p.partner_id);
      if (p.signed_date && !DATE.test(p.signed_date)) add(`parties[${i}].signed_date`, 'date', 'not a date');
    });
    if (new Set(parties).size < 2 && input.parties.every((p) => p.partner_id))
      add('parties', 'too_few', 'an agreement needs at least two parties');
    input.conditions.forEach((c, i) => {
      const at = (f: string) => `conditions[${i}].${f}`;
      for (const side of ['sending_id', 'receiving_id'] as const) {
        const v = c[side];
        if (!v) add(at(side), 'required', 'choose one of the parties');
        else if (!parties.includes(v)) add(at(side), 'not_a_party', 'this organisation is not a party to the agreement');
      }
      if (c.sending_id && c.sending_id === c.receiving_id) add(at('receiving_id'), 'same_side', 'the sending and receiving organisations are the same');
      for (const f of ['places', 'months'] as const) {
        const v = c[f];
        if (v !== null && v < 0) add(at(f), 'negative', `${f} cannot be negative`);
      }
      if (c.first_year !== null && c.last_year !== null && c.last_year < c.first_year)
        add(at('last_year'), 'end_before_start', 'the last academic year is before the first');
      c.languages.forEach((l, j) => {
        if (!LANG.test(l.lang)) add(at(`languages[${j}].lang`), 'language', `"${l.lang}" is not a BCP-47 language tag`);
      });
    });
    if (input.parent_id) {
      if (input.parent_id === self?.id) add('parent_id', 'cycle', 'an agreement cannot be its own parent');
      else if (!liveAgreement(input.parent_id) && self?.input.parent_id !== input.parent_id)
        add('parent_id', 'not_found', `no agreement with id ${input.parent_id}`);
      else if (self) {
        let up: string | null = input.parent_id;
        const seen = new Set<string>();
        while (up && !seen.has(up)) {
          if (up === self.id) {
            add('parent_id', 'cycle', "this parent is already one of the agreement's specific agreements");
            break;
          }
          seen.add(up);
          up = agreements.get(up)?.input.parent_id ?? null;
        }
      }
    }
    return errors;
  };

  const OWN_AGREEMENT = ['code', 'title', 'kind', 'parent_id', 'status', 'signed_date', 'start_date', 'end_date', 'auto_renewal', 'notice_months', 'notes'] as const;

  const writeAgreement = (raw: AgreementInput, existing?: StoredAgreement): Agreement => {
    const id = existing?.id ?? newId('g');
    const input: AgreementInput = {
      ...raw,
      code: raw.code?.trim() || null,
      title: raw.title.trim(),
      fields: [...new Set(raw.fields.map((f) => f.trim().toLowerCase()))],
      parties: raw.parties.map((p) => ({ ...p, id: p.id ?? newId('ap') })),
      conditions: raw.conditions.map((c) => ({ ...c, id: c.id ?? newId('ac') })),
    };
    const changes: FieldChange[] = [];
    for (const col of OWN_AGREEMENT) {
      const old = existing ? existing.input[col] : null;
      const value = col === 'auto_renewal' ? (input[col] ? 1 : 0) : input[col];
      const before = col === 'auto_renewal' && existing ? (existing.input.auto_renewal ? 1 : 0) : old;
      if (before !== value && !(existing === undefined && value === null))
        changes.push({ table: 'agreement', row_id: id, column: col, old: before ?? null, new: value });
    }
    for (const p of input.parties) {
      const before = existing?.input.parties.find((x) => x.id === p.id);
      if (!before) {
        changes.push({ table: 'agreement_party', row_id: p.id as string, column: 'agreement_id', old: null, new: id });
        changes.push({ table: 'agreement_party', row_id: p.id as string, column: 'partner_id', old: null, new: p.partner_id });
        if (p.role) changes.push({ table: 'agreement_party', row_id: p.id as string, column: 'role', old: null, new: p.role });
      } else if (before.role !== p.role) {
        changes.push({ table: 'agreement_party', row_id: p.id as string, column: 'role', old: before.role, new: p.role });
      }
    }
    for (const p of existing?.input.parties ?? []) {
      if (!input.parties.some((x) => x.id === p.id)) changes.push({ table: 'agreement_party', row_id: p.id as string, column: 'deleted', old: 0, new: 1 });
    }
    for (const c of input.conditions) {
      if (!existing?.input.conditions.some((x) => x.id === c.id)) {
        const row = c.id as string;
        changes.push({ table: 'agreement_condition', row_id: row, column: 'agreement_id', old: null, new: id });
        changes.push({ table: 'agreement_condition', row_id: row, column: 'mobility', old: null, new: c.mobility });
        changes.push({ table: 'agreement_condition', row_id: row, column: 'sending_id', old: null, new: c.sending_id });
        changes.push({ table: 'agreement_condition', row_id: row, column: 'receiving_id', old: null, new: c.receiving_id });
        if (c.places !== null) changes.push({ table: 'agreement_condition', row_id: row, column: 'places', old: null, new: c.places });
      }
    }
    const stored: StoredAgreement = { id, input, deleted: false };
    agreements.set(id, stored);
    record(id, changes);
    return agreementOf(stored);
  };

  // ---------- exchanges ----------

  const exchangeOf = (s: StoredExchange): Exchange => {
    const e = s.input;
    const agreement = e.agreement_id ? agreements.get(e.agreement_id) : undefined;
    return {
      id: s.id,
      person_name: e.person_id ? (contacts.get(e.person_id)?.name ?? null) : null,
      home_name: partnerName(e.home_id),
      host_name: partnerName(e.host_id),
      unit_name: partnerName(e.unit_id),
      agreement_title: agreement && !agreement.deleted ? agreement.input.title : null,
      academic_year_label: e.academic_year === null ? null : academicYearLabel(e.academic_year),
      deleted: s.deleted,
      ...e,
    };
  };

  /** The organisation on the other side: home for an incoming exchange, host for an outgoing one. */
  const otherSide = (e: ExchangeInput) => (e.direction === 'outgoing' ? e.host_id : e.home_id);

  const listExchanges = (q: ExchangeQuery): ExchangePage => {
    let rows = [...exchanges.values()].filter((e) => !e.deleted);
    const eq = <K extends keyof ExchangeInput>(k: K, v: ExchangeInput[K] | undefined) => {
      if (v !== undefined) rows = rows.filter((e) => e.input[k] === v);
    };
    eq('direction', q.direction);
    eq('category', q.category);
    eq('programme', q.programme);
    eq('status', q.status);
    eq('academic_year', q.academic_year);
    eq('person_id', q.person_id);
    eq('agreement_id', q.agreement_id);
    if (q.cohort?.trim()) eq('cohort', q.cohort.trim());
    if (q.counted !== undefined) rows = rows.filter((e) => q.counted === !['cancelled', 'withdrawn'].includes(e.input.status));
    if (q.partner_id) rows = rows.filter((e) => otherSide(e.input) === q.partner_id);
    if (q.zone) rows = rows.filter((e) => {
      const other = otherSide(e.input);
      return other !== null && partners.get(other)?.zone === q.zone;
    });
    if (q.search) {
      const s = q.search;
      rows = rows.filter((e) => {
        const person = e.input.person_id ? contacts.get(e.input.person_id) : undefined;
        const other = otherSide(e.input);
        const partner = other ? partners.get(other) : undefined;
        return matches([person?.name, person?.native_name, ...(partner?.names.map((n) => n.value) ?? []), partner?.acronym], s);
      });
    }
    const sortKey = q.sort === 'planned_start' ? 'planned_start' : 'academic_year';
    // Missing values first in ascending order, like SQLite's NULLs.
    const value = (e: StoredExchange) => {
      const v = e.input[sortKey];
      return v === null ? '' : typeof v === 'number' ? String(v).padStart(6, '0') : v;
    };
    rows.sort((a, b) => {
      const c = value(a).localeCompare(value(b)) || (a.input.planned_start ?? '').localeCompare(b.input.planned_start ?? '') || a.id.localeCompare(b.id);
      return q.ascending ? c : -c;
    });
    const limit = Math.min(q.limit || 100, 500);
    return {
      total: Math.min(rows.length, COUNT_CAP),
      total_capped: rows.length > COUNT_CAP,
      offset: q.offset,
      rows: rows.slice(q.offset, q.offset + limit).map(exchangeOf),
    };
  };

  const validateExchange = (input: ExchangeInput, self?: StoredExchange): FieldError[] => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    if (!input.person_id) add('person_id', 'required', 'choose the person');
    else if (!liveContact(input.person_id) && self?.input.person_id !== input.person_id)
      add('person_id', 'not_found', `no contact with id ${input.person_id}`);
    for (const f of ['home_id', 'host_id', 'unit_id'] as const) {
      const v = input[f];
      if (v && !livePartner(v) && self?.input[f] !== v) add(f, 'not_found', `no partner with id ${v}`);
    }
    if (input.home_id && input.home_id === input.host_id) add('host_id', 'same_side', 'the home and host organisations are the same');
    for (const f of ['planned_start', 'planned_end', 'actual_start', 'actual_end'] as const) {
      if (input[f] && !DATE.test(input[f] as string)) add(f, 'date', 'not a date');
    }
    for (const [s, e] of [
      ['planned_start', 'planned_end'],
      ['actual_start', 'actual_end'],
    ] as const) {
      if (input[s] && input[e] && (input[e] as string) < (input[s] as string)) add(e, 'end_before_start', 'the exchange ends before it starts');
    }
    if (input.academic_year !== null && (input.academic_year < 1950 || input.academic_year > 2100))
      add('academic_year', 'year', `${input.academic_year} is not an academic year such as 2025 (2025/2026)`);
    if (input.field && !isField(input.field)) add('field', 'field', `"${input.field}" is not an ISCED-F code`);
    if (input.language && !LANG.test(input.language)) add('language', 'language', `"${input.language}" is not a BCP-47 language tag`);
    if (input.amount !== null && input.amount < 0) add('amount', 'negative', 'the amount cannot be negative');
    if (input.currency && !/^[A-Z]{3}$/.test(input.currency.toUpperCase())) add('currency', 'currency', `"${input.currency}" is not an ISO 4217 currency code`);
    else if (!input.currency && input.amount !== null) add('currency', 'required', 'an amount needs its currency');
    if (input.condition_id && !input.agreement_id) add('condition_id', 'required', 'a condition belongs to an agreement: choose the agreement too');
    if (input.agreement_id) {
      const agreement = agreements.get(input.agreement_id);
      if ((!agreement || agreement.deleted) && self?.input.agreement_id !== input.agreement_id)
        add('agreement_id', 'not_found', `no agreement with id ${input.agreement_id}`);
      if (agreement && input.condition_id) {
        const condition = agreement.input.conditions.find((c) => c.id === input.condition_id);
        if (!condition) add('condition_id', 'not_found', "this condition is not one of the agreement's");
        else if (
          input.academic_year !== null &&
          ((condition.first_year !== null && input.academic_year < condition.first_year) ||
            (condition.last_year !== null && input.academic_year > condition.last_year))
        )
          add('academic_year', 'not_in_force', 'the condition does not cover this year');
      }
    }
    return errors;
  };

  const OWN_EXCHANGE: (keyof ExchangeInput)[] = [
    'person_id', 'direction', 'category', 'programme', 'home_id', 'host_id', 'unit_id', 'agreement_id', 'condition_id',
    'academic_year', 'planned_start', 'planned_end', 'actual_start', 'actual_end', 'level', 'field', 'language', 'cefr',
    'funding', 'amount', 'currency', 'status', 'cohort', 'notes',
  ];

  const writeExchange = (raw: ExchangeInput, existing?: StoredExchange, quiet = false): Exchange => {
    const id = existing?.id ?? newId('e');
    const input: ExchangeInput = { ...raw, currency: raw.currency ? raw.currency.toUpperCase() : null, field: raw.field?.toLowerCase() ?? null };
    const stored: StoredExchange = { id, input, deleted: false };
    exchanges.set(id, stored);
    if (!quiet) {
      const changes: FieldChange[] = [];
      for (const col of OWN_EXCHANGE) {
        const old = existing ? existing.input[col] : null;
        if (old !== input[col] && !(existing === undefined && input[col] === null))
          changes.push({ table: 'exchange', row_id: id, column: col, old: old ?? null, new: input[col] });
      }
      record(id, changes);
    }
    return exchangeOf(stored);
  };

  // ---------- what points to a record ----------

  const dependants = (id: string): Dependants[] => {
    const count = {
      partner: [...partners.values()].filter((p) => !p.deleted && p.parent_id === id).length,
      contact: [...contacts.values()].filter((c) => !c.deleted && c.affiliations.some((a) => a.partner_id === id)).length,
      agreement: [...agreements.values()].filter(
        (a) =>
          !a.deleted &&
          (a.input.parent_id === id || a.input.parties.some((p) => p.partner_id === id || p.unit_id === id || p.signatory_id === id)),
      ).length,
      exchange: [...exchanges.values()].filter(
        (e) =>
          !e.deleted &&
          [e.input.person_id, e.input.home_id, e.input.host_id, e.input.unit_id, e.input.agreement_id].includes(id),
      ).length,
    };
    return Object.entries(count)
      .filter(([, n]) => n > 0)
      .map(([entity, n]) => ({ entity, count: n }));
  };

  const searchAgreements = (q: string, limit: number): SearchHit[] =>
    [...agreements.values()]
      .filter((a) => !a.deleted && matches([a.input.title, a.input.code, partiesText(a.input)], q))
      .slice(0, limit)
      .map((a) => ({ entity: 'agreement', id: a.id, title: a.input.title, subtitle: partiesText(a.input) || null }));

  /** Cohorts whose name holds every term of the query, latest academic year first, as the core finds them. */
  const cohortHits = (q: string): SearchHit[] => {
    const terms = q.split(/\s+/).filter(Boolean).map(fold);
    if (!terms.length) return [];
    const byName = new Map<string, { n: number; latest: number }>();
    for (const e of exchanges.values()) {
      const name = e.input.cohort;
      if (e.deleted || !name || !terms.every((t) => fold(name).includes(t))) continue;
      const seen = byName.get(name) ?? { n: 0, latest: -1 };
      byName.set(name, { n: seen.n + 1, latest: Math.max(seen.latest, e.input.academic_year ?? -1) });
    }
    return [...byName.entries()]
      .sort(([x, a], [y, b]) => b.latest - a.latest || x.localeCompare(y))
      .slice(0, 5)
      .map(([name, { n }]) => ({ entity: 'cohort', id: `cohort-${name}`, title: name, subtitle: `${n} exchange${n === 1 ? '' : 's'}`, count: n }));
  };

  /** A person's latest exchanges as search hits, as the core lists them after the person. */
  const exchangeHits = (personId: string, title: string, limit: number): SearchHit[] =>
    [...exchanges.values()]
      .filter((e) => !e.deleted && e.input.person_id === personId)
      .sort((a, b) => (b.input.academic_year ?? 0) - (a.input.academic_year ?? 0) || (b.input.planned_start ?? '').localeCompare(a.input.planned_start ?? ''))
      .slice(0, limit)
      .map((e) => {
        const route = e.input.home_id || e.input.host_id ? `${partnerName(e.input.home_id) ?? ''} → ${partnerName(e.input.host_id) ?? ''}` : null;
        const year = e.input.academic_year === null ? null : academicYearLabel(e.input.academic_year);
        return { entity: 'exchange', id: e.id, title, subtitle: [year, route].filter(Boolean).join(' · ') || null };
      });

  const setDeleted = (map: Map<string, StoredAgreement> | Map<string, StoredExchange>, table: string, id: string, deleted: boolean) => {
    const rec = map.get(id);
    if (!rec) throw notFound(table, id);
    rec.deleted = deleted;
    record(id, [{ table, row_id: id, column: 'deleted', old: deleted ? 0 : 1, new: deleted ? 1 : 0 }]);
    return null;
  };

  const WRITES = [
    'agreement_create',
    'agreement_update',
    'agreement_delete',
    'agreement_restore',
    'exchange_create',
    'exchange_update',
    'exchange_delete',
    'exchange_restore',
  ];

  /** Answers a command of this module; `undefined` (not null) when the command is not one of them. */
  const handle = (cmd: string, args: Args): unknown => {
    switch (cmd) {
      case 'agreements_list':
        return listAgreements(args.query as AgreementQuery);
      case 'agreement_get': {
        const a = agreements.get(String(args.id));
        if (!a) throw notFound('agreement', args.id);
        return agreementOf(a);
      }
      case 'agreement_create':
      case 'agreement_update': {
        const input = args.input as AgreementInput;
        const existing = cmd === 'agreement_update' ? agreements.get(String(args.id)) : undefined;
        if (cmd === 'agreement_update' && !existing) throw notFound('agreement', args.id);
        const errors = validateAgreement(input, existing);
        if (errors.length) throw invalid(errors);
        return writeAgreement(input, existing);
      }
      case 'agreement_delete':
        return setDeleted(agreements, 'agreement', String(args.id), true);
      case 'agreement_restore':
        return setDeleted(agreements, 'agreement', String(args.id), false);
      case 'exchanges_list':
        return listExchanges(args.query as ExchangeQuery);
      case 'exchange_get': {
        const e = exchanges.get(String(args.id));
        if (!e) throw notFound('exchange', args.id);
        return exchangeOf(e);
      }
      case 'exchange_create':
      case 'exchange_update': {
        const input = args.input as ExchangeInput;
        const existing = cmd === 'exchange_update' ? exchanges.get(String(args.id)) : undefined;
        if (cmd === 'exchange_update' && !existing) throw notFound('exchange', args.id);
        const errors = validateExchange(input, existing);
        if (errors.length) throw invalid(errors);
        return writeExchange(input, existing);
      }
      case 'exchange_delete':
        return setDeleted(exchanges, 'exchange', String(args.id), true);
      case 'exchange_restore':
        return setDeleted(exchanges, 'exchange', String(args.id), false);
      case 'exchange_cohorts':
        return [...new Set([...exchanges.values()].filter((e) => !e.deleted && e.input.cohort).map((e) => e.input.cohort as string))].sort();
      case 'dependants':
        return dependants(String(args.id));
      default:
        return undefined;
    }
  };

  return { handle, agreements, exchanges, writeAgreement, writeExchange, searchAgreements, exchangeHits, cohortHits, inForce, WRITES };
}

export type Mobility = ReturnType<typeof createMobility>;

/** A new exchange's input with defaults (the seeds and tests fill what they need). */
export function exchangeInput(patch: Partial<ExchangeInput>): ExchangeInput {
  return {
    person_id: null,
    direction: 'incoming',
    category: 'student',
    programme: 'agreement',
    home_id: null,
    host_id: null,
    unit_id: null,
    agreement_id: null,
    condition_id: null,
    academic_year: null,
    planned_start: null,
    planned_end: null,
    actual_start: null,
    actual_end: null,
    level: null,
    field: null,
    language: null,
    cefr: null,
    funding: null,
    amount: null,
    currency: null,
    status: 'applied',
    cohort: null,
    notes: null,
    ...patch,
  };
}

/** A new agreement's input with defaults. */
export function agreementInput(patch: Partial<AgreementInput>): AgreementInput {
  return {
    code: null,
    title: '',
    kind: 'framework',
    parent_id: null,
    status: 'active',
    signed_date: null,
    start_date: null,
    end_date: null,
    auto_renewal: false,
    notice_months: null,
    fields: [],
    parties: [],
    conditions: [],
    notes: null,
    ...patch,
  };
}
