// An in-memory stand-in for the Rust core, answering the same IPC commands with the same types.
// Used by `npm run dev` in a plain browser and by the tests; never part of the Tauri build's behaviour.
import type { Contact } from '../bindings/Contact';
import type { Criterion } from '../bindings/Criterion';
import type { ContactInput } from '../bindings/ContactInput';
import type { ContactQuery } from '../bindings/ContactQuery';
import type { ContactRow } from '../bindings/ContactRow';
import type { Dependants } from '../bindings/Dependants';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { IpcError } from '../bindings/IpcError';
import type { OrgKind } from '../bindings/OrgKind';
import type { Partner } from '../bindings/Partner';
import type { PartnerInput } from '../bindings/PartnerInput';
import type { PartnerQuery } from '../bindings/PartnerQuery';
import type { PartnerRow } from '../bindings/PartnerRow';
import type { Score } from '../bindings/Score';
import type { SearchHit } from '../bindings/SearchHit';
import type { WorkspaceStatus } from '../bindings/WorkspaceStatus';
import { COUNTRY_CODES, RULES, zoneOfCountry } from './fakeRules';
import { createActivities, type Activities } from './fakeActivities';
import { createCalls, weightedScore, type Calls } from './fakeCalls';
import { agreementInput, createMobility, exchangeInput, type Mobility } from './fakeMobility';

type Args = Record<string, unknown>;

export interface FakeOptions {
  initialised?: boolean;
  /** Synthetic partners added after the sample ones. */
  extraPartners?: number;
  /** Synthetic exchanges added after the sample ones (over 10,000: the list's count is capped). */
  extraExchanges?: number;
  replicaName?: string;
  /** yyyy-mm-dd: "today" for the agreements' effective status; the real date by default. */
  today?: string;
}

export interface FakeBackend {
  handle: (cmd: string, args: Args) => unknown;
  partners: Map<string, Partner>;
  contacts: Map<string, Contact>;
  /** Agreements and exchanges. */
  mobility: Mobility;
  /** Calls for projects and applications. */
  projects: Calls;
  /** Projects, events, documents (and the dashboard and reminders computed from everything). */
  activities: Activities;
  calls: { cmd: string; args: Args }[];
  /** Was the last command a write (the caller then emits `changed`)? */
  isWrite: (cmd: string) => boolean;
}

const SAMPLES: [string, string | null, string, string, OrgKind, { value: string; lang: string }[]][] = [
  ['Fudan University', 'FDU', 'CN', 'Shanghai', 'university', [{ value: '复旦大学', lang: 'zh-Hans' }]],
  ['The University of Tokyo', 'UTokyo', 'JP', 'Tokyo', 'university', [{ value: '東京大学', lang: 'ja' }]],
  ['Universidade de São Paulo', 'USP', 'BR', 'São Paulo', 'university', []],
  ['Université de Montréal', 'UdeM', 'CA', 'Montréal', 'university', []],
  ['Shanghai Jiao Tong University', 'SJTU', 'CN', 'Shanghai', 'university', [{ value: '上海交通大学', lang: 'zh-Hans' }]],
  ['Kyoto University', null, 'JP', 'Kyoto', 'university', [{ value: '京都大学', lang: 'ja' }]],
  ['Université Claude Bernard Lyon 1', 'UCBL', 'FR', 'Villeurbanne', 'university', []],
  ['National Taiwan University', 'NTU', 'TW', 'Taipei', 'university', [{ value: '國立臺灣大學', lang: 'zh-Hant' }]],
  ['Seoul National University', 'SNU', 'KR', 'Seoul', 'university', [{ value: '서울대학교', lang: 'ko' }]],
  ['Universidade Estadual de Campinas', 'Unicamp', 'BR', 'Campinas', 'university', []],
  ['Japan Society for the Promotion of Science', 'JSPS', 'JP', 'Tokyo', 'funder', [{ value: '日本学術振興会', lang: 'ja' }]],
  ['Laboratoire de Physique des 2 Infinis', 'IP2I', 'FR', 'Lyon', 'laboratory', []],
];
const CITIES = ['Lyon', 'Beijing', 'Osaka', 'Rio de Janeiro', 'Toronto', 'Berlin', 'Madrid', 'Québec', 'Nagoya', 'Wuhan'];
const COUNTRIES = ['FR', 'CN', 'JP', 'BR', 'CA', 'DE', 'ES', 'CA', 'JP', 'CN'];
const KINDS: OrgKind[] = ['university', 'school', 'laboratory', 'funder', 'government_agency', 'company', 'other'];

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

function invalid(fields: FieldError[]): IpcError {
  return { kind: 'invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  let initialised = options.initialised ?? true;
  let replicaName: string | null = initialised ? (options.replicaName ?? 'Lyon office') : null;
  const partners = new Map<string, Partner>();
  const contacts = new Map<string, Contact>();
  const ops = new Map<string, HistoryEntry[]>();
  const calls: { cmd: string; args: Args }[] = [];
  let seq = 0;
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);

  const newId = (prefix: string) => `${prefix}-${(++seq).toString(36).padStart(6, '0')}`;

  const record = (id: string, changes: FieldChange[]) => {
    if (changes.length === 0) return;
    clock += 60_000;
    const list = ops.get(id) ?? [];
    list.push({ hlc: clock * 65536 + seq, at: new Date(clock).toISOString().replace('.000', ''), origin: 'r1', author: replicaName ?? 'r1', changes });
    ops.set(id, list);
  };

  const mobility = createMobility({
    partners,
    contacts,
    newId,
    record: (id, changes) => record(id, changes),
    matches: (hay, q) => matches(hay, q),
    today: () => options.today ?? new Date().toISOString().slice(0, 10),
  });
  const projects = createCalls({
    partners,
    contacts,
    newId,
    record: (id, changes) => record(id, changes),
    matches: (hay, q) => matches(hay, q),
  });
  const activities = createActivities({
    partners,
    contacts,
    mobility,
    calls: projects,
    newId,
    record: (id, changes) => record(id, changes),
    matches: (hay, q) => matches(hay, q),
    today: () => options.today ?? new Date().toISOString().slice(0, 10),
  });

  const partnerRow = (p: Partner): PartnerRow => ({
    id: p.id,
    name: p.name,
    acronym: p.acronym,
    kind: p.kind,
    country: p.country,
    city: p.city,
    zone: p.zone,
    status: p.status,
  });

  const validatePartner = (input: PartnerInput, self?: string): FieldError[] => {
    const errors: FieldError[] = [];
    if (input.names.length === 0) errors.push({ field: 'names', code: 'required', message: 'a partner needs at least one name' });
    input.names.forEach((n, i) => {
      if (!n.value.trim()) errors.push({ field: `names[${i}].value`, code: 'required', message: 'a name cannot be empty' });
      if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(n.lang.trim()))
        errors.push({ field: `names[${i}].lang`, code: 'language', message: `"${n.lang}" is not a BCP-47 language tag` });
    });
    if (input.names.filter((n) => n.primary).length > 1)
      errors.push({ field: 'names', code: 'one_primary', message: 'only one name can be the primary name' });
    if (input.country && !COUNTRY_CODES.includes(input.country.toUpperCase()))
      errors.push({ field: 'country', code: 'country', message: `"${input.country}" is not an ISO 3166-1 country code` });
    if (input.website && !/^https?:\/\/[^\s/]+/.test(input.website))
      errors.push({ field: 'website', code: 'url', message: `"${input.website}" is not a web address starting with https://` });
    if (input.acronym && input.acronym.length > 32) errors.push({ field: 'acronym', code: 'too_long', message: 'an acronym has at most 32 characters' });
    input.identifiers.forEach((ident, i) => {
      if (ident.scheme === 'pic' && !/^\d{9}$/.test(ident.value))
        errors.push({ field: `identifiers[${i}].value`, code: 'identifier_pic', message: 'not a PIC' });
    });
    if (input.parent_id && input.parent_id === self) errors.push({ field: 'parent_id', code: 'cycle', message: 'an organisation cannot be its own parent' });
    return errors;
  };

  const writePartner = (input: PartnerInput, existing?: Partner): Partner => {
    const id = existing?.id ?? newId('p');
    const names = input.names.map((n) => ({ id: n.id ?? newId('n'), value: n.value.trim(), lang: n.lang.trim(), primary: n.primary }));
    if (!names.some((n) => n.primary) && names[0]) names[0].primary = true;
    const parent = input.parent_id ? partners.get(input.parent_id) : undefined;
    const partner: Partner = {
      id,
      name: names.find((n) => n.primary)?.value ?? '',
      names,
      acronym: input.acronym,
      kind: input.kind,
      parent_id: input.parent_id,
      parent_name: parent ? parent.name : null,
      country: input.country ? input.country.toUpperCase() : null,
      city: input.city,
      zone: input.zone ?? zoneOfCountry(input.country),
      website: input.website,
      status: input.status,
      identifiers: input.identifiers.map((i) => ({ id: i.id ?? newId('i'), scheme: i.scheme, value: i.value })),
      tags: input.tags,
      notes: input.notes,
      created_at: existing?.created_at ?? new Date(clock).toISOString(),
      deleted: false,
      units: existing?.units ?? [],
      contacts: existing?.contacts ?? [],
    };
    const changes: FieldChange[] = [];
    for (const col of ['acronym', 'kind', 'parent_id', 'country', 'city', 'zone', 'website', 'status', 'notes'] as const) {
      const old = existing ? existing[col] : null;
      if (old !== partner[col]) changes.push({ table: 'partner', row_id: id, column: col, old, new: partner[col] });
    }
    for (const n of names) {
      const before = existing?.names.find((x) => x.id === n.id);
      if (!before) {
        changes.push({ table: 'partner_name', row_id: n.id, column: 'partner_id', old: null, new: id });
        changes.push({ table: 'partner_name', row_id: n.id, column: 'value', old: null, new: n.value });
        changes.push({ table: 'partner_name', row_id: n.id, column: 'lang', old: null, new: n.lang });
        changes.push({ table: 'partner_name', row_id: n.id, column: 'is_primary', old: null, new: n.primary ? 1 : 0 });
      } else {
        if (before.value !== n.value) changes.push({ table: 'partner_name', row_id: n.id, column: 'value', old: before.value, new: n.value });
        if (before.lang !== n.lang) changes.push({ table: 'partner_name', row_id: n.id, column: 'lang', old: before.lang, new: n.lang });
        if (before.primary !== n.primary)
          changes.push({ table: 'partner_name', row_id: n.id, column: 'is_primary', old: before.primary ? 1 : 0, new: n.primary ? 1 : 0 });
      }
    }
    for (const n of existing?.names ?? []) {
      if (!names.some((x) => x.id === n.id)) changes.push({ table: 'partner_name', row_id: n.id, column: 'deleted', old: 0, new: 1 });
    }
    partners.set(id, partner);
    record(id, changes);
    // Units of the old and new parent, and the names of this partner's units' parent.
    for (const parentId of new Set([existing?.parent_id, partner.parent_id, id])) {
      const parentRec = parentId ? partners.get(parentId) : undefined;
      if (!parentRec) continue;
      parentRec.units = [...partners.values()]
        .filter((u) => u.parent_id === parentRec.id && !u.deleted)
        .map((u) => ({ id: u.id, name: u.name }));
      for (const unit of parentRec.units) {
        const u = partners.get(unit.id);
        if (u) u.parent_name = parentRec.name;
      }
    }
    return partner;
  };

  const contactName = (c: Pick<Contact, 'title' | 'given_name' | 'family_name' | 'native_name'>) => {
    const latin = [c.title, c.given_name, c.family_name?.toUpperCase()].filter(Boolean);
    const hasLatin = latin.length > (c.title ? 1 : 0);
    if (hasLatin && c.native_name) return `${latin.join(' ')} (${c.native_name})`;
    if (hasLatin) return latin.join(' ');
    return c.native_name ?? '';
  };

  const refreshContacts = () => {
    for (const p of partners.values()) {
      p.contacts = [...contacts.values()]
        .filter((c) => !c.deleted)
        .flatMap((c) =>
          c.affiliations
            .filter((a) => a.partner_id === p.id)
            .map((a) => ({ contact_id: c.id, name: c.name, role: a.role, start_date: a.start_date, end_date: a.end_date })),
        );
    }
    for (const c of contacts.values()) {
      for (const a of c.affiliations) a.partner_name = partners.get(a.partner_id)?.name ?? null;
    }
  };

  const writeContact = (input: ContactInput, existing?: Contact): Contact => {
    const id = existing?.id ?? newId('c');
    const contact: Contact = {
      id,
      name: '',
      given_name: input.given_name,
      family_name: input.family_name,
      native_name: input.native_name,
      title: input.title,
      emails: input.emails,
      phones: input.phones,
      languages: input.languages,
      affiliations: input.affiliations.flatMap((a) => (a.partner_id ? [{ ...a, partner_id: a.partner_id }] : [])).map((a) => ({
        id: a.id ?? newId('a'),
        partner_id: a.partner_id,
        partner_name: partners.get(a.partner_id)?.name ?? null,
        role: a.role,
        start_date: a.start_date,
        end_date: a.end_date,
      })),
      notes: input.notes,
      created_at: existing?.created_at ?? new Date(clock).toISOString(),
      deleted: false,
    };
    contact.name = contactName(contact);
    const changes: FieldChange[] = [];
    for (const col of ['given_name', 'family_name', 'native_name', 'title', 'notes'] as const) {
      const old = existing ? existing[col] : null;
      if (old !== contact[col]) changes.push({ table: 'contact', row_id: id, column: col, old, new: contact[col] });
    }
    contacts.set(id, contact);
    record(id, changes);
    refreshContacts();
    return contact;
  };

  // Sample data.
  const seedPartners = () => {
    SAMPLES.forEach(([name, acronym, country, city, kind, others], i) => {
      writePartner({
        names: [{ value: name, lang: 'en', primary: true }, ...others.map((o) => ({ ...o, primary: false }))],
        acronym,
        kind,
        parent_id: null,
        country,
        city,
        zone: null,
        website: `https://www.example-${i}.edu`,
        status: i % 5 === 4 ? 'prospect' : 'active',
        identifiers: [],
        tags: i % 2 ? ['erasmus'] : ['double-degree'],
        notes: null,
      });
    });
    const [fudan, tokyo] = [...partners.values()];
    writeContact({
      title: 'Prof.',
      given_name: 'Wei',
      family_name: 'Li',
      native_name: '李伟',
      emails: ['li.wei@fudan.example.cn'],
      phones: ['+86 21 6564 2222'],
      languages: ['zh-Hans', 'en'],
      affiliations: [{ partner_id: fudan.id, role: 'Dean of international affairs', start_date: '2019-09-01', end_date: null }],
      notes: null,
    });
    writeContact({
      title: null,
      given_name: 'Hanako',
      family_name: 'Tanaka',
      native_name: '田中 花子',
      emails: ['tanaka@tokyo.example.jp'],
      phones: [],
      languages: ['ja', 'fr'],
      affiliations: [{ partner_id: tokyo.id, role: 'Exchange coordinator', start_date: null, end_date: null }],
      notes: 'Prefers e-mail.',
    });
    for (let i = 0; i < (options.extraPartners ?? 0); i++) {
      const id = `x-${i}`;
      const country = COUNTRIES[i % COUNTRIES.length];
      partners.set(id, {
        id,
        name: `Partner ${String(i).padStart(6, '0')}`,
        names: [{ id: `xn-${i}`, value: `Partner ${String(i).padStart(6, '0')}`, lang: 'en', primary: true }],
        acronym: null,
        kind: KINDS[i % KINDS.length],
        parent_id: null,
        parent_name: null,
        country,
        city: CITIES[i % CITIES.length],
        zone: zoneOfCountry(country),
        website: null,
        status: i % 7 === 0 ? 'inactive' : 'active',
        identifiers: [],
        tags: [],
        notes: null,
        created_at: null,
        deleted: false,
        units: [],
        contacts: [],
      });
    }
    seedMobility();
    projects.seed();
    activities.seed();
  };

  /** Sample agreements between Lyon 1 and its partners, and a few exchanges under them. */
  const seedMobility = () => {
    const byName = (name: string) => [...partners.values()].find((p) => p.name === name)?.id ?? null;
    const lyon = byName('Université Claude Bernard Lyon 1');
    const fudan = byName('Fudan University');
    const tokyo = byName('The University of Tokyo');
    const usp = byName('Universidade de São Paulo');
    const montreal = byName('Université de Montréal');
    const party = (partner_id: string | null, role: string | null = null) => ({
      partner_id,
      unit_id: null,
      role,
      signatory_id: null,
      signed_date: null,
    });
    const [wei, hanako] = [...contacts.values()];
    const framework = mobility.writeAgreement(
      agreementInput({
        code: 'FDU-2021-01',
        title: 'Framework agreement Fudan – Lyon 1',
        kind: 'framework',
        status: 'active',
        signed_date: '2021-06-15',
        start_date: '2021-09-01',
        end_date: '2031-08-31',
        auto_renewal: true,
        notice_months: 6,
        fields: ['health', '0912'],
        parties: [{ ...party(fudan), signatory_id: wei?.id ?? null, signed_date: '2021-06-15' }, party(lyon)],
      }),
    );
    const fudanExchange = mobility.writeAgreement(
      agreementInput({
        code: 'FDU-2021-02',
        title: 'Fudan – Lyon 1 student exchange',
        kind: 'student_exchange',
        parent_id: framework.id,
        status: 'active',
        start_date: '2021-09-01',
        end_date: '2031-08-31',
        fields: ['0912', '0511'],
        parties: [party(fudan), party(lyon, 'coordinator')],
        conditions: [
          { mobility: 'student_study', sending_id: fudan, receiving_id: lyon, places: 3, months: 30, levels: ['eqf7'], languages: [{ lang: 'fr', cefr: 'B1' }], first_year: 2021, last_year: 2030 },
          { mobility: 'student_study', sending_id: lyon, receiving_id: fudan, places: 3, months: 30, levels: ['eqf7'], languages: [{ lang: 'en', cefr: 'B2' }], first_year: 2021, last_year: 2030 },
        ],
      }),
    );
    const tokyoExchange = mobility.writeAgreement(
      agreementInput({
        code: 'UT-2023-07',
        title: 'UTokyo – Lyon 1 student and staff exchange',
        kind: 'student_exchange',
        status: 'active',
        signed_date: '2023-02-20',
        start_date: '2023-04-01',
        end_date: '2028-03-31',
        fields: ['engineering', 'sustainable_development'],
        parties: [party(tokyo), party(lyon)],
        conditions: [
          { mobility: 'student_study', sending_id: tokyo, receiving_id: lyon, places: 2, months: 20, levels: ['eqf6', 'eqf7'], languages: [{ lang: 'en', cefr: 'B2' }], first_year: 2023, last_year: 2027 },
          { mobility: 'student_study', sending_id: lyon, receiving_id: tokyo, places: 2, months: 20, levels: ['eqf6', 'eqf7'], languages: [{ lang: 'ja', cefr: 'A2' }], first_year: 2023, last_year: 2027 },
          { mobility: 'staff_teaching', sending_id: tokyo, receiving_id: lyon, places: 1, months: null, levels: [], languages: [], first_year: 2023, last_year: 2027 },
        ],
      }),
    );
    mobility.writeAgreement(
      agreementInput({
        title: 'USP – Lyon 1 double degree in engineering',
        kind: 'double_degree',
        status: 'negotiation',
        fields: ['engineering', '0710'],
        parties: [party(usp), party(lyon)],
      }),
    );
    mobility.writeAgreement(
      agreementInput({
        code: 'UdeM-2019',
        title: 'Montréal – Lyon 1 research cooperation',
        kind: 'research',
        status: 'active',
        start_date: '2019-01-01',
        end_date: '2024-12-31',
        parties: [party(montreal), party(lyon)],
      }),
    );
    const [tokyoIn, , tokyoStaff] = tokyoExchange.conditions;
    if (hanako) {
      mobility.writeExchange(
        exchangeInput({
          person_id: hanako.id,
          direction: 'incoming',
          category: 'staff',
          programme: 'agreement',
          home_id: tokyo,
          host_id: lyon,
          agreement_id: tokyoExchange.id,
          condition_id: tokyoStaff?.id ?? null,
          academic_year: 2025,
          planned_start: '2025-10-06',
          planned_end: '2025-10-17',
          language: 'fr',
          cefr: 'B2',
          funding: 'JSPS',
          amount: 180000,
          currency: 'EUR',
          status: 'accepted',
          cohort: 'UTokyo staff week 2025',
        }),
      );
    }
    if (wei) {
      mobility.writeExchange(
        exchangeInput({
          person_id: wei.id,
          direction: 'incoming',
          category: 'staff',
          programme: 'delegation_visit',
          home_id: fudan,
          host_id: lyon,
          agreement_id: framework.id,
          academic_year: 2024,
          planned_start: '2024-11-12',
          planned_end: '2024-11-15',
          actual_start: '2024-11-12',
          actual_end: '2024-11-15',
          funding: 'Région',
          status: 'completed',
        }),
      );
      mobility.writeExchange(
        exchangeInput({
          person_id: wei.id,
          direction: 'outgoing',
          category: 'researcher',
          programme: 'agreement',
          home_id: lyon,
          host_id: fudan,
          agreement_id: fudanExchange.id,
          academic_year: 2026,
          planned_start: '2026-09-01',
          planned_end: '2027-01-31',
          field: '0912',
          status: 'applied',
        }),
      );
    }
    // Synthetic exchanges, to try the list at scale (`?exchanges=N` in dev).
    const people = [...contacts.values()].map((c) => c.id);
    const others = [fudan, tokyo, usp, montreal, byName('Shanghai Jiao Tong University'), byName('Kyoto University')].filter(
      (x): x is string => x !== null,
    );
    const statuses = ['applied', 'nominated', 'accepted', 'ongoing', 'completed', 'completed', 'cancelled'] as const;
    const categories = ['student', 'student', 'doctoral', 'staff', 'researcher'] as const;
    for (let i = 0; i < (options.extraExchanges ?? 0) && people.length && lyon; i++) {
      const outgoing = i % 3 === 0;
      const other = others[i % others.length];
      const year = 2026 - (i % 12);
      mobility.writeExchange(
        exchangeInput({
          person_id: people[i % people.length],
          direction: outgoing ? 'outgoing' : 'incoming',
          category: categories[i % categories.length],
          programme: i % 11 === 0 ? 'summer_school' : 'agreement',
          home_id: outgoing ? lyon : other,
          host_id: outgoing ? other : lyon,
          academic_year: year,
          planned_start: `${year}-09-${String((i % 28) + 1).padStart(2, '0')}`,
          status: statuses[i % statuses.length],
          cohort: i % 50 === 0 ? `Summer school ${year}` : null,
          agreement_id: other === tokyo && year >= 2023 ? tokyoExchange.id : null,
          condition_id: other === tokyo && year >= 2023 && !outgoing ? (tokyoIn?.id ?? null) : null,
        }),
        undefined,
        true,
      );
    }
  };
  if (initialised) seedPartners();

  const need = () => {
    if (!initialised) throw { kind: 'not_initialised', message: 'the database is not initialised', fields: [] } satisfies IpcError;
  };
  const notFound = (entity: string, id: unknown): IpcError => ({ kind: 'not_found', message: `no ${entity} with id ${String(id)}`, fields: [] });

  const matches = (hay: (string | null | undefined)[], q: string) => {
    const needle = fold(q.trim());
    return hay.some((h) => h && fold(h).includes(needle));
  };

  // The filtered, sorted list of the last query, reused while paging (100,000 rows are slow to sort).
  let version = 0;
  let cache: { key: string; rows: Partner[] } | null = null;
  const listPartners = (q: PartnerQuery) => {
    const key = JSON.stringify({ ...q, offset: 0, limit: 0, version });
    const rows = cache?.key === key ? cache.rows : filterPartners(q);
    cache = { key, rows };
    const limit = Math.min(q.limit || 100, 500);
    return { total: rows.length, offset: q.offset, rows: rows.slice(q.offset, q.offset + limit).map(partnerRow) };
  };

  const filterPartners = (q: PartnerQuery): Partner[] => {
    let rows = [...partners.values()].filter((p) => !p.deleted);
    if (q.zone) rows = rows.filter((p) => p.zone === q.zone);
    if (q.country) rows = rows.filter((p) => p.country === q.country);
    if (q.kind) rows = rows.filter((p) => p.kind === q.kind);
    if (q.status) rows = rows.filter((p) => p.status === q.status);
    if (q.search) {
      rows = rows.filter((p) => matches([...p.names.map((n) => n.value), p.acronym, p.city, ...p.identifiers.map((i) => i.value)], q.search as string));
    } else {
      const key = q.sort ?? 'name';
      rows.sort((a, b) => {
        const av = String(a[key] ?? '');
        const bv = String(b[key] ?? '');
        return av.localeCompare(bv) || a.name.localeCompare(b.name);
      });
      if (q.descending) rows.reverse();
    }
    return rows;
  };

  const listContacts = (q: ContactQuery) => {
    let rows = [...contacts.values()].filter((c) => !c.deleted);
    if (q.partner_id) rows = rows.filter((c) => c.affiliations.some((a) => a.partner_id === q.partner_id));
    if (q.search) rows = rows.filter((c) => matches([c.name, c.native_name, ...c.emails, ...c.affiliations.map((a) => a.partner_name)], q.search as string));
    else {
      rows.sort((a, b) => (a.family_name ?? a.name).localeCompare(b.family_name ?? b.name));
      if (q.descending) rows.reverse();
    }
    const limit = Math.min(q.limit || 100, 500);
    return {
      total: rows.length,
      offset: q.offset,
      rows: rows.slice(q.offset, q.offset + limit).map(
        (c): ContactRow => ({
          id: c.id,
          name: c.name,
          native_name: c.native_name,
          email: c.emails[0] ?? null,
          organisation: c.affiliations[0]?.partner_name ?? null,
          organisation_id: c.affiliations[0]?.partner_id ?? null,
          role: c.affiliations[0]?.role ?? null,
        }),
      ),
    };
  };

  const setDeleted = (id: string, deleted: boolean, map: Map<string, Partner> | Map<string, Contact>, table: string) => {
    const rec = map.get(id);
    if (!rec) throw notFound(table, id);
    rec.deleted = deleted;
    record(id, [{ table, row_id: id, column: 'deleted', old: deleted ? 0 : 1, new: deleted ? 1 : 0 }]);
    refreshContacts();
    return null;
  };

  const WRITES = new Set([
    'workspace_start',
    'partner_create',
    'partner_update',
    'partner_delete',
    'partner_restore',
    'contact_create',
    'contact_update',
    'contact_delete',
    'contact_restore',
    ...mobility.WRITES,
    ...projects.WRITES,
    ...activities.WRITES,
  ]);

  const handle = (cmd: string, args: Args): unknown => {
    calls.push({ cmd, args });
    if (WRITES.has(cmd)) version += 1;
    switch (cmd) {
      case 'rules':
        return RULES;
      case 'review_score':
        return weightedScore(args.criteria as Criterion[], args.scores as Score[]);
      case 'workspace_status':
        return status();
      case 'workspace_start':
        initialised = true;
        replicaName = String(args.name ?? 'Lyon office');
        if (args.choice === 'demo') seedPartners();
        return status();
    }
    need();
    switch (cmd) {
      case 'partners_list':
        return listPartners(args.query as PartnerQuery);
      case 'partner_countries':
        return [...new Set([...partners.values()].filter((p) => !p.deleted && p.country).map((p) => p.country as string))].sort();
      case 'partner_get': {
        const p = partners.get(String(args.id));
        if (!p) throw notFound('partner', args.id);
        return p;
      }
      case 'partner_create':
      case 'partner_update': {
        const input = args.input as PartnerInput;
        const existing = cmd === 'partner_update' ? partners.get(String(args.id)) : undefined;
        if (cmd === 'partner_update' && !existing) throw notFound('partner', args.id);
        const errors = validatePartner(input, existing?.id);
        if (errors.length) throw invalid(errors);
        return writePartner(input, existing);
      }
      case 'partner_delete':
        return setDeleted(String(args.id), true, partners, 'partner');
      case 'partner_restore':
        return setDeleted(String(args.id), false, partners, 'partner');
      case 'contacts_list':
        return listContacts(args.query as ContactQuery);
      case 'contact_get': {
        const c = contacts.get(String(args.id));
        if (!c) throw notFound('contact', args.id);
        return c;
      }
      case 'contact_create':
      case 'contact_update': {
        const input = args.input as ContactInput;
        const existing = cmd === 'contact_update' ? contacts.get(String(args.id)) : undefined;
        if (cmd === 'contact_update' && !existing) throw notFound('contact', args.id);
        const errors: FieldError[] = [];
        if (!input.given_name && !input.family_name && !input.native_name)
          errors.push({ field: 'family_name', code: 'required', message: 'a contact needs a name (family, given or native)' });
        input.emails.forEach((e, i) => {
          if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) errors.push({ field: `emails[${i}]`, code: 'email', message: `"${e}" is not an e-mail address` });
        });
        input.affiliations.forEach((a, i) => {
          if (!a.partner_id) errors.push({ field: `affiliations[${i}].partner_id`, code: 'required', message: 'choose the organisation' });
          if (a.start_date && a.end_date && a.end_date < a.start_date)
            errors.push({ field: `affiliations[${i}].end_date`, code: 'end_before_start', message: 'the affiliation ends before it starts' });
        });
        if (errors.length) throw invalid(errors);
        return writeContact(input, existing);
      }
      case 'contact_delete':
        return setDeleted(String(args.id), true, contacts, 'contact');
      case 'contact_restore':
        return setDeleted(String(args.id), false, contacts, 'contact');
      case 'search': {
        const q = String(args.query ?? '');
        const limit = Number(args.limit ?? 20);
        const hits: SearchHit[] = [];
        for (const p of partners.values()) {
          if (hits.length >= limit) break;
          if (!p.deleted && matches([...p.names.map((n) => n.value), p.acronym, p.city], q))
            hits.push({ entity: 'partner', id: p.id, title: p.name, subtitle: [p.city, p.country].filter(Boolean).join(', ') || null });
        }
        for (const c of contacts.values()) {
          if (hits.length >= limit) break;
          if (!c.deleted && matches([c.name, c.native_name, ...c.emails], q))
            hits.push({ entity: 'contact', id: c.id, title: c.name, subtitle: c.affiliations[0]?.partner_name ?? null });
        }
        if (hits.length < limit) hits.push(...mobility.searchAgreements(q, limit - hits.length));
        if (hits.length < limit) hits.push(...projects.search(q, limit - hits.length));
        if (hits.length < limit) hits.push(...activities.search(q, limit - hits.length));
        // Cohorts right after the best hit.
        hits.splice(Math.min(1, hits.length), 0, ...mobility.cohortHits(q));
        hits.splice(limit);
        // Each person's latest exchanges follow the person, in the places the other hits leave free.
        const withExchanges: SearchHit[] = [];
        hits.forEach((hit, i) => {
          withExchanges.push(hit);
          const free = limit - withExchanges.length - (hits.length - i - 1);
          if (hit.entity === 'contact' && free > 0) withExchanges.push(...mobility.exchangeHits(hit.id, hit.title, Math.min(3, free)));
        });
        return withExchanges;
      }
      case 'history':
        return ops.get(String(args.id)) ?? [];
      case 'dependants':
        return [
          ...(mobility.handle(cmd, args) as Dependants[]),
          ...projects.dependants(String(args.id)),
          ...activities.dependants(String(args.id)),
        ];
      default: {
        const answer = mobility.handle(cmd, args);
        if (answer !== undefined) return answer;
        const project = projects.handle(cmd, args);
        if (project !== undefined) return project;
        const activity = activities.handle(cmd, args);
        if (activity !== undefined) return activity;
        throw { kind: 'unknown', message: `unknown command ${cmd}`, fields: [] } satisfies IpcError;
      }
    }
  };

  function status(): WorkspaceStatus {
    return {
      initialised,
      replica_name: replicaName,
      partners: [...partners.values()].filter((p) => !p.deleted).length,
      contacts: [...contacts.values()].filter((c) => !c.deleted).length,
      path: '/tmp/liaison-dev.sqlite3',
    };
  }

  return { handle, partners, contacts, mobility, projects, activities, calls, isWrite: (cmd) => WRITES.has(cmd) };
}
