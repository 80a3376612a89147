// Projects, events, documents, the dashboard and the reminders of the in-memory fake backend (see
// fakeBackend.ts): same commands, same types and the same validation codes as the Rust core (project.rs,
// event.rs, document.rs, dashboard.rs, reminder.rs), on plain maps. `reminders_export` and
// `document_attach`, which open native dialogs in the app, answer with canned values.
import type { Contact } from '../bindings/Contact';
import type { Dashboard } from '../bindings/Dashboard';
import type { DashboardQuery } from '../bindings/DashboardQuery';
import type { Dependants } from '../bindings/Dependants';
import type { Document } from '../bindings/Document';
import type { Event } from '../bindings/Event';
import type { EventInput } from '../bindings/EventInput';
import type { EventPage } from '../bindings/EventPage';
import type { EventQuery } from '../bindings/EventQuery';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { IpcError } from '../bindings/IpcError';
import type { Partner } from '../bindings/Partner';
import type { Project } from '../bindings/Project';
import type { ProjectInput } from '../bindings/ProjectInput';
import type { ProjectPage } from '../bindings/ProjectPage';
import type { ProjectQuery } from '../bindings/ProjectQuery';
import type { Reminder } from '../bindings/Reminder';
import type { SearchHit } from '../bindings/SearchHit';
import type { StatusCount } from '../bindings/StatusCount';
import type { YearFigures } from '../bindings/YearFigures';
import type { Zone } from '../bindings/Zone';
import type { ZoneFigures } from '../bindings/ZoneFigures';
import { APPLICATION_STATUSES, EVENT_KINDS, isField, PROJECT_KINDS, PROJECT_STATUSES, ZONES } from './fakeRules';
import type { Calls } from './fakeCalls';
import { placeIn, sortBy } from './fakeSort';
import type { Mobility } from './fakeMobility';

type Args = Record<string, unknown>;

export interface ActivitiesContext {
  partners: Map<string, Partner>;
  contacts: Map<string, Contact>;
  mobility: Mobility;
  calls: Calls;
  newId: (prefix: string) => string;
  record: (id: string, changes: FieldChange[]) => void;
  matches: (hay: (string | null | undefined)[], q: string) => boolean;
  /** yyyy-mm-dd. */
  today: () => string;
}

interface StoredProject {
  id: string;
  input: ProjectInput;
  deleted: boolean;
  /** The link rows (partners and agreements), by `kind|target`: their ids, for the history. */
  links: Map<string, string>;
}
interface StoredEvent {
  id: string;
  input: EventInput;
  deleted: boolean;
  organiserRows: Map<string, string>;
}
interface StoredDocument {
  doc: Document;
  deleted: boolean;
}

function invalid(fields: FieldError[]): IpcError {
  return { kind: 'invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}

const notFound = (entity: string, id: unknown): IpcError => ({ kind: 'not_found', message: `no ${entity} with id ${String(id)}`, fields: [] });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const clean = (v: string | null | undefined) => (v ?? '').trim() || null;

/** yyyy-mm-dd plus `days` days. */
export function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** yyyy-mm-dd minus `months` months, the day kept within the month (31 May − 3 months = 28/29 February). */
export function subMonths(ymd: string, months: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The academic year under way on a date: from September on, the one starting that calendar year. */
function academicYearOf(ymd: string): number {
  const [y, m] = ymd.split('-').map(Number);
  return m >= 9 ? y : y - 1;
}

function fakeSha(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${seed}-${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

const MEDIA: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function createActivities(ctx: ActivitiesContext) {
  const { partners, contacts, mobility, calls, newId, record, matches } = ctx;
  const projects = new Map<string, StoredProject>();
  const events = new Map<string, StoredEvent>();
  const documents = new Map<string, StoredDocument>();
  let clock = Date.UTC(2026, 0, 6, 8, 0, 0);

  const livePartner = (id: string) => Boolean(partners.get(id) && !partners.get(id)?.deleted);
  const partnerName = (id: string) => (livePartner(id) ? (partners.get(id)?.name ?? null) : null);
  const liveAgreement = (id: string) => Boolean(mobility.agreements.get(id) && !mobility.agreements.get(id)?.deleted);
  const liveProject = (id: string) => Boolean(projects.get(id) && !projects.get(id)?.deleted);

  // ---------- projects ----------

  const projectOf = (s: StoredProject): Project => ({
    id: s.id,
    ...s.input,
    partners_read: s.input.partners.flatMap((p) => (p.partner_id ? [{ id: p.partner_id, name: partnerName(p.partner_id), role: p.role }] : [])),
    agreements_read: s.input.agreement_ids.map((a) => ({
      id: a,
      name: liveAgreement(a) ? (mobility.agreements.get(a)?.input.title ?? null) : null,
      role: null,
    })),
    deleted: s.deleted,
  });

  const checkProject = (input: ProjectInput, self?: StoredProject): ProjectInput => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    const title = input.title.trim();
    if (!title) add('title', 'required', 'a project needs a title');
    for (const f of ['start_date', 'end_date'] as const) {
      const v = clean(input[f]);
      if (v && !DATE.test(v)) add(f, 'date', `"${v}" is not a date (yyyy-mm-dd)`);
    }
    const start = clean(input.start_date);
    const end = clean(input.end_date);
    if (start && end && DATE.test(start) && DATE.test(end) && end < start)
      add('end_date', 'end_before_start', `the project ends (${end}) before it starts (${start})`);
    if (input.budget !== null && input.budget < 0) add('budget', 'negative', 'the budget cannot be negative');
    const currency = clean(input.currency)?.toUpperCase() ?? null;
    if (currency && !/^[A-Z]{3}$/.test(currency)) add('currency', 'currency', `"${currency}" is not an ISO 4217 currency code`);
    if (input.budget !== null && !currency) add('currency', 'required', 'a budget needs its currency');
    const fields: string[] = [];
    input.fields.forEach((f, i) => {
      const v = f.trim().toLowerCase();
      if (!isField(v)) add(`fields[${i}]`, 'field', `"${v}" is not an ISCED-F code nor an alliance field`);
      else if (!fields.includes(v)) fields.push(v);
    });
    const seen: string[] = [];
    input.partners.forEach((p, i) => {
      if (!p.partner_id) add(`partners[${i}].partner_id`, 'required', 'choose the organisation');
      else if (seen.includes(p.partner_id)) add(`partners[${i}].partner_id`, 'duplicate', 'this organisation is already listed');
      else if (!livePartner(p.partner_id) && !self?.input.partners.some((x) => x.partner_id === p.partner_id))
        add(`partners[${i}].partner_id`, 'not_found', `no partner with id ${p.partner_id}`);
      else seen.push(p.partner_id);
    });
    input.agreement_ids.forEach((a, i) => {
      if (!liveAgreement(a)) add(`agreement_ids[${i}]`, 'not_found', `no agreement with id ${a}`);
    });
    if (errors.length) throw invalid(errors);
    return {
      ...input,
      title,
      code: clean(input.code),
      notes: clean(input.notes),
      start_date: start,
      end_date: end,
      currency,
      fields,
      partners: input.partners.map((p) => ({ partner_id: p.partner_id, role: clean(p.role) })),
      agreement_ids: [...new Set(input.agreement_ids)],
    };
  };

  const PROJECT_COLUMNS = ['code', 'title', 'kind', 'status', 'start_date', 'end_date', 'budget', 'currency', 'notes'] as const;

  const writeProject = (input: ProjectInput, existing?: StoredProject): Project => {
    const id = existing?.id ?? newId('pr');
    const changes: FieldChange[] = [];
    for (const col of PROJECT_COLUMNS) {
      const old = existing ? existing.input[col] : null;
      if (old !== input[col] && !(existing === undefined && input[col] === null))
        changes.push({ table: 'project', row_id: id, column: col, old: old ?? null, new: input[col] });
    }
    const fieldsText = (f: string[]) => (f.length ? JSON.stringify(f) : null);
    const oldFields = existing ? fieldsText(existing.input.fields) : null;
    if (oldFields !== fieldsText(input.fields)) changes.push({ table: 'project', row_id: id, column: 'fields', old: oldFields, new: fieldsText(input.fields) });
    const links = new Map<string, string>();
    const wanted: { key: string; kind: string; target: string; role: string | null }[] = [
      ...input.partners.flatMap((p) => (p.partner_id ? [{ key: `partner|${p.partner_id}`, kind: 'partner', target: p.partner_id, role: p.role }] : [])),
      ...input.agreement_ids.map((a) => ({ key: `agreement|${a}`, kind: 'agreement', target: a, role: null })),
    ];
    for (const w of wanted) {
      const row = existing?.links.get(w.key);
      if (row) {
        links.set(w.key, row);
        const before = existing?.input.partners.find((p) => p.partner_id === w.target)?.role ?? null;
        if (w.kind === 'partner' && before !== w.role) changes.push({ table: 'project_link', row_id: row, column: 'role', old: before, new: w.role });
        continue;
      }
      const rowId = newId('pl');
      links.set(w.key, rowId);
      changes.push({ table: 'project_link', row_id: rowId, column: 'project_id', old: null, new: id });
      changes.push({ table: 'project_link', row_id: rowId, column: 'kind', old: null, new: w.kind });
      changes.push({ table: 'project_link', row_id: rowId, column: 'target_id', old: null, new: w.target });
      if (w.role) changes.push({ table: 'project_link', row_id: rowId, column: 'role', old: null, new: w.role });
    }
    for (const [key, row] of existing?.links ?? []) {
      if (!links.has(key)) changes.push({ table: 'project_link', row_id: row, column: 'deleted', old: 0, new: 1 });
    }
    const stored: StoredProject = { id, input, deleted: false, links };
    projects.set(id, stored);
    record(id, changes);
    return projectOf(stored);
  };

  const listProjects = (q: ProjectQuery): ProjectPage => {
    let rows = [...projects.values()].filter((p) => !p.deleted);
    if (q.kind) rows = rows.filter((p) => p.input.kind === q.kind);
    if (q.status) rows = rows.filter((p) => p.input.status === q.status);
    if (q.partner_id) rows = rows.filter((p) => p.input.partners.some((x) => x.partner_id === q.partner_id));
    if (q.agreement_id) rows = rows.filter((p) => p.input.agreement_ids.includes(q.agreement_id as string));
    if (q.search?.trim()) {
      const search = q.search;
      rows = rows.filter((p) =>
        matches([p.input.code, p.input.title, ...p.input.partners.map((x) => (x.partner_id ? partnerName(x.partner_id) : null))], search),
      );
    }
    const d = q.sort ? q.descending : true;
    const title = (p: StoredProject) => p.input.title;
    const first = {
      start_date: (p: StoredProject) => p.input.start_date,
      title,
      kind: (p: StoredProject) => placeIn(PROJECT_KINDS)(p.input.kind),
      status: (p: StoredProject) => placeIn(PROJECT_STATUSES)(p.input.status),
    }[q.sort ?? 'start_date'];
    sortBy(rows, [[first, d], [title, false]]);
    const limit = Math.min(q.limit || 100, 500);
    return {
      total: rows.length,
      offset: q.offset,
      rows: rows.slice(q.offset, q.offset + limit).map((p) => ({
        id: p.id,
        code: p.input.code,
        title: p.input.title,
        kind: p.input.kind,
        status: p.input.status,
        start_date: p.input.start_date,
        end_date: p.input.end_date,
      })),
    };
  };

  // ---------- events ----------

  const eventOf = (s: StoredEvent): Event => {
    const project = s.input.project_id ? projects.get(s.input.project_id) : undefined;
    return {
      id: s.id,
      ...s.input,
      project_title: project && !project.deleted ? project.input.title : null,
      organisers_read: s.input.organiser_ids.map((o) => ({ id: o, name: partnerName(o), role: null })),
      deleted: s.deleted,
    };
  };

  const checkEvent = (input: EventInput, self?: StoredEvent): EventInput => {
    const errors: FieldError[] = [];
    const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
    const title = input.title.trim();
    if (!title) add('title', 'required', 'an event needs a title');
    const start = clean(input.start_date);
    const end = clean(input.end_date);
    if (!start) add('start_date', 'required', 'an event needs a date');
    else if (!DATE.test(start)) add('start_date', 'date', `"${start}" is not a date (yyyy-mm-dd)`);
    if (end && !DATE.test(end)) add('end_date', 'date', `"${end}" is not a date (yyyy-mm-dd)`);
    if (start && end && DATE.test(start) && DATE.test(end) && end < start)
      add('end_date', 'end_before_start', `the event ends (${end}) before it starts (${start})`);
    for (const f of ['registered', 'attended'] as const) {
      const v = input[f];
      if (v !== null && v < 0) add(f, 'negative', `${f} cannot be negative`);
    }
    if (input.project_id && !liveProject(input.project_id)) add('project_id', 'not_found', `no project with id ${input.project_id}`);
    input.organiser_ids.forEach((o, i) => {
      if (!livePartner(o) && !self?.input.organiser_ids.includes(o)) add(`organiser_ids[${i}]`, 'not_found', `no partner with id ${o}`);
    });
    if (errors.length) throw invalid(errors);
    return {
      ...input,
      title,
      start_date: start,
      end_date: end,
      venue: clean(input.venue),
      notes: clean(input.notes),
      organiser_ids: [...new Set(input.organiser_ids)],
    };
  };

  const EVENT_COLUMNS = ['title', 'kind', 'start_date', 'end_date', 'online', 'venue', 'zone', 'project_id', 'registered', 'attended', 'notes'] as const;

  const writeEvent = (input: EventInput, existing?: StoredEvent): Event => {
    const id = existing?.id ?? newId('ev');
    const changes: FieldChange[] = [];
    for (const col of EVENT_COLUMNS) {
      const norm = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));
      const old = existing ? norm(existing.input[col]) : null;
      const now = norm(input[col]);
      if (old !== now && !(existing === undefined && (now === null || now === 0)))
        changes.push({ table: 'event', row_id: id, column: col, old: old as FieldChange['old'], new: now as FieldChange['new'] });
    }
    const organiserRows = new Map<string, string>();
    for (const o of input.organiser_ids) {
      const row = existing?.organiserRows.get(o);
      if (row) {
        organiserRows.set(o, row);
        continue;
      }
      const rowId = newId('eo');
      organiserRows.set(o, rowId);
      changes.push({ table: 'event_organiser', row_id: rowId, column: 'event_id', old: null, new: id });
      changes.push({ table: 'event_organiser', row_id: rowId, column: 'partner_id', old: null, new: o });
    }
    for (const [o, row] of existing?.organiserRows ?? []) {
      if (!organiserRows.has(o)) changes.push({ table: 'event_organiser', row_id: row, column: 'deleted', old: 0, new: 1 });
    }
    const stored: StoredEvent = { id, input, deleted: false, organiserRows };
    events.set(id, stored);
    record(id, changes);
    return eventOf(stored);
  };

  const listEvents = (q: EventQuery): EventPage => {
    let rows = [...events.values()].filter((e) => !e.deleted);
    if (q.kind) rows = rows.filter((e) => e.input.kind === q.kind);
    if (q.zone) rows = rows.filter((e) => e.input.zone === q.zone);
    if (q.project_id) rows = rows.filter((e) => e.input.project_id === q.project_id);
    if (q.partner_id) rows = rows.filter((e) => e.input.organiser_ids.includes(q.partner_id as string));
    if (q.search?.trim()) {
      const search = q.search;
      rows = rows.filter((e) => matches([e.input.title, e.input.venue], search));
    }
    const d = q.sort ? q.descending : true;
    const date = (e: StoredEvent) => e.input.start_date;
    const first = {
      date,
      title: (e: StoredEvent) => e.input.title,
      kind: (e: StoredEvent) => placeIn(EVENT_KINDS)(e.input.kind),
      zone: (e: StoredEvent) => placeIn(ZONES)(e.input.zone),
      attended: (e: StoredEvent) => e.input.attended,
    }[q.sort ?? 'date'];
    sortBy(rows, [[first, d], [date, true], [(e) => e.input.title, false]]);
    const limit = Math.min(q.limit || 100, 500);
    return {
      total: rows.length,
      offset: q.offset,
      rows: rows.slice(q.offset, q.offset + limit).map((e) => ({
        id: e.id,
        title: e.input.title,
        kind: e.input.kind,
        start_date: e.input.start_date,
        online: e.input.online,
        venue: e.input.venue,
        zone: e.input.zone,
        registered: e.input.registered,
        attended: e.input.attended,
      })),
    };
  };

  // ---------- documents ----------

  const recordExists = (id: string) =>
    partners.has(id) ||
    contacts.has(id) ||
    mobility.agreements.has(id) ||
    mobility.exchanges.has(id) ||
    calls.calls.has(id) ||
    calls.applications.has(id) ||
    projects.has(id) ||
    events.has(id);

  const attach = (owner: string, name: string, size: number, available = true): Document => {
    clock += 3_600_000;
    const id = newId('doc');
    const ext = name.split('.').pop()?.toLowerCase() ?? '';
    const doc: Document = {
      id,
      owner_id: owner,
      name,
      sha256: fakeSha(`${name}-${size}`),
      size,
      media_type: MEDIA[ext] ?? null,
      added_at: new Date(clock).toISOString().replace('.000', ''),
      available,
    };
    documents.set(id, { doc, deleted: false });
    return doc;
  };

  let attached = 0;
  const CANNED: [string, number][] = [
    ['Signed copy.pdf', 248_913],
    ['Budget 2026.xlsx', 48_220],
    ['Photo of the signing.jpg', 2_431_004],
  ];

  const setDocumentDeleted = (id: string, deleted: boolean) => {
    const d = documents.get(id);
    if (!d) throw notFound('document', id);
    d.deleted = deleted;
    return null;
  };

  // ---------- the dashboard ----------

  const NOT_COUNTED = new Set(['cancelled', 'withdrawn']);

  const dashboard = (q: DashboardQuery): Dashboard => {
    const today = ctx.today();
    const zones: ZoneFigures[] = ZONES.map((zone) => ({ zone, partners: 0, active_agreements: 0, incoming: 0, outgoing: 0, applications: 0 }));
    const at = (z: Zone | null | undefined) => (z ? zones.find((f) => f.zone === z) : undefined);
    for (const p of partners.values()) {
      const f = !p.deleted ? at(p.zone) : undefined;
      if (f) f.partners += 1;
    }
    let agreementsInForce = 0;
    for (const a of mobility.agreements.values()) {
      if (a.deleted || !mobility.inForce(a.input, today)) continue;
      agreementsInForce += 1;
      const inZones = new Set(a.input.parties.flatMap((p) => (p.partner_id ? [partners.get(p.partner_id)?.zone] : [])));
      for (const z of inZones) {
        const f = at(z);
        if (f) f.active_agreements += 1;
      }
    }
    const span = q.years === 0 ? 10 : Math.min(q.years, 50);
    const last = q.academic_year ?? academicYearOf(today);
    const years = new Map<string, YearFigures>();
    const totals = { incoming: 0, outgoing: 0, without_zone: 0 };
    for (const e of mobility.exchanges.values()) {
      const x = e.input;
      if (e.deleted || NOT_COUNTED.has(x.status)) continue;
      const inYear = q.academic_year === undefined || x.academic_year === q.academic_year;
      if (inYear) totals[x.direction] += 1;
      const other = x.direction === 'outgoing' ? x.host_id : x.home_id;
      const partner = other ? partners.get(other) : undefined;
      const zone = partner && !partner.deleted ? partner.zone : undefined;
      if (!zone) {
        if (inYear) totals.without_zone += 1;
        continue;
      }
      if (inYear) {
        const f = at(zone);
        if (f) f[x.direction] += 1;
      }
      if (x.academic_year !== null && x.academic_year >= last - span + 1 && x.academic_year <= last) {
        const key = `${x.academic_year}|${zone}`;
        const y = years.get(key) ?? { academic_year: x.academic_year, zone, incoming: 0, outgoing: 0 };
        y[x.direction] += 1;
        years.set(key, y);
      }
    }
    const applications = new Map<string, number>();
    for (const a of calls.applications.values()) {
      if (a.deleted || !a.input.call_id) continue;
      applications.set(a.input.status, (applications.get(a.input.status) ?? 0) + 1);
      const orgs = [a.input.lead_id, ...a.input.partners.map((p) => p.partner_id)];
      const inZones = new Set(orgs.flatMap((id) => (id ? [partners.get(id)] : [])).flatMap((p) => (p && !p.deleted ? [p.zone] : [])));
      for (const z of inZones) {
        const f = at(z);
        if (f) f.applications += 1;
      }
    }
    return {
      academic_year: q.academic_year ?? null,
      zones,
      agreements_in_force: agreementsInForce,
      totals,
      years: [...years.values()].sort((a, b) => a.academic_year - b.academic_year || a.zone.localeCompare(b.zone)),
      open_calls: [...calls.calls.values()].filter((c) => !c.deleted && c.input.status === 'open').length,
      applications: APPLICATION_STATUSES.flatMap((status): StatusCount[] => {
        const count = applications.get(status);
        return count ? [{ status, count }] : [];
      }),
    };
  };

  // ---------- reminders ----------

  const reminders = (withinDays: number): Reminder[] => {
    const today = ctx.today();
    const until = addDays(today, Math.min(withinDays, 3660));
    const inWindow = (d: string) => d >= today && d <= until;
    const out: Reminder[] = [];
    for (const a of mobility.agreements.values()) {
      const x = a.input;
      if (a.deleted || !['active', 'renewal_pending', 'under_signature'].includes(x.status) || !x.end_date || x.end_date < today) continue;
      const parties = x.parties
        .map((p) => (p.partner_id ? partnerName(p.partner_id) : null))
        .filter(Boolean)
        .join(' ; ');
      const detail = parties || null;
      if (inWindow(x.end_date)) out.push({ kind: 'agreement_expiry', date: x.end_date, entity: 'agreement', record_id: a.id, title: x.title, detail });
      if (x.notice_months && x.notice_months > 0) {
        const by = subMonths(x.end_date, x.notice_months);
        if (inWindow(by)) out.push({ kind: 'agreement_notice', date: by, entity: 'agreement', record_id: a.id, title: x.title, detail });
      }
    }
    for (const c of calls.calls.values()) {
      const x = c.input;
      if (c.deleted || !['draft', 'open'].includes(x.status) || !x.deadline_at) continue;
      const date = x.deadline_at.slice(0, 10);
      if (inWindow(date))
        out.push({
          kind: 'call_deadline',
          date,
          entity: 'call',
          record_id: c.id,
          title: x.title,
          detail: `${x.deadline_at}${x.programme ? ` — ${x.programme}` : ''}`,
        });
    }
    for (const e of mobility.exchanges.values()) {
      const x = e.input;
      if (e.deleted || !x.planned_start || !['applied', 'nominated', 'accepted'].includes(x.status) || !inWindow(x.planned_start)) continue;
      const person = x.person_id ? contacts.get(x.person_id) : undefined;
      out.push({
        kind: 'exchange_start',
        date: x.planned_start,
        entity: 'exchange',
        record_id: e.id,
        title: person && !person.deleted ? person.name : '(pending sync)',
        detail: `${(x.home_id && partnerName(x.home_id)) || '?'} → ${(x.host_id && partnerName(x.host_id)) || '?'}`,
      });
    }
    return out.sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
  };

  // ---------- what points to a record, search ----------

  const dependants = (id: string): Dependants[] => {
    const count = {
      project: [...projects.values()].filter(
        (p) => !p.deleted && (p.input.partners.some((x) => x.partner_id === id) || p.input.agreement_ids.includes(id)),
      ).length,
      event: [...events.values()].filter((e) => !e.deleted && (e.input.organiser_ids.includes(id) || e.input.project_id === id)).length,
    };
    return Object.entries(count)
      .filter(([, n]) => n > 0)
      .map(([entity, n]) => ({ entity, count: n }));
  };

  const search = (q: string, limit: number): SearchHit[] => {
    const hits: SearchHit[] = [];
    for (const p of projects.values()) {
      if (hits.length >= limit) return hits;
      const names = p.input.partners.flatMap((x) => (x.partner_id ? [partnerName(x.partner_id)] : []));
      if (!p.deleted && matches([p.input.code, p.input.title, ...names], q))
        hits.push({ entity: 'project', id: p.id, title: [p.input.code, p.input.title].filter(Boolean).join(' ; '), subtitle: names.filter(Boolean).join(' ; ') || null });
    }
    for (const e of events.values()) {
      if (hits.length >= limit) return hits;
      if (!e.deleted && matches([e.input.title, e.input.venue], q)) hits.push({ entity: 'event', id: e.id, title: e.input.title, subtitle: e.input.venue });
    }
    return hits;
  };

  const setDeleted = (map: Map<string, StoredProject> | Map<string, StoredEvent>, table: string, id: string, deleted: boolean) => {
    const rec = map.get(id);
    if (!rec) throw notFound(table, id);
    rec.deleted = deleted;
    record(id, [{ table, row_id: id, column: 'deleted', old: deleted ? 0 : 1, new: deleted ? 1 : 0 }]);
    return null;
  };

  // ---------- sample data ----------

  const seed = () => {
    const byName = (name: string) => [...partners.values()].find((p) => p.name === name)?.id ?? null;
    const agreementBy = (title: string) => [...mobility.agreements.values()].find((a) => a.input.title === title)?.id ?? null;
    const lyon = byName('Université Claude Bernard Lyon 1');
    const fudan = byName('Fudan University');
    const tokyo = byName('The University of Tokyo');
    const usp = byName('Universidade de São Paulo');
    if (!lyon || !fudan || !tokyo || !usp) return;
    const fudanExchange = agreementBy('Fudan – Lyon 1 student exchange');
    const tokyoExchange = agreementBy('UTokyo – Lyon 1 student and staff exchange');
    const flagship = writeProject({
      code: 'FLG-HEALTH',
      title: 'Lyon–Fudan flagship on healthy ageing',
      kind: 'flagship',
      status: 'active',
      start_date: '2024-01-01',
      end_date: '2028-12-31',
      budget: 120_000_000,
      currency: 'EUR',
      fields: ['health', '0912'],
      partners: [
        { partner_id: lyon, role: 'lead' },
        { partner_id: fudan, role: 'co-lead' },
      ],
      agreement_ids: fudanExchange ? [fudanExchange] : [],
      notes: 'Two joint PhD positions a year.',
    });
    const lab = writeProject({
      code: 'LIA-SUST',
      title: 'Joint laboratory for sustainable engineering',
      kind: 'joint_lab',
      status: 'active',
      start_date: '2023-04-01',
      end_date: null,
      budget: 45_000_000,
      currency: 'JPY',
      fields: ['engineering', 'sustainable_development'],
      partners: [
        { partner_id: tokyo, role: 'host' },
        { partner_id: lyon, role: null },
      ],
      agreement_ids: tokyoExchange ? [tokyoExchange] : [],
      notes: null,
    });
    writeProject({
      code: null,
      title: 'Lyon office in São Paulo',
      kind: 'representative_office',
      status: 'planned',
      start_date: '2026-09-01',
      end_date: null,
      budget: null,
      currency: null,
      fields: [],
      partners: [{ partner_id: usp, role: 'host' }],
      agreement_ids: [],
      notes: null,
    });
    const event = (patch: Partial<EventInput> & Pick<EventInput, 'title' | 'kind' | 'start_date'>): EventInput => ({
      end_date: null,
      online: false,
      venue: null,
      zone: null,
      project_id: null,
      organiser_ids: [],
      registered: null,
      attended: null,
      notes: null,
      ...patch,
    });
    writeEvent(
      event({
        title: 'Back-to-school webinar for incoming students',
        kind: 'webinar',
        start_date: '2025-09-10',
        online: true,
        organiser_ids: [lyon],
        registered: 240,
        attended: 187,
      }),
    );
    writeEvent(
      event({
        title: 'Workshop on low-carbon materials',
        kind: 'workshop',
        start_date: '2025-11-04',
        end_date: '2025-11-05',
        venue: 'Hongo campus, Tokyo',
        zone: 'japan',
        project_id: lab.id,
        organiser_ids: [tokyo, lyon],
        registered: 35,
        attended: 31,
      }),
    );
    writeEvent(
      event({
        title: 'Healthy ageing symposium',
        kind: 'symposium',
        start_date: '2026-05-18',
        end_date: '2026-05-20',
        online: true,
        venue: 'Fudan University, Shanghai',
        zone: 'china',
        project_id: flagship.id,
        organiser_ids: [fudan, lyon],
        registered: 120,
      }),
    );
    attach(fudan, 'Framework agreement (signed).pdf', 1_204_331);
    attach(fudan, 'Campus map.png', 381_200, false);
    attach(flagship.id, 'Flagship budget 2026.xlsx', 52_610);
  };

  const WRITES = [
    'project_create',
    'project_update',
    'project_delete',
    'project_restore',
    'event_create',
    'event_update',
    'event_delete',
    'event_restore',
    'document_attach',
    'document_remove',
    'document_restore',
  ];

  /** Answers a command of this module; `undefined` (not null) when the command is not one of them. */
  const handle = (cmd: string, args: Args): unknown => {
    switch (cmd) {
      case 'projects_list':
        return listProjects(args.query as ProjectQuery);
      case 'project_get': {
        const p = projects.get(String(args.id));
        if (!p) throw notFound('project', args.id);
        return projectOf(p);
      }
      case 'project_create':
      case 'project_update': {
        const existing = cmd === 'project_update' ? projects.get(String(args.id)) : undefined;
        if (cmd === 'project_update' && (!existing || existing.deleted)) throw notFound('project', args.id);
        return writeProject(checkProject(args.input as ProjectInput, existing), existing);
      }
      case 'project_delete':
        return setDeleted(projects, 'project', String(args.id), true);
      case 'project_restore':
        return setDeleted(projects, 'project', String(args.id), false);
      case 'events_list':
        return listEvents(args.query as EventQuery);
      case 'event_get': {
        const e = events.get(String(args.id));
        if (!e) throw notFound('event', args.id);
        return eventOf(e);
      }
      case 'event_create':
      case 'event_update': {
        const existing = cmd === 'event_update' ? events.get(String(args.id)) : undefined;
        if (cmd === 'event_update' && (!existing || existing.deleted)) throw notFound('event', args.id);
        return writeEvent(checkEvent(args.input as EventInput, existing), existing);
      }
      case 'event_delete':
        return setDeleted(events, 'event', String(args.id), true);
      case 'event_restore':
        return setDeleted(events, 'event', String(args.id), false);
      case 'dashboard':
        return dashboard((args.query ?? { years: 10 }) as DashboardQuery);
      case 'reminders':
        return reminders(Number(args.withinDays ?? 90));
      case 'reminders_export':
        // The app asks where to save in a native dialog; here, a canned path.
        return `/home/demo/Documents/liaison-reminders-${Number(args.withinDays ?? 90)}d.ics`;
      case 'documents_list': {
        const owner = String(args.owner);
        return [...documents.values()]
          .filter((d) => !d.deleted && d.doc.owner_id === owner)
          .map((d) => d.doc)
          .sort((a, b) => (a.added_at ?? '').localeCompare(b.added_at ?? '') || a.name.localeCompare(b.name));
      }
      case 'document_attach': {
        // The app lets the user pick files in a native dialog; here, one canned file each time.
        const owner = String(args.owner);
        if (!recordExists(owner)) throw notFound('record', owner);
        const [name, size] = CANNED[attached++ % CANNED.length];
        return [attach(owner, name, size)];
      }
      case 'document_open': {
        if (!documents.has(String(args.id))) throw notFound('document', args.id);
        return null;
      }
      case 'document_remove':
        return setDocumentDeleted(String(args.id), true);
      case 'document_restore':
        return setDocumentDeleted(String(args.id), false);
      default:
        return undefined;
    }
  };

  return { handle, projects, events, documents, dependants, search, seed, writeProject, writeEvent, attach, WRITES };
}

export type Activities = ReturnType<typeof createActivities>;
