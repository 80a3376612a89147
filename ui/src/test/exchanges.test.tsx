import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Exchange } from '../bindings/Exchange';
import type { ExchangeInput } from '../bindings/ExchangeInput';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { SearchHit } from '../bindings/SearchHit';
import { formatMoney, minorToMajorText, parseMajor } from '../lib/format';
import { fx, recordWhere } from './fixtures';
import { deletions, fixtureAnswer, ipcError, listAnswer, renderApp, saves, type Answer } from './harness';
import { labelText } from '../components/Name';

const listQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('exchanges_list').map((a) => a.query as ExchangeQuery);
const ALL = `${fx.exchanges_list.total} exchanges`;

// An agreement of the fixtures with its condition, and an exchange of the fixtures made under it, with an amount.
const AGREEMENT = recordWhere(fx.agreement_get, (a) => a.conditions.length === 1 && a.kind === 'scholarship', 'scholarship agreement');
const CONDITION = AGREEMENT.conditions_read[0];
const BASE = Object.values(fx.exchange_get)[0];
const EXCHANGE: Exchange = {
  ...BASE,
  agreement_id: AGREEMENT.id,
  agreement_title: AGREEMENT.title,
  condition_id: CONDITION.id,
  home_id: CONDITION.sending_id,
  home_name: CONDITION.sending_name,
  host_id: CONDITION.receiving_id,
  host_name: CONDITION.receiving_name,
  // Named by the condition's primary names alone: no labels for the UI language.
  home_labels: null,
  host_labels: null,
  amount: 180000,
  currency: 'EUR',
};
const ROW = recordWhere(fx.exchanges_list.rows, (r) => r.id === EXCHANGE.id, 'row of the exchange');
// The person of the exchange, as a contact record (made from one of the fixtures).
const PERSON = { ...Object.values(fx.contact_get)[0], id: EXCHANGE.person_id, name: EXCHANGE.person_name ?? '' };
const BARBOSA = recordWhere(fx.contact_get, (c) => c.family_name === 'Barbosa', 'contact Barbosa');

/** The exchange above and its person answered by id; its row on the person's page. */
const exchangePages: Record<string, Answer> = {
  exchange_get: (args, fx) => (args.id === EXCHANGE.id ? EXCHANGE : fixtureAnswer('exchange_get', args, fx)),
  contact_get: (args, fx) => (args.id === PERSON.id ? PERSON : fixtureAnswer('contact_get', args, fx)),
  exchanges_list: listAnswer('exchanges_list', (q) => (q.person_id === PERSON.id ? [ROW] : undefined)),
};

describe('exchanges list', () => {
  it('shows "10,000+" when the core stopped counting', async () => {
    const h = renderApp({
      route: { name: 'exchanges' },
      overrides: { exchanges_list: (args, fx) => ({ ...(fixtureAnswer('exchanges_list', args, fx) as object), total: 10_000, total_capped: true }) },
    });
    await screen.findAllByTestId('exchange-row');
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe('10,000+ exchanges'));
    // Latest year first.
    expect(listQueries(h)[0]).toMatchObject({ sort: 'year', ascending: false, offset: 0, limit: 100 });
    expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain(fx.exchanges_list.rows[0].academic_year_label ?? '');

    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('exchange-count').textContent?.replace(/\s/g, ' ')).toBe('Plus de 10 000 mobilités');
  });

  it('clears its search with Esc, and Esc on an empty search leaves the list where it is', async () => {
    renderApp({ route: { name: 'exchanges' }, overrides: { exchanges_list: listAnswer('exchanges_list', (q) => (q.search ? [ROW] : undefined)) } });
    await screen.findAllByTestId('exchange-row');
    const search = screen.getByTestId('exchange-search') as HTMLInputElement;
    await userEvent.type(search, 'Fudan');
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.keyboard('{Escape}');
    expect(search.value).toBe('');
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe(ALL));
    await userEvent.keyboard('{Escape}');
    expect(screen.getByTestId('exchange-search')).toBeTruthy();
  });

  it('shows the exact count when it is not capped', async () => {
    renderApp({
      route: { name: 'exchanges' },
      overrides: {
        exchanges_list: (args, fx) => ({ ...(fixtureAnswer('exchanges_list', args, fx) as object), total: 10_000, total_capped: false }),
      },
    });
    await screen.findAllByTestId('exchange-row');
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe('10,000 exchanges'));
  });

  it('filters, searches person and partner names, sorts and opens a row with the keyboard', async () => {
    // What the core finds for each query (the test's choice of fixture rows).
    const outgoing = fx.exchanges_list.rows.filter((r) => r.direction === 'outgoing');
    const cohort = fx.exchange_cohorts[1];
    const ofCohort = fx.exchanges_list.rows.filter((r) => r.cohort === cohort).slice(0, 2);
    const last = fx.exchanges_list.rows.at(-1) as (typeof fx.exchanges_list.rows)[number];
    const h = renderApp({
      route: { name: 'exchanges' },
      overrides: {
        exchanges_list: listAnswer('exchanges_list', (q) => {
          if (q.search) return [ROW];
          if (q.direction === 'outgoing') return outgoing;
          if (q.cohort === cohort) return ofCohort;
          if (q.academic_year === 2024) return [last];
          if (q.ascending === true) return [last, ...fx.exchanges_list.rows];
          return undefined;
        }),
      },
    });
    await screen.findAllByTestId('exchange-row');
    expect(screen.getByTestId('exchange-count').textContent).toBe(ALL);

    await userEvent.selectOptions(screen.getByTestId('filter-direction'), 'outgoing');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ direction: 'outgoing' }));
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe(`${outgoing.length} exchange${outgoing.length === 1 ? '' : 's'}`));
    expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain(outgoing[0].person_name ?? '');
    await userEvent.selectOptions(screen.getByTestId('filter-direction'), '');

    // The cohorts offered are the core's.
    await waitFor(() => expect(within(screen.getByTestId('filter-cohort')).getAllByRole('option')).toHaveLength(fx.exchange_cohorts.length + 1));
    await userEvent.selectOptions(screen.getByTestId('filter-cohort'), cohort);
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ cohort }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(ofCohort.length));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.selectOptions(screen.getByTestId('filter-year'), '2024');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ academic_year: 2024 }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.click(screen.getByTestId('sort-year'));
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ sort: 'year', ascending: true }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain(last.person_name ?? ''));

    await userEvent.type(screen.getByTestId('exchange-search'), 'Fudan');
    await waitFor(() => expect(listQueries(h).at(-1)?.search).toBe('Fudan'));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('exchange-title')).textContent).toBe(ROW.person_name);
  });
});

describe('exchange page', () => {
  it('shows the person, home → host, agreement and condition, the year and the amount, with links', async () => {
    const h = renderApp({ route: { name: 'exchange', id: EXCHANGE.id }, overrides: exchangePages });
    expect((await screen.findByTestId('exchange-title')).textContent).toBe(EXCHANGE.person_name);
    expect(screen.getByTestId('exchange-route').textContent).toContain(CONDITION.sending_name);
    expect(screen.getByTestId('exchange-year').textContent).toBe(EXCHANGE.academic_year_label);
    expect(screen.getByTestId('exchange-amount').textContent).toBe('€1,800.00');
    expect(screen.getByTestId('exchange-status').textContent).toBe('Accepted');
    // The condition, as its agreement gives it.
    expect((await screen.findByTestId('exchange-condition')).textContent).toBe(
      `Doctoral mobility · ${labelText(CONDITION.sending_labels, CONDITION.sending_name)} → ${labelText(CONDITION.receiving_labels, CONDITION.receiving_name)}`,
    );
    expect(h.callsOf('agreement_get')).toContainEqual({ id: AGREEMENT.id });
    await userEvent.click(screen.getByTestId('exchange-agreement'));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(AGREEMENT.title);
    await userEvent.keyboard('{Escape}');
    await userEvent.click(await screen.findByTestId('exchange-person'));
    expect((await screen.findByTestId('contact-title')).textContent).toBe(PERSON.name);
    // The person's exchanges, on the contact page.
    const list = await screen.findByTestId('contact-exchanges');
    expect(h.callsOf('exchanges_list').map((a) => a.query as ExchangeQuery)).toContainEqual(expect.objectContaining({ person_id: PERSON.id }));
    expect(within(list).getAllByTestId('related-exchange')[0].textContent).toContain(`${ROW.home_labels?.en.name} → ${ROW.host_labels?.en.name}`);
  });

  it('is found by its person in the global search, after the person, and opens with the keyboard', async () => {
    const subtitle = `${BASE.academic_year_label} · ${BASE.home_name} → ${BASE.host_name}`;
    const hits: SearchHit[] = [
      { entity: 'contact', id: BASE.person_id ?? '', title: BASE.person_name ?? '', subtitle: BASE.home_name },
      { entity: 'exchange', id: BASE.id, title: BASE.person_name ?? '', subtitle },
    ];
    const h = renderApp({ overrides: { search: () => hits } });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'PETIT');
    const shown = await screen.findAllByTestId('search-hit');
    expect(h.callsOf('search').at(-1)).toEqual({ query: 'PETIT', limit: 12, lang: 'en' });
    expect(shown[0].textContent).toContain('Contact');
    expect(shown[1].textContent).toContain(BASE.person_name);
    expect(shown[1].textContent).toContain(subtitle);
    expect(shown[1].textContent).toContain('Exchange');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('exchange-year')).textContent).toBe(BASE.academic_year_label);
    expect(screen.getByTestId('exchange-title').textContent).toBe(BASE.person_name);
  });

  it('finds a cohort by part of its name, and opens the exchange list filtered to it', async () => {
    const name = fx.exchange_cohorts[0];
    const h = renderApp({
      overrides: {
        search: () => [...fx.search.slice(0, 1), { entity: 'cohort', id: name, title: name, subtitle: '1 exchange', count: 1 } satisfies SearchHit],
        exchanges_list: listAnswer('exchanges_list', (q) => (q.cohort === name ? [ROW] : undefined)),
      },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'urban planning');
    const hits = await screen.findAllByTestId('search-hit');
    const cohort = hits.find((x) => x.textContent?.includes(name)) as HTMLElement;
    expect(cohort.textContent).toContain('Cohort');
    expect(cohort.textContent).toContain('1 exchange');
    await userEvent.click(cohort);
    await waitFor(() => expect(h.callsOf('exchanges_list').at(-1)?.query).toMatchObject({ cohort: name }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    expect((screen.getByTestId('filter-cohort') as HTMLSelectElement).value).toBe(name);
  });

  it('lists a person’s exchanges 20 at a time, with "Show more" while the core stopped counting', async () => {
    const h = renderApp({
      route: { name: 'contact', id: BARBOSA.id },
      overrides: {
        exchanges_list: (args, fx) => {
          const query = args.query as ExchangeQuery;
          if (!query.person_id) return fixtureAnswer('exchanges_list', args, fx);
          const rows = Array.from({ length: 20 }, (_, i) => ({ ...fx.exchanges_list.rows[0], id: `generated-${query.offset + i}` }));
          return { offset: query.offset, rows, total: 10_000, total_capped: true };
        },
      },
    });
    const list = await screen.findByTestId('contact-exchanges');
    expect(within(list).getAllByTestId('related-exchange')).toHaveLength(20);
    expect(screen.getByTestId('contact-exchanges-count').textContent).toBe('10,000+');
    await userEvent.click(screen.getByTestId('contact-exchanges-more'));
    await waitFor(() => expect(within(screen.getByTestId('contact-exchanges')).getAllByTestId('related-exchange')).toHaveLength(40));
    expect(listQueries(h).filter((q) => q.person_id).map((q) => q.offset)).toEqual([0, 20]);
  });

  it('formats the amount in French', async () => {
    renderApp({ route: { name: 'exchange', id: EXCHANGE.id }, overrides: exchangePages });
    await screen.findByTestId('exchange-title');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('exchange-amount').textContent?.replace(/\s/g, ' ')).toBe('1 800,00 €');
    expect(screen.getByTestId('exchange-status').textContent).toBe('Accepté');
  });

  it('deletes after confirmation and Undo restores', async () => {
    const id = BASE.id;
    const total = fx.exchanges_list.total;
    const h = renderApp({ route: { name: 'exchange', id }, overrides: deletions('exchange') });
    await screen.findByTestId('exchange-title');
    await userEvent.click(screen.getByTestId('exchange-delete'));
    expect(screen.getByRole('alertdialog').textContent).toContain(BASE.person_name);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('exchange-search');
    expect(h.callsOf('exchange_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe(`${total - 1} exchanges`));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('exchange_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe(`${total} exchanges`));
  });
});

describe('exchange form', () => {
  it('creates an exchange: person, agreement and its condition, academic year, amount in minor units', async () => {
    const person = recordWhere(fx.contacts_list.rows, (c) => c.id === BARBOSA.id, 'row of Barbosa');
    const agreementRow = recordWhere(fx.agreements_list.rows, (a) => a.id === AGREEMENT.id, 'row of the agreement');
    const h = renderApp({
      route: { name: 'exchangeNew' },
      overrides: {
        contacts_list: listAnswer('contacts_list', (q) => (q.search ? [person] : undefined)),
        agreements_list: listAnswer('agreements_list', (q) => (q.search ? [agreementRow] : undefined)),
        ...saves('exchange', (input) => {
          const i = input as ExchangeInput;
          return { ...EXCHANGE, id: 'e-new', person_id: BARBOSA.id, person_name: BARBOSA.name, amount: i.amount, currency: i.currency };
        }),
      },
    });
    await screen.findByTestId('exchange-form');
    await userEvent.type(screen.getByTestId('field-person'), 'Barbosa');
    await userEvent.click(await screen.findByTestId('field-person-option'));
    await userEvent.selectOptions(screen.getByTestId('field-category'), 'staff');
    expect((screen.getByTestId('field-condition') as HTMLSelectElement).disabled).toBe(true);
    await userEvent.type(screen.getByTestId('field-agreement'), 'doctoral');
    await userEvent.click(await screen.findByTestId('field-agreement-option'));

    // The conditions are those of the chosen agreement, as the core gives it.
    const select = screen.getByTestId('field-condition') as HTMLSelectElement;
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(AGREEMENT.conditions.length + 1));
    expect(h.callsOf('agreement_get')).toContainEqual({ id: AGREEMENT.id });
    const option = within(select).getAllByRole('option')[1] as HTMLOptionElement;
    expect(option.value).toBe(CONDITION.id);
    expect(option.textContent).toBe(
      `Doctoral mobility · ${labelText(CONDITION.sending_labels, CONDITION.sending_name)} → ${labelText(CONDITION.receiving_labels, CONDITION.receiving_name)} · 2020/2021 – 2030/2031 · 30 places`,
    );
    await userEvent.selectOptions(select, option.value);
    // Its sides fill the empty organisations.
    expect((screen.getByTestId('field-home') as HTMLInputElement).value).toBe(labelText(CONDITION.sending_labels, CONDITION.sending_name));
    expect((screen.getByTestId('field-host') as HTMLInputElement).value).toBe(labelText(CONDITION.receiving_labels, CONDITION.receiving_name));

    await userEvent.type(screen.getByTestId('field-year'), '2026');
    expect(screen.getByTestId('field-year-label').textContent).toBe('2026/2027');
    await userEvent.type(screen.getByTestId('field-amount'), '1 500,50');
    await userEvent.type(screen.getByTestId('field-currency'), 'eur');
    expect((screen.getByTestId('field-currency') as HTMLInputElement).value).toBe('EUR');
    await userEvent.type(screen.getByTestId('field-cohort'), 'CSC doctoral 2026');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('exchange-title')).textContent).toBe(BARBOSA.name);
    expect(screen.getByTestId('exchange-amount').textContent).toBe('€1,500.50');
    const sent = h.callsOf('exchange_create')[0].input as ExchangeInput;
    expect(sent).toMatchObject({
      person_id: BARBOSA.id,
      direction: 'incoming',
      category: 'staff',
      home_id: CONDITION.sending_id,
      host_id: CONDITION.receiving_id,
      agreement_id: AGREEMENT.id,
      condition_id: CONDITION.id,
      academic_year: 2026,
      amount: 150050,
      currency: 'EUR',
      cohort: 'CSC doctoral 2026',
      status: 'applied',
    });
  });

  it('does not send an amount that is not one, and shows the core’s errors inline', async () => {
    const h = renderApp({
      route: { name: 'exchangeNew', personId: BARBOSA.id },
      overrides: {
        exchange_create: () => {
          throw ipcError('invalid', 'x', [
            { field: 'currency', code: 'required', message: 'an amount needs its currency' },
            { field: 'host_id', code: 'same_side', message: 'the home and host organisations are the same' },
          ]);
        },
      },
    });
    await screen.findByTestId('exchange-form');
    // The person preset from the contact page.
    await waitFor(() => expect((screen.getByTestId('field-person') as HTMLInputElement).value).toBe(BARBOSA.name));
    await userEvent.type(screen.getByTestId('field-amount'), '12.3456');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-amount')).textContent).toBe('Enter an amount such as 1500 or 1500.50.');
    expect(h.callsOf('exchange_create')).toHaveLength(0);

    await userEvent.clear(screen.getByTestId('field-amount'));
    await userEvent.type(screen.getByTestId('field-amount'), '900');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-currency')).textContent).toBe('This field is required.');
    expect(screen.getByTestId('error-host_id').textContent).toBe('Both sides are the same organisation.');
    expect(screen.getByTestId('field-host').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('error-amount')).toBeNull();
    expect((h.callsOf('exchange_create')[0].input as ExchangeInput).amount).toBe(90000);
  });

  it('fills an empty academic year from the planned start, and keeps one typed', async () => {
    renderApp({ route: { name: 'exchangeNew' } });
    await screen.findByTestId('exchange-form');
    const start = screen.getByTestId('field-planned-start') as HTMLInputElement;
    fireEvent.change(start, { target: { value: '2027-02-15' } });
    expect((screen.getByTestId('field-year') as HTMLInputElement).value).toBe('2026');
    expect(screen.getByTestId('field-year-label').textContent).toBe('2026/2027');
    // Once there is a year, another date does not change it.
    fireEvent.change(start, { target: { value: '2027-09-01' } });
    expect((screen.getByTestId('field-year') as HTMLInputElement).value).toBe('2026');
  });

  it('suggests the academic year under way', async () => {
    renderApp({ route: { name: 'exchangeNew' } });
    await screen.findByTestId('exchange-form');
    const now = new Date();
    const underWay = now.getMonth() >= 8 ? now.getFullYear() : now.getFullYear() - 1;
    expect((screen.getByTestId('field-year') as HTMLInputElement).placeholder).toBe(String(underWay));
  });

  it('starts under an agreement from its page', async () => {
    renderApp({ route: { name: 'agreement', id: AGREEMENT.id } });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('agreement-new-exchange'));
    await screen.findByTestId('exchange-form');
    expect((screen.getByTestId('field-agreement') as HTMLInputElement).value).toBe(AGREEMENT.title);
    await waitFor(() => expect(within(screen.getByTestId('field-condition')).getAllByRole('option')).toHaveLength(AGREEMENT.conditions.length + 1));
  });
});

describe('amounts', () => {
  it('parse typed decimals into minor units, per currency', () => {
    expect(parseMajor('1500', 'EUR')).toBe(150000);
    expect(parseMajor('1 500,5', 'EUR')).toBe(150050);
    expect(parseMajor('1,500.50', 'EUR')).toBe(150050);
    expect(parseMajor('1.500,50', 'EUR')).toBe(150050);
    expect(parseMajor('1,500', 'EUR')).toBe(150000);
    expect(parseMajor('12,5', 'EUR')).toBe(1250);
    expect(parseMajor('3000', 'JPY')).toBe(3000);
    expect(parseMajor('30.5', 'JPY')).toBeUndefined();
    // One separator and three digits cannot be euro cents: thousands.
    expect(parseMajor('12.345', 'EUR')).toBe(1234500);
    expect(parseMajor('12.3456', 'EUR')).toBeUndefined();
    expect(parseMajor('1,5,0', 'EUR')).toBeUndefined();
    expect(parseMajor('1.5,50', 'EUR')).toBeUndefined();
    expect(parseMajor('1,234,567.8', 'EUR')).toBe(123456780);
    expect(parseMajor(',5', 'EUR')).toBe(50);
    expect(parseMajor('abc', 'EUR')).toBeUndefined();
    expect(parseMajor('  ', 'EUR')).toBeNull();
    expect(parseMajor('-5', 'EUR')).toBe(-500);
  });

  it('format minor units back', () => {
    expect(minorToMajorText(150050, 'EUR')).toBe('1500.50');
    expect(minorToMajorText(5, 'EUR')).toBe('0.05');
    expect(minorToMajorText(3000, 'JPY')).toBe('3000');
    expect(minorToMajorText(null, 'EUR')).toBe('');
    expect(formatMoney(150050, 'EUR', 'en')).toBe('€1,500.50');
    expect(formatMoney(3000, 'JPY', 'en')).toBe('¥3,000');
    expect(formatMoney(150050, null, 'en')).toBe('1,500.50');
  });
});
