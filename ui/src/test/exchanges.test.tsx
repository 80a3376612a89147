import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { ExchangeInput } from '../bindings/ExchangeInput';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { FakeBackend } from '../dev/fakeBackend';
import { formatMoney, minorToMajorText, parseMajor } from '../lib/format';
import { partnerId, renderApp } from './fakeHarness';

const listQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('exchanges_list').map((a) => a.query as ExchangeQuery);

function contactId(backend: FakeBackend, family: string): string {
  const c = [...backend.contacts.values()].find((x) => x.family_name === family);
  if (!c) throw new Error(`no sample contact ${family}`);
  return c.id;
}

function exchangeOf(backend: FakeBackend, family: string) {
  const person = contactId(backend, family);
  const e = [...backend.mobility.exchanges.values()].find((x) => x.input.person_id === person);
  if (!e) throw new Error(`no exchange of ${family}`);
  return e;
}

describe('exchanges list', () => {
  it('shows "10,000+" when the core stopped counting', async () => {
    const h = renderApp({ route: { name: 'exchanges' }, backend: { extraExchanges: 10_050 } });
    await screen.findAllByTestId('exchange-row');
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe('10,000+ exchanges'));
    // Latest year first.
    expect(listQueries(h)[0]).toMatchObject({ sort: 'year', ascending: false, offset: 0, limit: 100 });
    expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain('2026/2027');

    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('exchange-count').textContent?.replace(/\s/g, ' ')).toBe('Plus de 10 000 mobilités');
  });

  it('clears its search with Esc, and Esc on an empty search leaves the list where it is', async () => {
    renderApp({ route: { name: 'exchanges' } });
    await screen.findAllByTestId('exchange-row');
    const search = screen.getByTestId('exchange-search') as HTMLInputElement;
    await userEvent.type(search, 'Tokyo');
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.keyboard('{Escape}');
    expect(search.value).toBe('');
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(3));
    await userEvent.keyboard('{Escape}');
    expect(screen.getByTestId('exchange-search')).toBeTruthy();
  });

  it('shows the exact count when it is not capped', async () => {
    renderApp({
      route: { name: 'exchanges' },
      overrides: {
        exchanges_list: (args, b) => ({ ...(b.handle('exchanges_list', args) as object), total: 10_000, total_capped: false }),
      },
    });
    await screen.findAllByTestId('exchange-row');
    await waitFor(() => expect(screen.getByTestId('exchange-count').textContent).toBe('10,000 exchanges'));
  });

  it('filters, searches person and partner names, sorts and opens a row with the keyboard', async () => {
    const h = renderApp({ route: { name: 'exchanges' } });
    const rows = await screen.findAllByTestId('exchange-row');
    expect(rows).toHaveLength(3);
    expect(screen.getByTestId('exchange-count').textContent).toBe('3 exchanges');

    await userEvent.selectOptions(screen.getByTestId('filter-direction'), 'outgoing');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ direction: 'outgoing' }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.selectOptions(screen.getByTestId('filter-direction'), '');

    await waitFor(() => expect(within(screen.getByTestId('filter-cohort')).getAllByRole('option')).toHaveLength(2));
    await userEvent.selectOptions(screen.getByTestId('filter-cohort'), 'UTokyo staff week 2025');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ cohort: 'UTokyo staff week 2025' }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.selectOptions(screen.getByTestId('filter-year'), '2024');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ academic_year: 2024 }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.click(screen.getByTestId('sort-year'));
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ sort: 'year', ascending: true }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain('2024/2025'));

    // A partner's name finds the exchanges whose other side it is.
    await userEvent.type(screen.getByTestId('exchange-search'), 'Tokyo');
    await waitFor(() => expect(listQueries(h).at(-1)?.search).toBe('Tokyo'));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('exchange-title')).textContent).toBe('Hanako TANAKA (田中 花子)');
  });
});

describe('exchange page', () => {
  it('shows the person, home → host, agreement and condition, the year and the amount, with links', async () => {
    renderApp({ route: (b) => ({ name: 'exchange', id: exchangeOf(b, 'Tanaka').id }) });
    expect((await screen.findByTestId('exchange-title')).textContent).toBe('Hanako TANAKA (田中 花子)');
    expect(screen.getByTestId('exchange-route').textContent).toContain('The University of Tokyo');
    expect(screen.getByTestId('exchange-year').textContent).toBe('2025/2026');
    expect(screen.getByTestId('exchange-amount').textContent).toBe('€1,800.00');
    expect(screen.getByTestId('exchange-status').textContent).toBe('Accepted');
    expect((await screen.findByTestId('exchange-condition')).textContent).toBe(
      'Staff teaching · The University of Tokyo → Université Claude Bernard Lyon 1',
    );
    await userEvent.click(screen.getByTestId('exchange-agreement'));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe('UTokyo – Lyon 1 student and staff exchange');
    await userEvent.keyboard('{Escape}');
    await userEvent.click(await screen.findByTestId('exchange-person'));
    expect((await screen.findByTestId('contact-title')).textContent).toBe('Hanako TANAKA (田中 花子)');
    // The person's exchanges, on the contact page.
    const list = await screen.findByTestId('contact-exchanges');
    expect(within(list).getAllByTestId('related-exchange')[0].textContent).toContain(
      'The University of Tokyo → Université Claude Bernard Lyon 1',
    );
  });

  it('is found by its person in the global search, after the person, and opens with the keyboard', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), '田中');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain('Contact');
    expect(hits[1].textContent).toContain('Hanako TANAKA (田中 花子)');
    expect(hits[1].textContent).toContain('2025/2026 · The University of Tokyo → Université Claude Bernard Lyon 1');
    expect(hits[1].textContent).toContain('Exchange');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('exchange-year')).textContent).toBe('2025/2026');
    expect(screen.getByTestId('exchange-title').textContent).toBe('Hanako TANAKA (田中 花子)');
  });

  it('finds a cohort by part of its name, and opens the exchange list filtered to it', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'staff week');
    const hits = await screen.findAllByTestId('search-hit');
    const cohort = hits.find((x) => x.textContent?.includes('UTokyo staff week 2025')) as HTMLElement;
    expect(cohort.textContent).toContain('Cohort');
    expect(cohort.textContent).toContain('1 exchange');
    await userEvent.click(cohort);
    await waitFor(() => expect(h.callsOf('exchanges_list').at(-1)?.query).toMatchObject({ cohort: 'UTokyo staff week 2025' }));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));
    expect((screen.getByTestId('filter-cohort') as HTMLSelectElement).value).toBe('UTokyo staff week 2025');
  });

  it('lists a person’s exchanges 20 at a time, with "Show more" while the core stopped counting', async () => {
    const h = renderApp({
      route: (b) => ({ name: 'contact', id: contactId(b, 'Tanaka') }),
      overrides: {
        exchanges_list: (args, b) => {
          const query = args.query as ExchangeQuery;
          const page = b.handle('exchanges_list', args) as { rows: { id: string }[] };
          if (!query.person_id) return page;
          const rows = Array.from({ length: 20 }, (_, i) => ({ ...page.rows[0], id: `generated-${query.offset + i}` }));
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
    renderApp({ route: (b) => ({ name: 'exchange', id: exchangeOf(b, 'Tanaka').id }) });
    await screen.findByTestId('exchange-title');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('exchange-amount').textContent?.replace(/\s/g, ' ')).toBe('1 800,00 €');
    expect(screen.getByTestId('exchange-status').textContent).toBe('Accepté');
  });

  it('deletes after confirmation and Undo restores', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = exchangeOf(b, 'Tanaka').id;
        return { name: 'exchange', id };
      },
    });
    await screen.findByTestId('exchange-title');
    await userEvent.click(screen.getByTestId('exchange-delete'));
    expect(screen.getByRole('alertdialog').textContent).toContain('Hanako TANAKA');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('exchange-search');
    expect(h.callsOf('exchange_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(2));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('exchange_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(3));
  });
});

describe('exchange form', () => {
  it('creates an exchange: person, agreement and its condition, academic year, amount in minor units', async () => {
    const h = renderApp({ route: { name: 'exchangeNew' } });
    await screen.findByTestId('exchange-form');
    await userEvent.type(screen.getByTestId('field-person'), 'Tanaka');
    await userEvent.click(await screen.findByTestId('field-person-option'));
    await userEvent.selectOptions(screen.getByTestId('field-category'), 'staff');
    expect((screen.getByTestId('field-condition') as HTMLSelectElement).disabled).toBe(true);
    await userEvent.type(screen.getByTestId('field-agreement'), 'student and staff');
    await userEvent.click(await screen.findByTestId('field-agreement-option'));

    // The conditions are those of the chosen agreement.
    const select = screen.getByTestId('field-condition') as HTMLSelectElement;
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(4));
    const staff = within(select)
      .getAllByRole('option')
      .find((o) => o.textContent?.startsWith('Staff teaching')) as HTMLOptionElement;
    expect(staff.textContent).toBe('Staff teaching · The University of Tokyo → Université Claude Bernard Lyon 1 · 2023/2024 – 2027/2028 · 1 place');
    await userEvent.selectOptions(select, staff.value);
    // Its sides fill the empty organisations.
    expect((screen.getByTestId('field-home') as HTMLInputElement).value).toBe('The University of Tokyo');
    expect((screen.getByTestId('field-host') as HTMLInputElement).value).toBe('Université Claude Bernard Lyon 1');

    await userEvent.type(screen.getByTestId('field-year'), '2026');
    expect(screen.getByTestId('field-year-label').textContent).toBe('2026/2027');
    await userEvent.type(screen.getByTestId('field-amount'), '1 500,50');
    await userEvent.type(screen.getByTestId('field-currency'), 'eur');
    expect((screen.getByTestId('field-currency') as HTMLInputElement).value).toBe('EUR');
    await userEvent.type(screen.getByTestId('field-cohort'), 'UTokyo staff week 2026');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('exchange-title')).textContent).toBe('Hanako TANAKA (田中 花子)');
    expect(screen.getByTestId('exchange-amount').textContent).toBe('€1,500.50');
    const sent = h.callsOf('exchange_create')[0].input as ExchangeInput;
    expect(sent).toMatchObject({
      person_id: contactId(h.backend, 'Tanaka'),
      direction: 'incoming',
      category: 'staff',
      home_id: partnerId(h.backend, 'The University of Tokyo'),
      host_id: partnerId(h.backend, 'Université Claude Bernard Lyon 1'),
      condition_id: staff.value,
      academic_year: 2026,
      amount: 150050,
      currency: 'EUR',
      cohort: 'UTokyo staff week 2026',
      status: 'applied',
    });
  });

  it('does not send an amount that is not one, and shows the core’s errors inline', async () => {
    const h = renderApp({
      route: (b) => ({ name: 'exchangeNew', personId: contactId(b, 'Li') }),
      overrides: {
        exchange_create: () => {
          throw {
            kind: 'invalid',
            message: 'x',
            fields: [
              { field: 'currency', code: 'required', message: 'an amount needs its currency' },
              { field: 'host_id', code: 'same_side', message: 'the home and host organisations are the same' },
            ],
          };
        },
      },
    });
    await screen.findByTestId('exchange-form');
    // The person preset from the contact page.
    expect((screen.getByTestId('field-person') as HTMLInputElement).value).toBe('Prof. Wei LI (李伟)');
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
    renderApp({
      route: (b) => ({ name: 'agreement', id: [...b.mobility.agreements.values()].find((a) => a.input.code === 'FDU-2021-02')?.id ?? '' }),
    });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('agreement-new-exchange'));
    await screen.findByTestId('exchange-form');
    expect((screen.getByTestId('field-agreement') as HTMLInputElement).value).toBe('Fudan – Lyon 1 student exchange');
    await waitFor(() => expect(within(screen.getByTestId('field-condition')).getAllByRole('option')).toHaveLength(3));
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
