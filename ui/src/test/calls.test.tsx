import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Application } from '../bindings/Application';
import type { ApplicationInput } from '../bindings/ApplicationInput';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { Call } from '../bindings/Call';
import type { CallInput } from '../bindings/CallInput';
import type { CallQuery } from '../bindings/CallQuery';
import type { IpcError } from '../bindings/IpcError';
import type { FakeBackend } from '../dev/fakeBackend';
import { statusChoices } from '../lib/rules';
import { formatCallTime, localToRfc3339, rfc3339ToLocal, zoneOffsetMinutes } from '../lib/time';
import { partnerId, renderApp } from './fakeHarness';
import { fx } from './fixtures';

const SEED_FUND = 'Alliance seed fund 2026';

function callId(backend: FakeBackend, title: string): string {
  const c = [...backend.projects.calls.values()].find((x) => x.input.title === title);
  if (!c) throw new Error(`no sample call ${title}`);
  return c.id;
}

function applicationId(backend: FakeBackend, acronymOrReference: string): string {
  const a = [...backend.projects.applications.values()].find(
    (x) => x.input.acronym === acronymOrReference || x.input.reference === acronymOrReference,
  );
  if (!a) throw new Error(`no sample application ${acronymOrReference}`);
  return a.id;
}

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
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-calls'));
    const rows = await screen.findAllByTestId('call-row');
    expect(screen.getByTestId('nav-calls').getAttribute('aria-current')).toBe('page');
    expect(rows).toHaveLength(3);
    expect(screen.getByTestId('call-count').textContent).toBe('3 calls');
    // Latest deadline first; the deadline in the call's own time, with its offset.
    expect(rows[0].textContent).toContain('Brazil–Canada–Lyon trilateral call 2027');
    expect(rows[0].textContent).toContain('Jan 20, 2027, 5:00 PM');
    expect(rows[0].textContent).toContain('UTC+01:00');
    const seedFund = rows.find((r) => r.textContent?.includes(SEED_FUND)) as HTMLElement;
    expect(seedFund.textContent).toContain('Under evaluation');
    expect(within(seedFund).getByTestId('call-row-applications').textContent).toBe('6');

    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'decided');
    await waitFor(() => expect(h.callsOf('calls_list').at(-1)?.query).toMatchObject({ status: 'decided' } satisfies Partial<CallQuery>));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.type(screen.getByTestId('call-search'), 'seed');
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('call-title')).textContent).toBe(SEED_FUND);
  });

  it('sorts by a column header: first in its natural direction, again to reverse', async () => {
    const h = renderApp({ route: { name: 'calls' } });
    await screen.findAllByTestId('call-row');
    const queries = () => h.callsOf('calls_list').map((a) => a.query as CallQuery);
    expect(queries()[0]).toMatchObject({ sort: 'deadline', descending: true });
    await userEvent.click(screen.getByTestId('sort-applications'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'applications', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('call-row')[0].textContent).toContain(SEED_FUND));
    await userEvent.click(screen.getByTestId('sort-applications'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'applications', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('call-row').at(-1)?.textContent).toContain(SEED_FUND));
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
    const h = renderApp({ route: (b) => ({ name: 'call', id: callId(b, SEED_FUND) }) });
    expect((await screen.findByTestId('call-title')).textContent).toBe(SEED_FUND);
    const call = h.backend.handle('call_get', { id: callId(h.backend, SEED_FUND) }) as Call;
    const rows = screen.getAllByTestId('ranking-row');
    expect(rows.map((r) => within(r).getByTestId('ranking-open').textContent)).toEqual(call.applications.map((a) => a.title));
    expect(rows.map((r) => within(r).getByTestId('ranking-rank').textContent)).toEqual(['#1', '#2', '#3', '—', '—', '—']);
    expect(rows.map((r) => within(r).getByTestId('ranking-score').textContent)).toEqual([
      '85.8',
      '73.3',
      '68.3',
      '71.7 ▼below threshold',
      '—',
      '—',
    ]);
    expect(screen.getByTestId('call-ranked-count').textContent).toBe('3 ranked of 6');
    // Eligibility: ✔, or ✘ with the failed rules' messages.
    expect(within(rows[0]).getByTestId('ranking-eligibility').textContent).toBe('✔Eligible');
    const amazon = within(rows[4]).getByTestId('ranking-eligibility');
    expect(amazon.textContent).toContain('✘');
    expect(amazon.textContent).toContain('the lead must be a Lyon institution (it is in Brazil)');
    const pilot = within(rows[5]).getByTestId('ranking-eligibility');
    expect(within(pilot).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1 organisation, 2 required', '1 country, 2 required']);
    expect(within(rows[3]).getByTestId('ranking-below')).toBeTruthy();

    // The rules in words, the criteria, the times in the call's zone, the funder.
    expect(screen.getByTestId('call-rules').textContent).toContain('At least 2 organisations involved, the lead included');
    expect(screen.getByTestId('call-rule-lyon_lead').textContent).toBe('Led by a Lyon institution (the lead organisation is in France)');
    const criteria = screen.getAllByTestId('call-criterion').map((r) => r.textContent);
    expect(criteria[0]).toBe('Scientific excellence3 (50%)106');
    expect(criteria[1]).toBe('International partnership2 (33%)10—');
    expect(screen.getByTestId('call-deadline').textContent).toBe('Mar 31, 2026, 5:00 PM (Europe/Paris)');
    expect(screen.getByTestId('call-budget').textContent).toBe('€300,000.00');

    // A row opens its application.
    await userEvent.click(within(rows[1]).getByTestId('ranking-open'));
    expect((await screen.findByTestId('application-title')).textContent).toBe('Neutrino detectors with Kyoto');
  });

  it('keeps the order the core gives, whatever the scores', async () => {
    renderApp({
      route: (b) => ({ name: 'call', id: callId(b, SEED_FUND) }),
      overrides: {
        call_get: (args, b) => {
          const call = b.handle('call_get', args) as Call;
          return { ...call, applications: [...call.applications].reverse() };
        },
      },
    });
    await screen.findByTestId('call-title');
    const ranks = screen.getAllByTestId('ranking-row').map((r) => within(r).getByTestId('ranking-rank').textContent);
    expect(ranks).toEqual(['—', '—', '—', '#3', '#2', '#1']);
  });

  it('shows the funder and times of a call in another zone, and French labels', async () => {
    renderApp({ route: (b) => ({ name: 'call', id: callId(b, 'JSPS–Lyon joint seminars 2025') }) });
    await screen.findByTestId('call-title');
    expect(screen.getByTestId('call-funder').textContent).toBe('Japan Society for the Promotion of Science');
    expect(screen.getByTestId('call-deadline').textContent).toBe('May 15, 2025, 5:00 PM (Asia/Tokyo)');
    expect(screen.getByTestId('call-budget').textContent).toBe('¥6,000,000');
    expect(screen.getByTestId('call-rule-required_zones').textContent).toBe('At least one organisation from each of these zones: France & Europe, Japan');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('call-status').textContent).toBe('Résultats publiés');
    expect(screen.getByTestId('call-rule-required_zones').textContent).toBe(
      'Au moins une organisation de chacune de ces zones : France et Europe, Japon',
    );
    expect(screen.getAllByTestId('ranking-row')[0].textContent).toContain('Financée');
  });

  it('opens a new application preset to the call, whose criteria the reviews score', async () => {
    let id = '';
    renderApp({
      route: (b) => {
        id = callId(b, SEED_FUND);
        return { name: 'call', id };
      },
    });
    await screen.findByTestId('call-title');
    await userEvent.click(screen.getByTestId('application-new'));
    await screen.findByTestId('application-form');
    expect((screen.getByTestId('field-call') as HTMLSelectElement).value).toBe(id);
    await userEvent.click(screen.getByTestId('review-add'));
    const review = screen.getByTestId('review-0');
    expect(within(review).getByLabelText('Scientific excellence')).toBe(screen.getByTestId('review-0-score-0'));
    expect(within(review).getByText('/ 5')).toBeTruthy();
    expect(screen.getByTestId('review-0-weighted').textContent).toBe('incomplete');
    await userEvent.type(screen.getByTestId('review-0-score-0'), '9');
    await userEvent.type(screen.getByTestId('review-0-score-1'), '8');
    await userEvent.type(screen.getByTestId('review-0-score-2'), '4');
    expect(screen.getByTestId('review-0-weighted').textContent).toBe('85.0 / 100');
  });

  it('says what points to it before deleting, and Undo restores it', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = callId(b, SEED_FUND);
        return { name: 'call', id };
      },
    });
    await screen.findByTestId('call-title');
    await userEvent.click(screen.getByTestId('call-delete'));
    const dialog = await screen.findByRole('alertdialog');
    expect(h.callsOf('dependants')).toEqual([{ id }]);
    expect(dialog.textContent).toContain('Records that point to it: 6 applications.');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('call-search');
    expect(h.callsOf('call_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(2));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('call_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('call-row')).toHaveLength(3));
  });
});

describe('call form', () => {
  it('creates a call: times in its zone with the right offsets, amounts in cents, rules and criteria', async () => {
    const h = renderApp({ route: { name: 'callNew' } });
    await screen.findByTestId('call-form');
    await userEvent.type(screen.getByTestId('field-title'), 'Tokyo–Lyon exploratory grants');
    await userEvent.type(screen.getByTestId('field-code'), 'TLX-2026');
    await userEvent.type(screen.getByTestId('field-funder'), 'JSPS');
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
      funder_id: partnerId(h.backend, 'Japan Society for the Promotion of Science'),
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
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = callId(b, 'JSPS–Lyon joint seminars 2025');
        return { name: 'callEdit', id };
      },
    });
    await screen.findByTestId('call-form');
    expect((screen.getByTestId('field-time-zone') as HTMLInputElement).value).toBe('Asia/Tokyo');
    expect((screen.getByTestId('field-deadline') as HTMLInputElement).value).toBe('2025-05-15T17:00');
    expect((screen.getByTestId('field-budget') as HTMLInputElement).value).toBe('6000000');
    expect((screen.getByTestId('field-zone-japan') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByTestId('field-deadline'), { target: { value: '2025-05-20T12:00' } });
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('call-title');
    const sent = h.callsOf('call_update')[0] as { id: string; input: CallInput };
    expect(sent.id).toBe(id);
    expect(sent.input.deadline_at).toBe('2025-05-20T12:00:00+09:00');
    expect(sent.input.opens_at).toBe('2025-02-01T10:00:00+09:00');
    const before = h.backend.handle('call_get', { id }) as Call;
    expect(sent.input.criteria.map((k) => k.id)).toEqual(before.criteria_read.map((k) => k.id));
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
    renderApp({ route: (b) => ({ name: 'application', id: applicationId(b, 'AMAZON-EO') }) });
    expect((await screen.findByTestId('application-title')).textContent).toBe('Earth observation of the Amazon basin');
    const panel = screen.getByTestId('eligibility');
    expect(panel.getAttribute('data-eligible')).toBe('false');
    const partners = within(panel).getByTestId('rule-min_partners');
    expect(partners.getAttribute('data-ok')).toBe('true');
    expect(partners.textContent).toContain('2 organisations, 2 required');
    const countries = within(panel).getByTestId('rule-min_countries');
    expect(countries.getAttribute('data-ok')).toBe('true');
    expect(countries.textContent).toContain('2 countries, 2 required');
    const lead = within(panel).getByTestId('rule-lyon_lead');
    expect(lead.getAttribute('data-ok')).toBe('false');
    expect(within(lead).getByTestId('rule-lyon_lead-message').textContent).toBe('the lead must be a Lyon institution (it is in Brazil)');
    expect(lead.textContent).toContain('✘');
    expect(lead.textContent).toContain('Lyon lead');
    expect(within(panel).getByTestId('eligibility-countries').textContent).toBe('BrazilFrance');
    expect(within(panel).getByTestId('eligibility-zones').textContent).toBe('BrazilFrance & Europe');
    expect(within(panel).getByTestId('eligibility-verdict').textContent).toContain('Not eligible');

    expect(screen.getByTestId('application-status').textContent).toBe('Submitted');
    expect(screen.getByTestId('application-score').textContent).toBe('not yet scored');
    expect(screen.getByTestId('application-rank').textContent).toBe('not ranked: ineligible; no complete review');

    // The checks are worded in the interface's language, from the core's figures.
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(within(panel).getByTestId('rule-min_partners-message').textContent).toBe('2 organisations, minimum 2');
    expect(within(panel).getByTestId('rule-min_countries-message').textContent).toBe('2 pays, minimum 2');
    expect(within(panel).getByTestId('rule-lyon_lead-message').textContent).toBe(
      'le porteur doit être un établissement lyonnais (pays du porteur : Brésil)',
    );
  });

  it('shows the score, the rank among the ranked, averages with thresholds, and each review’s weighted score', async () => {
    renderApp({ route: (b) => ({ name: 'application', id: applicationId(b, 'QUANTUM-LINK') }) });
    await screen.findByTestId('application-title');
    expect(screen.getByTestId('application-score').textContent).toBe('85.8 / 100');
    await waitFor(() => expect(screen.getByTestId('application-rank').textContent).toBe('#1 of 3 ranked'));
    const checks = within(screen.getByTestId('eligibility'));
    expect(checks.getByTestId('rule-lyon_lead').getAttribute('data-ok')).toBe('true');
    expect(checks.getByTestId('rule-lyon_lead').textContent).toContain('led from Lyon');
    const averages = screen.getAllByTestId('application-average').map((r) => r.textContent);
    expect(averages).toEqual(['Scientific excellence8.5 / 106', 'International partnership8.5 / 10—', 'Feasibility4.5 / 52']);
    expect(screen.getAllByTestId('review-weighted').map((r) => r.textContent)).toEqual(['85.0 / 100', '86.7 / 100']);
    // Links: call, lead (with its country), partners (with theirs), principal investigator; amounts in the call's currency.
    expect(screen.getByTestId('application-call').textContent).toBe(SEED_FUND);
    expect(screen.getByTestId('application-lead').textContent).toBe('Université Claude Bernard Lyon 1');
    expect((await screen.findByTestId('application-lead-country')).textContent).toContain('France');
    const partners = screen.getAllByTestId('application-partner').map((p) => p.textContent);
    expect(partners).toEqual(['The University of Tokyo · Japan · co-lead', 'Kyoto University · Japan']);
    await waitFor(() => expect(screen.getByTestId('application-requested').textContent).toBe('€45,000.00'));
    expect(screen.getByTestId('application-duration').textContent).toBe('24 months');
    await userEvent.click(screen.getByTestId('application-pi'));
    expect((await screen.findByTestId('contact-title')).textContent).toBe('Hanako TANAKA (田中 花子)');
  });

  it('says why an application is not ranked, in English and in French', async () => {
    renderApp({ route: (b) => ({ name: 'application', id: applicationId(b, 'ARCTIC-MAT') }) });
    await screen.findByTestId('application-title');
    expect(screen.getByTestId('application-score').textContent).toBe('71.7 / 100');
    expect(screen.getByTestId('application-rank').textContent).toBe('not ranked: below threshold on Scientific excellence');
    expect(screen.getAllByTestId('application-average')[0].getAttribute('data-below')).toBe('true');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('application-score').textContent?.replace(/\s/g, ' ')).toBe('71,7 / 100');
    expect(screen.getByTestId('application-rank').textContent).toBe('non classée : sous le seuil pour Scientific excellence');
    expect(screen.getByTestId('application-status').textContent).toBe('En évaluation');
    expect(screen.getByRole('heading', { name: 'Éligibilité' })).toBeTruthy();
  });

  it('ranks in French, and deletes with undo', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = applicationId(b, 'NEUTRINO-JP');
        return { name: 'application', id };
      },
    });
    await screen.findByTestId('application-title');
    await userEvent.click(screen.getByTestId('lang-switch'));
    await waitFor(() => expect(screen.getByTestId('application-rank').textContent).toBe('n° 2 sur 3 classées'));
    await userEvent.click(screen.getByTestId('lang-switch'));
    await userEvent.click(screen.getByTestId('application-delete'));
    expect(screen.getByRole('alertdialog').textContent).toContain('Neutrino detectors with Kyoto');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('application-search');
    expect(h.callsOf('application_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(6));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('application_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(7));
  });
});

describe('applications list', () => {
  it('shows rank, lead, status, eligibility and score; filters by call and status', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-applications'));
    const rows = await screen.findAllByTestId('application-row');
    expect(rows).toHaveLength(7);
    expect(screen.getByTestId('application-count').textContent).toBe('7 applications');
    const first = rows.find((r) => r.textContent?.includes('QUANTUM-LINK')) as HTMLElement;
    expect(first.textContent).toContain('#1');
    expect(first.textContent).toContain('Université Claude Bernard Lyon 1');
    expect(first.textContent).toContain('Under evaluation');
    expect(first.textContent).toContain('85.8');
    expect(first.querySelector('[data-eligible]')?.getAttribute('data-eligible')).toBe('true');
    const amazon = rows.find((r) => r.textContent?.includes('AMAZON-EO')) as HTMLElement;
    expect(amazon.querySelector('[data-eligible]')?.getAttribute('data-eligible')).toBe('false');

    const seedFund = callId(h.backend, SEED_FUND);
    await waitFor(() => expect(options(screen.getByTestId('filter-call'))).toContain(seedFund));
    await userEvent.selectOptions(screen.getByTestId('filter-call'), seedFund);
    await waitFor(() => expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ call_id: seedFund } satisfies Partial<ApplicationQuery>));
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(6));
    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'under_evaluation');
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(3));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.type(screen.getByTestId('application-search'), 'neutrino');
    await waitFor(() => expect(screen.getAllByTestId('application-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('application-title')).textContent).toBe('Neutrino detectors with Kyoto');
  });

  it('sorts by score, amount or title across calls, and says when it shows the calls’ rankings', async () => {
    const h = renderApp({ route: { name: 'applications' } });
    await screen.findAllByTestId('application-row');
    const queries = () => h.callsOf('applications_list').map((a) => a.query as ApplicationQuery);
    expect(queries()[0]).toMatchObject({ sort: 'call', descending: true });
    expect(screen.getByText(/in rank order within each call/)).toBeTruthy();
    await userEvent.click(screen.getByTestId('sort-score'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'score', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('application-row')[0].textContent).toContain('QUANTUM-LINK'));
    expect(screen.queryByText(/in rank order within each call/)).toBeNull();
    const scores = () =>
      screen
        .getAllByTestId('application-row')
        .map((r) => r.textContent?.match(/(\d+\.\d)\s*▼?\s*$/)?.[1])
        .filter(Boolean)
        .map(Number);
    await waitFor(() => expect(scores().length).toBeGreaterThan(2));
    expect(scores()).toEqual([...scores()].sort((a, b) => b - a));
    await userEvent.click(screen.getByTestId('sort-requested'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'requested', descending: true }));
    await userEvent.click(screen.getByTestId('sort-title'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'title', descending: false }));
    await waitFor(() => {
      const titles = screen.getAllByTestId('application-row').map((r) => r.querySelector('.cell-primary')?.textContent ?? '');
      expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    });
  });
});

describe('application form', () => {
  it('offers only the current status and its allowed moves', async () => {
    renderApp({ route: (b) => ({ name: 'applicationEdit', id: applicationId(b, 'NEUTRINO-JP') }) });
    await screen.findByTestId('application-form');
    const select = screen.getByTestId('field-status') as HTMLSelectElement;
    expect(select.value).toBe('eligible');
    expect(options(select)).toEqual(['eligible', 'under_evaluation', 'ineligible', 'withdrawn']);
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Eligible', 'Under evaluation', 'Ineligible', 'Withdrawn']);
    // Choosing one does not change what is offered: the moves are from the saved status.
    await userEvent.selectOptions(select, 'under_evaluation');
    expect(options(select)).toEqual(['eligible', 'under_evaluation', 'ineligible', 'withdrawn']);
  });

  it('starts a new application as a draft that can only be submitted or withdrawn', async () => {
    renderApp({ route: { name: 'applicationNew' } });
    await screen.findByTestId('application-form');
    expect(options(screen.getByTestId('field-status'))).toEqual(['draft', 'submitted', 'withdrawn']);
    expect(screen.getByText('Choose the call first: reviews score its criteria.')).toBeTruthy();
  });

  it('shows a review score error from the core under that score’s input', async () => {
    const h = renderApp({
      route: (b) => ({ name: 'applicationEdit', id: applicationId(b, 'QUANTUM-LINK') }),
      overrides: {
        application_update: () => {
          throw {
            kind: 'invalid',
            message: 'reviews[0].scores[1].score: out of range',
            fields: [
              {
                field: 'reviews[0].scores[1].score',
                code: 'above_max',
                message: 'International partnership is scored from 0 to 10; 12 is out of range',
              },
            ],
          } satisfies IpcError;
        },
      },
    });
    await screen.findByTestId('application-form');
    const input = screen.getByTestId('review-0-score-1') as HTMLInputElement;
    expect(input.value).toBe('8');
    await userEvent.clear(input);
    await userEvent.type(input, '12');
    await userEvent.keyboard('{Control>}s{/Control}');
    const error = await screen.findByTestId('error-reviews[0].scores[1].score');
    expect(error.textContent).toBe('Enter a score between 0 and the criterion’s maximum.');
    expect(within(screen.getByTestId('review-0')).getByTestId('error-reviews[0].scores[1].score')).toBe(error);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('error-reviews[0].scores[1].score');
    expect(document.activeElement).toBe(input);
    const sent = h.callsOf('application_update')[0].input as ApplicationInput;
    expect(sent.reviews[0].scores.map((s) => s.score)).toEqual([9, 12, 4]);
    expect(sent.reviews[0].id).toBeTruthy();
  });

  it('maps a score error of a partly scored review to its criterion, past empty reviews', async () => {
    renderApp({
      route: (b) => ({ name: 'applicationNew', callId: callId(b, SEED_FUND) }),
      overrides: {
        application_create: () => {
          throw {
            kind: 'invalid',
            message: 'x',
            fields: [{ field: 'reviews[0].scores[0].score', code: 'above_max', message: 'Feasibility is scored from 0 to 5; 7 is out of range' }],
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
  });

  it('shows the core’s message when the rules do not allow marking it eligible', async () => {
    renderApp({
      route: (b) => ({ name: 'applicationEdit', id: applicationId(b, 'AMAZON-EO') }),
    });
    await screen.findByTestId('application-form');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'eligible');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-status')).textContent).toBe(
      'The application cannot be marked eligible: the rules are not met: the lead must be a Lyon institution (it is in BR)',
    );
    expect(screen.getByTestId('field-status').getAttribute('aria-invalid')).toBe('true');
  });

  it('creates an application: call, lead, partners, amounts in the call’s currency, a review', async () => {
    const h = renderApp({ route: { name: 'applicationNew' } });
    await screen.findByTestId('application-form');
    const seminars = callId(h.backend, 'JSPS–Lyon joint seminars 2025');
    await waitFor(() => expect(options(screen.getByTestId('field-call'))).toContain(seminars));
    await userEvent.selectOptions(screen.getByTestId('field-call'), seminars);
    await userEvent.type(screen.getByTestId('field-title'), 'Seminar on ageing societies');
    await userEvent.type(screen.getByTestId('field-reference'), 'JS-25-02');
    await userEvent.type(screen.getByTestId('field-pi'), 'Tanaka');
    await userEvent.click(await screen.findByTestId('field-pi-option'));
    await userEvent.type(screen.getByTestId('field-lead'), 'Claude Bernard');
    await userEvent.click(await screen.findByTestId('field-lead-option'));
    await userEvent.click(screen.getByTestId('app-partner-add'));
    await userEvent.type(screen.getByTestId('app-partner-0'), 'Kyoto');
    await userEvent.click(await screen.findByTestId('app-partner-0-option'));
    await userEvent.type(screen.getByTestId('app-partner-role-0'), 'host');
    await waitFor(() => expect(screen.getAllByText('In JPY, the call’s currency, e.g. 45000.50.')).toHaveLength(2));
    await userEvent.type(screen.getByTestId('field-requested'), '900000');
    await userEvent.type(screen.getByTestId('field-duration'), '12');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'submitted');
    await userEvent.click(screen.getByTestId('review-add'));
    await userEvent.type(screen.getByTestId('review-reviewer-0'), 'Li');
    await userEvent.click(await screen.findByTestId('review-reviewer-0-option'));
    await userEvent.type(screen.getByTestId('review-0-score-0'), '4');
    await userEvent.type(screen.getByTestId('review-0-score-1'), '5');
    expect(screen.getByTestId('review-0-weighted').textContent).toBe('90.0 / 100');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('application-title')).textContent).toBe('Seminar on ageing societies');
    const sent = h.callsOf('application_create')[0].input as ApplicationInput;
    const call = h.backend.handle('call_get', { id: seminars }) as Call;
    expect(sent).toMatchObject({
      call_id: seminars,
      reference: 'JS-25-02',
      lead_id: partnerId(h.backend, 'Université Claude Bernard Lyon 1'),
      partners: [{ partner_id: partnerId(h.backend, 'Kyoto University'), role: 'host' }],
      requested: 900000,
      cofunding: null,
      duration_months: 12,
      status: 'submitted',
      reviews: [
        {
          scores: [
            { criterion_id: call.criteria_read[0].id, score: 4 },
            { criterion_id: call.criteria_read[1].id, score: 5 },
          ],
          comment: null,
        },
      ],
    });
    expect(screen.getByTestId('application-score').textContent).toBe('90.0 / 100');
    expect(within(screen.getByTestId('eligibility')).getByTestId('rule-required_zones').getAttribute('data-ok')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('application-requested').textContent).toBe('¥900,000'));
    const created = h.backend.handle('application_get', { id: sentId(h.backend) }) as Application;
    expect(created.pi_name).toBe('Hanako TANAKA (田中 花子)');
  });
});

/** The id of the application created last in the fake backend. */
function sentId(backend: FakeBackend): string {
  return [...backend.projects.applications.keys()].at(-1) ?? '';
}

describe('elsewhere', () => {
  it('the partner page lists the applications it leads or joins', async () => {
    renderApp({ route: (b) => ({ name: 'partner', id: partnerId(b, 'Kyoto University') }) });
    await screen.findByTestId('partner-title');
    const list = await screen.findByTestId('partner-applications');
    const rows = within(list).getAllByTestId('related-application').map((r) => r.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Quantum sensing network Lyon–Tokyo');
    expect(rows[0]).toContain('led by Université Claude Bernard Lyon 1');
    expect(screen.getByTestId('partner-applications-count').textContent).toBe('2');
    await userEvent.click(within(list).getAllByTestId('related-application')[1]);
    expect((await screen.findByTestId('application-title')).textContent).toBe('Neutrino detectors with Kyoto');
  });

  it('the global search opens calls and applications', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'seed fund');
    const hit = await screen.findByTestId('search-hit');
    expect(hit.textContent).toContain('ASF-2026 ; Alliance seed fund 2026');
    expect(hit.textContent).toContain('Call');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('call-title')).textContent).toBe(SEED_FUND);

    await userEvent.type(screen.getByTestId('global-search'), 'QUANTUM');
    await screen.findByText('ASF-26-001 ; QUANTUM-LINK ; Quantum sensing network Lyon–Tokyo');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('application-title')).textContent).toBe('Quantum sensing network Lyon–Tokyo');
  });

  it('the history names calls, criteria, partners and reviews', async () => {
    renderApp({ route: (b) => ({ name: 'application', id: applicationId(b, 'QUANTUM-LINK') }) });
    const history = await screen.findByTestId('history');
    await waitFor(() => expect(within(history).getAllByTestId('history-entry')).toHaveLength(1));
    await waitFor(() => expect(history.textContent).toContain(`Call: ${SEED_FUND}`));
    expect(history.textContent).toContain('Status: Under evaluation');
    expect(history.textContent).toContain('Partner organisation added: The University of Tokyo · co-lead');
    expect(history.textContent).toContain('Review added: Prof. Wei LI (李伟) · ');
  });
});
