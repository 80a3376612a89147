import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Application } from '../bindings/Application';
import type { ApplicationInput } from '../bindings/ApplicationInput';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { Call } from '../bindings/Call';
import type { CallInput } from '../bindings/CallInput';
import type { CallQuery } from '../bindings/CallQuery';
import type { Contact } from '../bindings/Contact';
import type { IpcError } from '../bindings/IpcError';
import type { Partner } from '../bindings/Partner';
import type { Labels } from '../bindings/Labels';
import type { SearchHit } from '../bindings/SearchHit';
import i18n from '../i18n';
import { statusChoices } from '../lib/rules';
import { formatCallTime, localToRfc3339, rfc3339ToLocal, zoneOffsetMinutes } from '../lib/time';
import { fx, recordWhere } from './fixtures';
import { deletions, fixtureAnswer, ipcError, listAnswer, renderApp, saves, type Answer } from './harness';

// The demo's calls as the core answers them: one decided with six applications (three ranked, one below a
// criterion's threshold, two ineligible), one open requiring organisations from China and Japan.
const CALL = recordWhere(fx.call_get, (c) => c.applications.length === 6, 'call with six applications');
const ZONES_CALL = recordWhere(fx.call_get, (c) => c.rules.required_zones.length > 0, 'call requiring zones');
const ofCall = (pick: (a: Application) => boolean, what: string) =>
  recordWhere(fx.application_get, (a) => a.call_id === CALL.id && pick(a), what);
const FIRST = ofCall((a) => a.assessment.rank === 1, 'application ranked first');
const SECOND = ofCall((a) => a.assessment.rank === 2, 'application ranked second');
const BELOW = ofCall((a) => a.assessment.averages.some((x) => x.below_threshold), 'application below a threshold');
const LED_ABROAD = ofCall((a) => a.assessment.eligibility.checks.some((c) => c.rule === 'lyon_lead' && !c.ok), 'application led from abroad');
const TOO_FEW = recordWhere(CALL.applications, (a) => a.ineligible_because.length === 2, 'application with two failed rules');
const SUBMITTED = recordWhere(fx.application_get, (a) => a.status === 'submitted', 'submitted application');

// The same decided call as the core would answer it had it been set in Tokyo's time, in yen, requiring
// organisations from France & Europe and Japan.
const TOKYO_CALL: Call = {
  ...CALL,
  time_zone: 'Asia/Tokyo',
  currency: 'JPY',
  budget: 6_000_000,
  deadline_at: '2026-03-16T17:00:00+09:00',
  rules: { ...CALL.rules, required_zones: ['france_europe', 'japan'] },
};

const partnerRow = (pick: (name: string) => boolean) => recordWhere(fx.partners_list.rows, (r) => pick(r.name), 'partner row');
const contactRow = (pick: (name: string) => boolean) => recordWhere(fx.contacts_list.rows, (r) => pick(r.name), 'contact row');
const LYON_1 = partnerRow((n) => n === 'Université Claude Bernard Lyon 1');
const KYOTO = partnerRow((n) => n === '京都大学');
const UDL = partnerRow((n) => n === 'Université de Lyon');
const DUMONTET = contactRow((n) => n.includes('DUMONTET'));
const BERTHIER = contactRow((n) => n.includes('BERTHIER'));

/** Every partner the fixtures name (list rows, applications' leads and partners), with its country and labels. */
const partnerNames = new Map<string, { name: string | null; country: string | null; labels?: Labels | null }>([
  ...fx.partners_list.rows.map((r) => [r.id, { name: r.name, country: r.country }] as const),
  ...Object.values(fx.application_get).flatMap((a) => a.partners_read.map((p) => [p.partner_id, { name: p.name, country: p.country, labels: p.labels }] as const)),
]);
for (const a of Object.values(fx.application_get)) {
  if (a.lead_id) partnerNames.set(a.lead_id, { name: a.lead_name, country: null, ...partnerNames.get(a.lead_id), labels: a.lead_labels });
}

/** A name the core would label as itself in both languages. */
const plainLabels = (name: string | null): Labels => {
  const label = { name: name ?? '', lang: '', native: null, native_lang: null };
  return { en: label, fr: label };
};

/** "Tongji University同济大学": a partner's English label as the page's text reads it. */
const shown = (labels: Labels | null, name: string | null) => (labels ? labels.en.name + (labels.en.native ?? '') : name);

/** A partner's page for any partner the fixtures name: a fixture page with that partner's name and country. */
const partnerPages: Answer = (args, fx) => {
  const named = partnerNames.get(String(args.id));
  if (fx.partner_get[String(args.id)] || !named) return fixtureAnswer('partner_get', args, fx);
  return { ...Object.values(fx.partner_get)[0], id: String(args.id), ...named, labels: named.labels ?? plainLabels(named.name) } as Partner;
};

/** The pickers find: Lyon 1 for "Claude…", Kyoto for "Kyoto…"/"京都", Université de Lyon otherwise. */
const partnerSearch = listAnswer('partners_list', (q) => {
  const s = String(q.search ?? '');
  if (!s) return undefined;
  return [s.startsWith('Claude') ? LYON_1 : s.startsWith('Kyoto') || s.startsWith('京都') ? KYOTO : UDL];
});
/** The contact pickers find Claire DUMONTET for "Dumontet", Thomas BERTHIER otherwise. */
const contactSearch = listAnswer('contacts_list', (q) => {
  const s = String(q.search ?? '');
  if (!s) return undefined;
  return [s.startsWith('Dumontet') ? DUMONTET : BERTHIER];
});

/** The core's weighted score of the first review of the application ranked first (5, 4, 4 on the call's criteria). */
const SCORED = FIRST.reviews_read[0];
const reviewScore: Answer = (args) => {
  const scores = (args.scores as { score: number }[]).map((s) => s.score);
  return scores.join() === SCORED.scores.map((s) => s.score).join() ? SCORED.weighted : null;
};

const options = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);

describe('call times', () => {
  it('turn a wall-clock time in the call’s zone into RFC 3339 with that zone’s offset at that date', () => {
    expect(localToRfc3339('2026-09-01T09:00', 'Europe/Paris')).toBe('2026-09-01T09:00:00+02:00');
    expect(localToRfc3339('2026-12-15T17:00', 'Europe/Paris')).toBe('2026-12-15T17:00:00+01:00');
    // The last Sunday of March, after the change.
    expect(localToRfc3339('2026-03-29T03:30', 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
    expect(localToRfc3339('2026-03-29T01:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00+01:00');
    expect(localToRfc3339('2026-05-15T17:00', 'Asia/Tokyo')).toBe('2026-05-15T17:00:00+09:00');
    expect(localToRfc3339('2026-05-15T17:00', 'America/Sao_Paulo')).toBe('2026-05-15T17:00:00-03:00');
    expect(localToRfc3339('2026-05-15T17:00', 'UTC')).toBe('2026-05-15T17:00:00+00:00');
    expect(localToRfc3339('', 'Europe/Paris')).toBeNull();
    expect(localToRfc3339('2026-05-15T17:00', 'Mars/Olympus')).toBeUndefined();
    expect(zoneOffsetMinutes(Date.parse('2026-07-01T00:00:00Z'), 'Europe/Paris')).toBe(120);
  });

  it('show an RFC 3339 time in the call’s zone, with the zone’s name', () => {
    expect(rfc3339ToLocal('2026-12-15T17:00:00+01:00', 'Europe/Paris')).toBe('2026-12-15T17:00');
    expect(rfc3339ToLocal('2026-12-15T17:00:00+01:00', 'Asia/Shanghai')).toBe('2026-12-16T00:00');
    // Unknown zone: as written.
    expect(rfc3339ToLocal('2026-12-15T17:00:00+01:00', 'Nowhere/Else')).toBe('2026-12-15T17:00');
    expect(formatCallTime('2026-03-31T17:00:00+02:00', 'Europe/Paris', 'en')).toBe('Mar 31, 2026, 5:00 PM (Europe/Paris)');
    expect(formatCallTime('2026-03-31T17:00:00+02:00', 'Asia/Tokyo', 'en')).toBe('Apr 1, 2026, 12:00 AM (Asia/Tokyo)');
    expect(formatCallTime('2026-03-31T17:00:00+02:00', null, 'en')).toBe('Mar 31, 2026, 5:00 PM (UTC+02:00)');
  });
});

describe('application workflow', () => {
  it('offers the current status and the moves the core allows from it', () => {
    // The moves are the core's (fixture rules.json); the select offers the current status first.
    expect(statusChoices(fx.rules, 'draft')).toEqual(['draft', 'submitted', 'withdrawn']);
    expect(statusChoices(fx.rules, 'eligible')).toEqual(['eligible', 'under_evaluation', 'ineligible', 'withdrawn']);
    expect(statusChoices(fx.rules, 'funded')).toEqual(['funded', 'closed']);
    expect(statusChoices(fx.rules, 'withdrawn')).toEqual(['withdrawn']);
  });
});

describe('calls list', () => {
  it('lists calls with their deadline as announced, filters, searches and opens one with the keyboard', async () => {
    const decided = fx.calls_list.rows.filter((r) => r.id === CALL.id);
    const h = renderApp({
      overrides: {
        calls_list: listAnswer('calls_list', (q) => (q.status === 'decided' || q.search ? decided : undefined)),
      },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-calls'));
    const rows = await screen.findAllByTestId('call-row');
    expect(screen.getByTestId('nav-calls').getAttribute('aria-current')).toBe('page');
    expect(rows).toHaveLength(fx.calls_list.rows.length);
    expect(screen.getByTestId('call-count').textContent).toBe(`${fx.calls_list.total} calls`);
    // In the core's order; the deadline in the call's own time, with its offset.
    expect(rows[0].textContent).toContain(fx.calls_list.rows[0].title);
    expect(rows[0].textContent).toContain('Jan 15, 2027, 5:00 PM');
    expect(rows[0].textContent).toContain('UTC+01:00');
    const call = rows.find((r) => r.textContent?.includes(CALL.title)) as HTMLElement;
    expect(call.textContent).toContain('Decided');
    expect(within(call).getByTestId('call-row-applications').textContent).toBe('6');

    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'decided');
    await waitFor(() => expect(h.callsOf('calls_list').at(-1)?.query).toMatchObject({ status: 'decided' } satisfies Partial<CallQuery>));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(fx.calls_list.rows.length));

    await userEvent.type(screen.getByTestId('call-search'), 'international');
    await waitFor(() => expect(h.callsOf('calls_list').at(-1)?.query).toMatchObject({ search: 'international' } satisfies Partial<CallQuery>));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('call-title')).textContent).toBe(CALL.title);
  });

  it('sorts by a column header: first in its natural direction, again to reverse, rows in the core’s order', async () => {
    // The core's order for each query (tests/integration/lists.rs checks it): here, the fixture's reversed
    // when ascending by applications.
    const h = renderApp({
      route: { name: 'calls' },
      overrides: {
        calls_list: listAnswer('calls_list', (q) =>
          q.sort === 'applications' && !q.descending ? [...fx.calls_list.rows].sort((a, b) => a.applications - b.applications) : undefined,
        ),
      },
    });
    await screen.findAllByTestId('call-row');
    const queries = () => h.callsOf('calls_list').map((a) => a.query as CallQuery);
    expect(queries()[0]).toMatchObject({ sort: 'deadline', descending: true });
    await userEvent.click(screen.getByTestId('sort-applications'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'applications', descending: true }));
    await userEvent.click(screen.getByTestId('sort-applications'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'applications', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('call-row').at(-1)?.textContent).toContain(CALL.title));
    expect(screen.getByTestId('sort-applications').closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(screen.getByTestId('sort-title'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'title', descending: false }));
  });

  it('Ctrl+N there opens a new call', async () => {
    renderApp({ route: { name: 'calls' } });
    await screen.findAllByTestId('call-row');
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('call-form')).toBeTruthy();
  });
});

describe('call page', () => {
  it('lists the applications in the order given, with their rank, score, eligibility and threshold marker', async () => {
    renderApp({ route: { name: 'call', id: CALL.id } });
    expect((await screen.findByTestId('call-title')).textContent).toBe(CALL.title);
    const rows = screen.getAllByTestId('ranking-row');
    expect(rows.map((r) => within(r).getByTestId('ranking-open').textContent)).toEqual(CALL.applications.map((a) => a.title));
    expect(rows.map((r) => within(r).getByTestId('ranking-rank').textContent)).toEqual(['#1', '#2', '#3', '—', '—', '—']);
    expect(rows.map((r) => within(r).getByTestId('ranking-score').textContent)).toEqual([
      '88.3',
      '86.7',
      '71.7',
      '66.7 ▼below threshold',
      '—',
      '—',
    ]);
    expect(screen.getByTestId('call-ranked-count').textContent).toBe('3 ranked of 6');
    // Eligibility: ✔, or ✘ with the failed rules' messages, worded from the core's figures.
    expect(within(rows[0]).getByTestId('ranking-eligibility').textContent).toBe('✔Eligible');
    const tooFew = within(rows[CALL.applications.indexOf(TOO_FEW)]).getByTestId('ranking-eligibility');
    expect(tooFew.textContent).toContain('✘');
    expect(within(tooFew).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['2 organisations, 3 required', '2 countries, 3 required']);
    const abroad = within(rows[CALL.applications.findIndex((a) => a.id === LED_ABROAD.id)]).getByTestId('ranking-eligibility');
    expect(abroad.textContent).toContain('the lead must be a Lyon institution (it is in Brazil)');
    expect(within(rows[3]).getByTestId('ranking-below')).toBeTruthy();

    // The rules in words, the criteria, the times in the call's zone, the funder.
    expect(screen.getByTestId('call-rules').textContent).toContain('At least 3 organisations involved, the lead included');
    expect(screen.getByTestId('call-rule-lyon_lead').textContent).toBe('Led by a Lyon institution (the lead organisation is in France)');
    const criteria = screen.getAllByTestId('call-criterion').map((r) => r.textContent);
    expect(criteria[0]).toBe('Scientific quality3 (50%)53');
    expect(criteria[1]).toBe('International dimension2 (33%)5—');
    expect(screen.getByTestId('call-deadline').textContent).toBe('Mar 16, 2026, 5:00 PM (Europe/Paris)');
    expect(screen.getByTestId('call-budget').textContent).toBe('€300,000.00');
    // The funder as the core names it for the reader (University of Lyon), not its primary name.
    expect(screen.getByTestId('call-funder').textContent).toBe(shown(CALL.funder_labels, null));
    expect(CALL.funder_labels?.en.name).not.toBe(CALL.funder_name);

    // A row opens its application.
    await userEvent.click(within(rows[1]).getByTestId('ranking-open'));
    expect((await screen.findByTestId('application-title')).textContent).toBe(SECOND.title);
  });

  it('keeps the order the core gives, whatever the scores', async () => {
    renderApp({
      route: { name: 'call', id: CALL.id },
      overrides: { call_get: () => ({ ...CALL, applications: [...CALL.applications].reverse() }) as Call },
    });
    await screen.findByTestId('call-title');
    const ranks = screen.getAllByTestId('ranking-row').map((r) => within(r).getByTestId('ranking-rank').textContent);
    expect(ranks).toEqual(['—', '—', '—', '#3', '#2', '#1']);
  });

  it('shows the times and amounts of a call in another zone and currency, and French labels', async () => {
    renderApp({ route: { name: 'call', id: CALL.id }, overrides: { call_get: () => TOKYO_CALL } });
    await screen.findByTestId('call-title');
    expect(screen.getByTestId('call-deadline').textContent).toBe('Mar 16, 2026, 5:00 PM (Asia/Tokyo)');
    expect(screen.getByTestId('call-budget').textContent).toBe('¥6,000,000');
    expect(screen.getByTestId('call-rule-required_zones').textContent).toBe('At least one organisation from each of these zones: France & Europe, Japan');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('call-status').textContent).toBe('Résultats publiés');
    expect(screen.getByTestId('call-rule-required_zones').textContent).toBe(
      'Au moins une organisation de chacune de ces zones : France et Europe, Japon',
    );
    expect(screen.getAllByTestId('ranking-row')[0].textContent).toContain('Financée');
  });

  it('opens a new application preset to the call, whose criteria the reviews score, the score from the core', async () => {
    const h = renderApp({ route: { name: 'call', id: CALL.id }, overrides: { review_score: reviewScore } });
    await screen.findByTestId('call-title');
    await userEvent.click(screen.getByTestId('application-new'));
    await screen.findByTestId('application-form');
    expect((screen.getByTestId('field-call') as HTMLSelectElement).value).toBe(CALL.id);
    await userEvent.click(screen.getByTestId('review-add'));
    const review = screen.getByTestId('review-0');
    expect(within(review).getByLabelText('Scientific quality')).toBe(screen.getByTestId('review-0-score-0'));
    expect(within(review).getAllByText('/ 5')).toHaveLength(3);
    expect(screen.getByTestId('review-0-weighted').textContent).toBe('incomplete');
    await userEvent.type(screen.getByTestId('review-0-score-0'), '5');
    await userEvent.type(screen.getByTestId('review-0-score-1'), '4');
    await userEvent.type(screen.getByTestId('review-0-score-2'), '4');
    await waitFor(() => expect(screen.getByTestId('review-0-weighted').textContent).toBe('90.0 / 100'));
    // The core is asked with the call's criteria and the scores typed.
    expect(h.callsOf('review_score').at(-1)).toEqual({
      criteria: CALL.criteria_read,
      scores: CALL.criteria_read.map((k, i) => ({ criterion_id: k.id, score: [5, 4, 4][i] })),
    });
  });

  it('says what points to it before deleting, and Undo restores it', async () => {
    const id = ZONES_CALL.id;
    const h = renderApp({ route: { name: 'call', id }, overrides: deletions('call') });
    await screen.findByTestId('call-title');
    await userEvent.click(screen.getByTestId('call-delete'));
    const dialog = await screen.findByRole('alertdialog');
    expect(h.callsOf('dependants')).toEqual([{ id }]);
    expect(dialog.textContent).toContain(`Records that point to it: ${fx.dependants[id][0].count} applications.`);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('call-search');
    expect(h.callsOf('call_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(fx.calls_list.rows.length - 1));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('call_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(fx.calls_list.rows.length));
  });
});

describe('call form', () => {
  it('creates a call: times in its zone with the right offsets, amounts in cents, rules and criteria', async () => {
    const h = renderApp({
      route: { name: 'callNew' },
      overrides: {
        partners_list: partnerSearch,
        ...saves('call', (input) => {
          const i = input as CallInput;
          return { ...CALL, ...i, id: 'c-new', funder_name: UDL.name, applications: [] } as unknown as Call;
        }),
      },
    });
    await screen.findByTestId('call-form');
    await userEvent.type(screen.getByTestId('field-title'), 'Tokyo–Lyon exploratory grants');
    await userEvent.type(screen.getByTestId('field-code'), 'TLX-2026');
    await userEvent.type(screen.getByTestId('field-funder'), 'Université de Lyon');
    await userEvent.click(await screen.findByTestId('field-funder-option'));
    expect((screen.getByTestId('field-time-zone') as HTMLInputElement).value).toBe('Europe/Paris');
    fireEvent.change(screen.getByTestId('field-opens'), { target: { value: '2026-02-01T09:00' } });
    fireEvent.change(screen.getByTestId('field-deadline'), { target: { value: '2026-06-30T17:00' } });
    // The value saved is shown beside the input.
    expect(screen.getByTestId('field-opens-rfc').textContent).toBe('2026-02-01T09:00:00+01:00');
    expect(screen.getByTestId('field-deadline-rfc').textContent).toBe('2026-06-30T17:00:00+02:00');
    await userEvent.type(screen.getByTestId('field-budget'), '100 000');
    await userEvent.type(screen.getByTestId('field-max-award'), '25000,50');
    await userEvent.type(screen.getByTestId('field-min-partners'), '2');
    await userEvent.click(screen.getByTestId('field-zone-japan'));
    await userEvent.click(screen.getByTestId('field-zone-france_europe'));
    await userEvent.click(screen.getByTestId('field-lyon-lead'));
    await userEvent.click(screen.getByTestId('criterion-add'));
    await userEvent.type(screen.getByTestId('criterion-name-0'), 'Excellence');
    await userEvent.clear(screen.getByTestId('criterion-weight-0'));
    await userEvent.type(screen.getByTestId('criterion-weight-0'), '3');
    await userEvent.type(screen.getByTestId('criterion-threshold-0'), '6');
    await userEvent.click(screen.getByTestId('criterion-add'));
    await userEvent.type(screen.getByTestId('criterion-name-1'), 'Feasibility');
    await userEvent.clear(screen.getByTestId('criterion-max-1'));
    await userEvent.type(screen.getByTestId('criterion-max-1'), '5');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'open');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('call-title')).textContent).toBe('Tokyo–Lyon exploratory grants');
    const sent = h.callsOf('call_create')[0].input as CallInput;
    expect(sent).toEqual({
      code: 'TLX-2026',
      title: 'Tokyo–Lyon exploratory grants',
      programme: null,
      funder_id: UDL.id,
      opens_at: '2026-02-01T09:00:00+01:00',
      deadline_at: '2026-06-30T17:00:00+02:00',
      results_at: null,
      time_zone: 'Europe/Paris',
      budget: 10_000_000,
      max_award: 2_500_050,
      currency: 'EUR',
      rules: { min_partners: 2, min_countries: null, required_zones: ['japan', 'france_europe'], lyon_lead_required: true },
      criteria: [
        { name: 'Excellence', weight: 3, max_score: 10, threshold: 6 },
        { name: 'Feasibility', weight: 1, max_score: 5, threshold: null },
      ],
      status: 'open',
      notes: null,
    } satisfies CallInput);
    expect(screen.getByTestId('call-deadline').textContent).toBe('Jun 30, 2026, 5:00 PM (Europe/Paris)');
    expect(screen.getByTestId('call-max-award').textContent).toBe('€25,000.50');
  });

  it('converts with the zone chosen, edits in that zone and keeps criteria ids', async () => {
    const id = TOKYO_CALL.id;
    const h = renderApp({
      route: { name: 'callEdit', id },
      overrides: { call_get: () => TOKYO_CALL, call_update: () => TOKYO_CALL },
    });
    await screen.findByTestId('call-form');
    expect((screen.getByTestId('field-time-zone') as HTMLInputElement).value).toBe('Asia/Tokyo');
    expect((screen.getByTestId('field-deadline') as HTMLInputElement).value).toBe('2026-03-16T17:00');
    expect((screen.getByTestId('field-budget') as HTMLInputElement).value).toBe('6000000');
    expect((screen.getByTestId('field-zone-japan') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByTestId('field-deadline'), { target: { value: '2026-03-20T12:00' } });
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('call-title');
    const sent = h.callsOf('call_update')[0] as { id: string; input: CallInput };
    expect(sent.id).toBe(id);
    expect(sent.input.deadline_at).toBe('2026-03-20T12:00:00+09:00');
    // Opening at 9:00 in Paris is 17:00 in Tokyo: sent in Tokyo's time.
    expect(sent.input.opens_at).toBe('2026-01-12T17:00:00+09:00');
    expect(sent.input.budget).toBe(6_000_000);
    expect(sent.input.criteria.map((k) => k.id)).toEqual(TOKYO_CALL.criteria_read.map((k) => k.id));
  });

  it('checks zone, times and numbers before sending, and shows the core’s errors under the right inputs', async () => {
    const error: IpcError = {
      kind: 'invalid',
      message: 'several fields',
      fields: [
        { field: 'title', code: 'required', message: 'a call needs a title' },
        { field: 'deadline_at', code: 'end_before_start', message: 'the deadline comes before the call opens' },
        { field: 'criteria[0].threshold', code: 'above_max', message: 'the threshold must be between 0 and 10' },
        { field: 'criteria[0].weight', code: 'positive', message: 'the weight must be above 0' },
        { field: 'rules.min_countries', code: 'negative', message: 'a minimum must be at least 1' },
      ],
    };
    const h = renderApp({
      route: { name: 'callNew' },
      overrides: {
        call_create: () => {
          throw error;
        },
      },
    });
    await screen.findByTestId('call-form');
    await userEvent.clear(screen.getByTestId('field-time-zone'));
    await userEvent.type(screen.getByTestId('field-time-zone'), 'Europe/Pariss');
    fireEvent.change(screen.getByTestId('field-deadline'), { target: { value: '2026-06-30T17:00' } });
    await userEvent.type(screen.getByTestId('field-budget'), 'lots');
    await userEvent.click(screen.getByTestId('criterion-add'));
    await userEvent.clear(screen.getByTestId('criterion-max-0'));
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-time_zone')).textContent).toBe('Enter a time zone such as Europe/Paris or Asia/Shanghai.');
    expect(screen.getByTestId('error-budget').textContent).toBe('Enter an amount such as 1500 or 1500.50.');
    expect(screen.getByTestId('error-criteria[0].max_score').textContent).toBe('This field is required.');
    expect(document.activeElement).toBe(screen.getByTestId('field-time-zone'));
    expect(h.callsOf('call_create')).toHaveLength(0);

    await userEvent.clear(screen.getByTestId('field-time-zone'));
    await userEvent.type(screen.getByTestId('field-time-zone'), 'Asia/Shanghai');
    await userEvent.clear(screen.getByTestId('field-budget'));
    await userEvent.type(screen.getByTestId('criterion-max-0'), '10');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-title')).textContent).toBe('This field is required.');
    expect(screen.getByTestId('error-deadline_at').textContent).toBe('The deadline comes before the call opens.');
    expect(screen.getByTestId('error-criteria[0].threshold').textContent).toBe('The threshold must be between 0 and the maximum score.');
    expect(screen.getByTestId('error-criteria[0].weight').textContent).toBe('Enter a number above 0.');
    expect(screen.getByTestId('error-rules.min_countries').textContent).toBe('A minimum must be at least 1.');
    expect(screen.getByTestId('criterion-threshold-0').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('error-time_zone')).toBeNull();
    const sent = h.callsOf('call_create')[0].input as CallInput;
    expect(sent.deadline_at).toBe('2026-06-30T17:00:00+08:00');
    expect(sent.time_zone).toBe('Asia/Shanghai');
  });
});

describe('application page', () => {
  it('shows each eligibility check with its message and ok state, the countries and zones', async () => {
    renderApp({ route: { name: 'application', id: LED_ABROAD.id } });
    expect((await screen.findByTestId('application-title')).textContent).toBe(LED_ABROAD.title);
    const panel = screen.getByTestId('eligibility');
    expect(panel.getAttribute('data-eligible')).toBe('false');
    const partners = within(panel).getByTestId('rule-min_partners');
    expect(partners.getAttribute('data-ok')).toBe('true');
    expect(partners.textContent).toContain('3 organisations, 3 required');
    const countries = within(panel).getByTestId('rule-min_countries');
    expect(countries.getAttribute('data-ok')).toBe('true');
    expect(countries.textContent).toContain('3 countries, 3 required');
    const lead = within(panel).getByTestId('rule-lyon_lead');
    expect(lead.getAttribute('data-ok')).toBe('false');
    expect(within(lead).getByTestId('rule-lyon_lead-message').textContent).toBe('the lead must be a Lyon institution (it is in Brazil)');
    expect(lead.textContent).toContain('✘');
    expect(lead.textContent).toContain('Lyon lead');
    expect(within(panel).getByTestId('eligibility-countries').textContent).toBe('BrazilCanadaFrance');
    expect(within(panel).getByTestId('eligibility-zones').textContent).toBe('BrazilCanadaFrance & Europe');
    expect(within(panel).getByTestId('eligibility-verdict').textContent).toContain('Not eligible');

    expect(screen.getByTestId('application-status').textContent).toBe('Ineligible');
    expect(screen.getByTestId('application-score').textContent).toBe('not yet scored');
    expect(screen.getByTestId('application-rank').textContent).toBe('not ranked: ineligible; no complete review');

    // The checks are worded in the interface's language, from the core's figures.
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(within(panel).getByTestId('rule-min_partners-message').textContent).toBe('3 organisations, minimum 3');
    expect(within(panel).getByTestId('rule-min_countries-message').textContent).toBe('3 pays, minimum 3');
    expect(within(panel).getByTestId('rule-lyon_lead-message').textContent).toBe(
      'le porteur doit être un établissement lyonnais (pays du porteur : Brésil)',
    );
  });

  it('shows the score, the rank among the ranked, averages with thresholds, and each review’s weighted score', async () => {
    const pi: Contact = { ...Object.values(fx.contact_get)[0], id: FIRST.pi_id ?? '', name: FIRST.pi_name ?? '' };
    const h = renderApp({
      route: { name: 'application', id: FIRST.id },
      overrides: {
        partner_get: partnerPages,
        contact_get: (args, fx) => (args.id === pi.id ? pi : fixtureAnswer('contact_get', args, fx)),
      },
    });
    await screen.findByTestId('application-title');
    expect(screen.getByTestId('application-score').textContent).toBe('88.3 / 100');
    await waitFor(() => expect(screen.getByTestId('application-rank').textContent).toBe('#1 of 3 ranked'));
    const checks = within(screen.getByTestId('eligibility'));
    expect(checks.getByTestId('rule-lyon_lead').getAttribute('data-ok')).toBe('true');
    expect(checks.getByTestId('rule-lyon_lead').textContent).toContain('led from Lyon');
    const averages = screen.getAllByTestId('application-average').map((r) => r.textContent);
    expect(averages).toEqual(['Scientific quality4.5 / 53', 'International dimension4.5 / 5—', 'Feasibility and budget4 / 5—']);
    expect(screen.getAllByTestId('review-weighted').map((r) => r.textContent)).toEqual(['90.0 / 100', '86.7 / 100']);
    // Links: call, lead (with its country), partners (with theirs), principal investigator; amounts in the call's currency.
    expect(screen.getByTestId('application-call').textContent).toBe(CALL.title);
    expect(screen.getByTestId('application-lead').textContent).toBe(FIRST.lead_labels?.en.name);
    expect((await screen.findByTestId('application-lead-country')).textContent).toContain('France');
    expect(h.callsOf('partner_get')).toContainEqual({ id: FIRST.lead_id });
    const partners = screen.getAllByTestId('application-partner').map((p) => p.textContent);
    expect(partners).toEqual(['Tongji University同济大学 · China · Partner', 'The University of Tokyo東京大学 · Japan · Partner']);
    await waitFor(() => expect(screen.getByTestId('application-requested').textContent).toBe('€50,000.00'));
    expect(screen.getByTestId('application-duration').textContent).toBe('24 months');
    await userEvent.click(screen.getByTestId('application-pi'));
    expect((await screen.findByTestId('contact-title')).textContent).toBe(FIRST.pi_name);
  });

  it('says why an application is not ranked, in English and in French', async () => {
    renderApp({ route: { name: 'application', id: BELOW.id } });
    await screen.findByTestId('application-title');
    expect(screen.getByTestId('application-score').textContent).toBe('66.7 / 100');
    expect(screen.getByTestId('application-rank').textContent).toBe('not ranked: below threshold on Scientific quality');
    expect(screen.getAllByTestId('application-average')[0].getAttribute('data-below')).toBe('true');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('application-score').textContent?.replace(/\s/g, ' ')).toBe('66,7 / 100');
    expect(screen.getByTestId('application-rank').textContent).toBe('non classée : sous le seuil pour Scientific quality');
    expect(screen.getByTestId('application-status').textContent).toBe('Refusée');
    expect(screen.getByRole('heading', { name: 'Éligibilité' })).toBeTruthy();
  });

  it('ranks in French, and deletes with undo', async () => {
    const id = SECOND.id;
    const total = fx.applications_list.rows.length;
    const h = renderApp({ route: { name: 'application', id }, overrides: deletions('application') });
    await screen.findByTestId('application-title');
    await userEvent.click(screen.getByTestId('lang-switch'));
    await waitFor(() => expect(screen.getByTestId('application-rank').textContent).toBe('n° 2 sur 3 classées'));
    await userEvent.click(screen.getByTestId('lang-switch'));
    await userEvent.click(screen.getByTestId('application-delete'));
    expect(screen.getByRole('alertdialog').textContent).toContain(SECOND.title);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('application-search');
    expect(h.callsOf('application_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(total - 1));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('application_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(total));
  });
});

describe('applications list', () => {
  it('shows rank, lead, status, eligibility and score; filters by call and status', async () => {
    const rows = fx.applications_list.rows;
    const h = renderApp({
      overrides: {
        applications_list: listAnswer('applications_list', (q) => {
          if (q.search) return rows.filter((r) => r.id === BELOW.id);
          if (q.status) return rows.filter((r) => r.call_id === q.call_id && r.status === q.status);
          if (q.call_id) return rows.filter((r) => r.call_id === q.call_id);
          return undefined;
        }),
      },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-applications'));
    const shown = await screen.findAllByTestId('application-row');
    expect(shown).toHaveLength(rows.length);
    expect(screen.getByTestId('application-count').textContent).toBe(`${fx.applications_list.total} applications`);
    const first = shown.find((r) => r.textContent?.includes(FIRST.acronym ?? '')) as HTMLElement;
    expect(first.textContent).toContain('#1');
    expect(first.textContent).toContain(FIRST.lead_labels?.en.name);
    expect(first.textContent).toContain('Funded');
    expect(first.textContent).toContain('88.3');
    expect(first.querySelector('[data-eligible]')?.getAttribute('data-eligible')).toBe('true');
    const abroad = shown.find((r) => r.textContent?.includes(LED_ABROAD.acronym ?? '')) as HTMLElement;
    expect(abroad.querySelector('[data-eligible]')?.getAttribute('data-eligible')).toBe('false');

    await waitFor(() => expect(options(screen.getByTestId('filter-call'))).toContain(CALL.id));
    await userEvent.selectOptions(screen.getByTestId('filter-call'), CALL.id);
    await waitFor(() => expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ call_id: CALL.id } satisfies Partial<ApplicationQuery>));
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(CALL.applications.length));
    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'ineligible');
    await waitFor(() =>
      expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ call_id: CALL.id, status: 'ineligible' } satisfies Partial<ApplicationQuery>),
    );
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(2));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.type(screen.getByTestId('application-search'), 'brain');
    await waitFor(() => expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ search: 'brain' } satisfies Partial<ApplicationQuery>));
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('application-title')).textContent).toBe(BELOW.title);
  });

  it('shows each row’s call, groups the rows by call, and sorts by it; one call filtered leaves the column out', async () => {
    const rows = fx.applications_list.rows;
    const codeOf = (id: string | null) => fx.calls_list.rows.find((c) => c.id === id)?.code;
    const h = renderApp({
      route: { name: 'applications' },
      overrides: { applications_list: listAnswer('applications_list', (q) => (q.call_id ? rows.filter((r) => r.call_id === q.call_id) : undefined)) },
    });
    await screen.findAllByTestId('application-row');
    expect(new Set(rows.map((r) => r.call_id)).size).toBeGreaterThan(1); // the demo lists two calls
    await waitFor(() =>
      expect(screen.getAllByTestId('application-row').map((r) => within(r).getByTestId('application-row-call').textContent)).toEqual(
        rows.map((r) => codeOf(r.call_id)),
      ),
    );
    // The rows of the next call start a group.
    const starts = screen.getAllByTestId('application-row').map((r) => r.classList.contains('is-group-start'));
    expect(starts).toEqual(rows.map((r, i) => i > 0 && r.call_id !== rows[i - 1].call_id));
    expect(starts.filter(Boolean)).toHaveLength(1);
    expect(screen.getByRole('columnheader', { name: /Call/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.queryByTestId('sort-rank')).toBeNull();
    await userEvent.click(screen.getByTestId('sort-call'));
    await waitFor(() => expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ sort: 'call', descending: false }));

    await waitFor(() => expect(options(screen.getByTestId('filter-call'))).toContain(CALL.id));
    await userEvent.selectOptions(screen.getByTestId('filter-call'), CALL.id);
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(CALL.applications.length));
    expect(screen.queryByTestId('application-row-call')).toBeNull();
    expect(screen.queryByTestId('sort-call')).toBeNull();
  });

  it('names the call column in French', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'applications' } });
    await screen.findAllByTestId('application-row');
    expect(screen.getByTestId('sort-call').textContent).toBe('Appel');
  });

  it('sorts by score, amount or title across calls, and says when it shows the calls’ rankings', async () => {
    // The core's order (tests/integration/calls.rs checks each sort): here, the fixture's rows by score.
    const byScore = [...fx.applications_list.rows].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
    const h = renderApp({
      route: { name: 'applications' },
      overrides: { applications_list: listAnswer('applications_list', (q) => (q.sort === 'score' ? byScore : undefined)) },
    });
    await screen.findAllByTestId('application-row');
    const queries = () => h.callsOf('applications_list').map((a) => a.query as ApplicationQuery);
    expect(queries()[0]).toMatchObject({ sort: 'call', descending: true });
    expect(screen.getByText(/in rank order within each call/)).toBeTruthy();
    await userEvent.click(screen.getByTestId('sort-score'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'score', descending: true }));
    await waitFor(() =>
      expect(screen.getAllByTestId('application-row').map((r) => r.querySelector('.cell-primary')?.textContent)).toEqual(byScore.map((r) => r.title)),
    );
    expect(screen.queryByText(/in rank order within each call/)).toBeNull();
    await userEvent.click(screen.getByTestId('sort-requested'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'requested', descending: true }));
    await userEvent.click(screen.getByTestId('sort-title'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'title', descending: false }));
  });
});

describe('application form', () => {
  it('offers only the current status and its allowed moves', async () => {
    renderApp({ route: { name: 'applicationEdit', id: SUBMITTED.id } });
    await screen.findByTestId('application-form');
    const select = screen.getByTestId('field-status') as HTMLSelectElement;
    expect(select.value).toBe('submitted');
    expect(options(select)).toEqual(['submitted', 'draft', 'eligible', 'ineligible', 'withdrawn']);
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Submitted', 'Draft', 'Eligible', 'Ineligible', 'Withdrawn']);
    // Choosing one does not change what is offered: the moves are from the saved status.
    await userEvent.selectOptions(select, 'eligible');
    expect(options(select)).toEqual(['submitted', 'draft', 'eligible', 'ineligible', 'withdrawn']);
  });

  it('starts a new application as a draft that can only be submitted or withdrawn', async () => {
    renderApp({ route: { name: 'applicationNew' } });
    await screen.findByTestId('application-form');
    expect(options(screen.getByTestId('field-status'))).toEqual(['draft', 'submitted', 'withdrawn']);
    expect(screen.getByText('Choose the call first: reviews score its criteria.')).toBeTruthy();
  });

  it('shows a review score error from the core under that score’s input', async () => {
    const h = renderApp({
      route: { name: 'applicationEdit', id: FIRST.id },
      overrides: {
        application_update: () => {
          throw ipcError('invalid', 'reviews[0].scores[1].score: out of range', [
            { field: 'reviews[0].scores[1].score', code: 'above_max', message: 'International dimension is scored from 0 to 5; 12 is out of range' },
          ]);
        },
      },
    });
    await screen.findByTestId('application-form');
    const input = screen.getByTestId('review-0-score-1') as HTMLInputElement;
    expect(input.value).toBe('4');
    await userEvent.clear(input);
    await userEvent.type(input, '12');
    await userEvent.keyboard('{Control>}s{/Control}');
    const error = await screen.findByTestId('error-reviews[0].scores[1].score');
    expect(error.textContent).toBe('Enter a score between 0 and the criterion’s maximum.');
    expect(within(screen.getByTestId('review-0')).getByTestId('error-reviews[0].scores[1].score')).toBe(error);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('error-reviews[0].scores[1].score');
    expect(document.activeElement).toBe(input);
    const args = h.callsOf('application_update')[0];
    const sent = args.input as ApplicationInput;
    expect(args.id).toBe(FIRST.id);
    expect(sent.reviews[0].scores.map((s) => s.score)).toEqual([5, 12, 4]);
    expect(sent.reviews.map((r) => r.id)).toEqual(FIRST.reviews.map((r) => r.id));
  });

  it('maps a score error of a partly scored review to its criterion, past empty reviews', async () => {
    const h = renderApp({
      route: { name: 'applicationNew', callId: CALL.id },
      overrides: {
        application_create: () => {
          throw {
            kind: 'invalid',
            message: 'x',
            fields: [{ field: 'reviews[0].scores[0].score', code: 'above_max', message: 'Feasibility and budget is scored from 0 to 5; 7 is out of range' }],
          } satisfies IpcError;
        },
      },
    });
    await screen.findByTestId('application-form');
    await userEvent.click(screen.getByTestId('review-add'));
    await userEvent.click(screen.getByTestId('review-add'));
    // The first review is empty (not sent); the second scores only the third criterion.
    await userEvent.type(screen.getByTestId('review-1-score-2'), '7');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-reviews[1].scores[2].score')).textContent).toBe(
      'Enter a score between 0 and the criterion’s maximum.',
    );
    expect(screen.getByTestId('review-1-score-2').getAttribute('aria-invalid')).toBe('true');
    const sent = h.callsOf('application_create')[0].input as ApplicationInput;
    expect(sent.reviews).toHaveLength(1);
    expect(sent.reviews[0].scores).toEqual([{ criterion_id: CALL.criteria_read[2].id, score: 7 }]);
  });

  it('shows the core’s message when the rules do not allow marking it eligible', async () => {
    const h = renderApp({
      route: { name: 'applicationEdit', id: LED_ABROAD.id },
      overrides: {
        application_update: () => {
          throw ipcError('invalid', 'status: the rules are not met', [
            { field: 'status', code: 'ineligible', message: 'the rules are not met: the lead must be a Lyon institution (it is in BR)' },
          ]);
        },
      },
    });
    await screen.findByTestId('application-form');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'eligible');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-status')).textContent).toBe(
      'The application cannot be marked eligible: the rules are not met: the lead must be a Lyon institution (it is in BR)',
    );
    expect(screen.getByTestId('field-status').getAttribute('aria-invalid')).toBe('true');
    expect((h.callsOf('application_update')[0].input as ApplicationInput).status).toBe('eligible');
  });

  it('creates an application: call, lead, partners, amounts in the call’s currency, a review', async () => {
    const call = ZONES_CALL;
    const h = renderApp({
      route: { name: 'applicationNew' },
      overrides: {
        partners_list: partnerSearch,
        contacts_list: contactSearch,
        review_score: reviewScore,
        // The core's answer: the application as saved, with the score it keeps.
        ...saves('application', (input) => {
          const i = input as ApplicationInput;
          return {
            ...FIRST,
            ...i,
            id: 'app-new',
            call_title: call.title,
            pi_name: DUMONTET.name,
            lead_name: LYON_1.name,
            lead_labels: null,
            criteria: call.criteria_read,
            assessment: { ...FIRST.assessment, score: SCORED.weighted, rank: null },
          } as unknown as Application;
        }),
      },
    });
    await screen.findByTestId('application-form');
    await waitFor(() => expect(options(screen.getByTestId('field-call'))).toContain(call.id));
    await userEvent.selectOptions(screen.getByTestId('field-call'), call.id);
    await userEvent.type(screen.getByTestId('field-title'), 'Seminar on ageing societies');
    await userEvent.type(screen.getByTestId('field-reference'), 'IDEX-ZONES-2027-03');
    await userEvent.type(screen.getByTestId('field-pi'), 'Dumontet');
    await userEvent.click(await screen.findByTestId('field-pi-option'));
    await userEvent.type(screen.getByTestId('field-lead'), 'Claude Bernard');
    await userEvent.click(await screen.findByTestId('field-lead-option'));
    await userEvent.click(screen.getByTestId('app-partner-add'));
    await userEvent.type(screen.getByTestId('app-partner-0'), 'Kyoto');
    await userEvent.click(await screen.findByTestId('app-partner-0-option'));
    await userEvent.type(screen.getByTestId('app-partner-role-0'), 'host');
    await waitFor(() => expect(screen.getAllByText('In EUR, the call’s currency, e.g. 45000.50.')).toHaveLength(2));
    await userEvent.type(screen.getByTestId('field-requested'), '90000');
    await userEvent.type(screen.getByTestId('field-duration'), '12');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'submitted');
    await userEvent.click(screen.getByTestId('review-add'));
    await userEvent.type(screen.getByTestId('review-reviewer-0'), 'Berthier');
    await userEvent.click(await screen.findByTestId('review-reviewer-0-option'));
    await userEvent.type(screen.getByTestId('review-0-score-0'), '5');
    await userEvent.type(screen.getByTestId('review-0-score-1'), '4');
    await userEvent.type(screen.getByTestId('review-0-score-2'), '4');
    await waitFor(() => expect(screen.getByTestId('review-0-weighted').textContent).toBe('90.0 / 100'));
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('application-title')).textContent).toBe('Seminar on ageing societies');
    const sent = h.callsOf('application_create')[0].input as ApplicationInput;
    expect(sent).toMatchObject({
      call_id: call.id,
      reference: 'IDEX-ZONES-2027-03',
      pi_id: DUMONTET.id,
      lead_id: LYON_1.id,
      partners: [{ partner_id: KYOTO.id, role: 'host' }],
      requested: 9_000_000,
      cofunding: null,
      duration_months: 12,
      status: 'submitted',
      reviews: [
        {
          reviewer_id: BERTHIER.id,
          scores: call.criteria_read.map((k, n) => ({ criterion_id: k.id, score: [5, 4, 4][n] })),
          comment: null,
        },
      ],
    });
    // The page shows the core's answer.
    expect(screen.getByTestId('application-score').textContent).toBe('90.0 / 100');
    expect(screen.getByTestId('application-pi').textContent).toBe(DUMONTET.name);
    await waitFor(() => expect(screen.getByTestId('application-requested').textContent).toBe('€90,000.00'));
  });
});

describe('elsewhere', () => {
  it('the partner page lists the applications it leads or joins', async () => {
    const partner = Object.values(fx.partner_get)[0];
    const related = [FIRST, SECOND].map((a) => recordWhere(fx.applications_list.rows, (r) => r.id === a.id, 'row'));
    const h = renderApp({
      route: { name: 'partner', id: partner.id },
      overrides: { applications_list: listAnswer('applications_list', (q) => (q.partner_id ? related : undefined)) },
    });
    await screen.findByTestId('partner-title');
    const list = await screen.findByTestId('partner-applications');
    expect(h.callsOf('applications_list').map((a) => a.query as ApplicationQuery)).toContainEqual(expect.objectContaining({ partner_id: partner.id }));
    const rows = within(list).getAllByTestId('related-application').map((r) => r.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(FIRST.title);
    expect(rows[0]).toContain(`led by ${FIRST.lead_labels?.en.name}`);
    expect(screen.getByTestId('partner-applications-count').textContent).toBe('2');
    await userEvent.click(within(list).getAllByTestId('related-application')[1]);
    expect((await screen.findByTestId('application-title')).textContent).toBe(SECOND.title);
  });

  it('the global search opens calls and applications', async () => {
    const callHit: SearchHit = { entity: 'call', id: CALL.id, title: CALL.title, subtitle: CALL.programme };
    const applicationHit = recordWhere(fx.search, (x) => x.entity === 'application', 'application hit');
    const h = renderApp({
      overrides: { search: (args) => (String(args.query).startsWith('international') ? [callHit] : [applicationHit]) },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'international projects');
    const hit = await screen.findByTestId('search-hit');
    expect(h.callsOf('search').at(-1)).toEqual({ query: 'international projects', limit: 12, lang: 'en' });
    expect(hit.textContent).toContain(`${CALL.title}${CALL.programme}`);
    expect(hit.textContent).toContain('Call');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('call-title')).textContent).toBe(CALL.title);

    await userEvent.type(screen.getByTestId('global-search'), 'URBACHINE');
    await screen.findByText(applicationHit.subtitle ?? '');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('application-title')).textContent).toBe(applicationHit.title);
  });

  it('the history names calls, organisations and reviewers', async () => {
    const reviewer = fx.contact_get[FIRST.reviews[0].reviewer_id ?? ''];
    renderApp({ route: { name: 'application', id: FIRST.id }, overrides: { partner_get: partnerPages } });
    const history = await screen.findByTestId('history');
    await waitFor(() => expect(within(history).getAllByTestId('history-entry')).toHaveLength(fx.history[FIRST.id].length));
    await waitFor(() => expect(history.textContent).toContain(`Call: ${CALL.title}`));
    expect(history.textContent).toContain('Status: Funded');
    // Organisations by the name the core gives the reader, never their primary name alone.
    await waitFor(() => expect(history.textContent).toContain(`Lead organisation: ${shown(FIRST.lead_labels, FIRST.lead_name)}`));
    const partners = FIRST.partners_read.map((p) => `Partner organisation added: ${shown(p.labels, p.name)} · ${p.role}`);
    await waitFor(() => partners.forEach((p) => expect(history.textContent).toContain(p)));
    await waitFor(() => expect(history.textContent).toContain(`Review added: ${reviewer.name} · 5 · 4 · 4`));
  });
});
