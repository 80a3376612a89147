import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import type { PartnerQuery } from '../bindings/PartnerQuery';
import type { Route } from '../router';
import { fx } from './fixtures';
import { listAnswer, renderApp } from './harness';

const partnerQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('partners_list').map((a) => a.query as PartnerQuery);

describe('saved views', () => {
  it('saves the current filters, sort and search under a name, and re-applies them', async () => {
    // What the core finds for Japan, active, by city (the test's choice: the demo's Japanese partners).
    const japan = fx.partners_list.rows.filter((p) => p.zone === 'japan').reverse();
    const h = renderApp({
      overrides: { partners_list: listAnswer('partners_list', (q) => (q.zone === 'japan' ? japan : undefined)) },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.selectOptions(screen.getByTestId('filter-zone'), 'japan');
    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'active');
    await userEvent.click(screen.getByTestId('sort-city'));
    await waitFor(() => expect(partnerQueries(h).at(-1)).toMatchObject({ zone: 'japan', status: 'active', sort: 'city' }));

    await userEvent.click(screen.getByTestId('saved-view-save'));
    await userEvent.type(screen.getByTestId('saved-view-name'), 'Japan, active{Enter}');
    const chip = await screen.findByTestId('saved-view');
    expect(chip.textContent).toBe('Japan, active');
    expect(within(chip).getByTestId('saved-view-apply').getAttribute('aria-pressed')).toBe('true');
    // Kept in localStorage: a preference of this computer.
    expect(JSON.parse(window.localStorage.getItem('liaison.views.partners') ?? '[]')).toEqual([
      { name: 'Japan, active', filters: { search: '', zone: 'japan', country: '', kind: '', status: 'active', sort: 'city', descending: false } },
    ]);

    await userEvent.click(screen.getByTestId('clear-filters'));
    await userEvent.click(screen.getByTestId('sort-name'));
    await waitFor(() => expect(partnerQueries(h).at(-1)).toMatchObject({ zone: undefined, status: undefined }));
    await waitFor(() => expect(screen.getAllByTestId('partner-row').length).toBeGreaterThan(japan.length));
    expect(within(screen.getByTestId('saved-view')).getByTestId('saved-view-apply').getAttribute('aria-pressed')).toBe('false');

    // (The pages of a query already fetched come from the cache: the list is checked, not the calls.)
    await userEvent.click(screen.getByTestId('saved-view-apply'));
    expect((screen.getByTestId('filter-zone') as HTMLSelectElement).value).toBe('japan');
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe('active');
    expect(screen.getByTestId('sort-city').closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('ascending');
    await waitFor(() => expect(screen.getAllByTestId('partner-row')).toHaveLength(japan.length));
    expect(screen.getAllByTestId('partner-row')[0].textContent).toContain(japan[0].name);
    expect(within(screen.getByTestId('saved-view')).getByTestId('saved-view-apply').getAttribute('aria-pressed')).toBe('true');
  });

  it('is there after a restart, Esc cancels naming, and the × deletes a view', async () => {
    window.localStorage.setItem(
      'liaison.views.exchanges',
      JSON.stringify([{ name: 'Incoming 2025', filters: { direction: 'incoming', year: '2025' } }]),
    );
    const found = fx.exchanges_list.rows.slice(0, 1);
    const h = renderApp({
      route: { name: 'exchanges' },
      overrides: { exchanges_list: listAnswer('exchanges_list', (q) => (q.academic_year === 2025 ? found : undefined)) },
    });
    await screen.findAllByTestId('exchange-row');
    // Saved before some filters existed: the missing ones get their defaults.
    await userEvent.click(screen.getByTestId('saved-view-apply'));
    await waitFor(() =>
      expect(h.callsOf('exchanges_list').map((a) => a.query as ExchangeQuery).at(-1)).toMatchObject({ direction: 'incoming', academic_year: 2025 }),
    );
    await waitFor(() => expect(screen.getAllByTestId('exchange-row')).toHaveLength(1));

    await userEvent.click(screen.getByTestId('saved-view-save'));
    await userEvent.type(screen.getByTestId('saved-view-name'), 'Not this one');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('saved-view-name')).toBeNull();
    expect(screen.getAllByTestId('saved-view')).toHaveLength(1);

    await userEvent.click(screen.getByTestId('saved-view-delete'));
    expect(screen.queryByTestId('saved-view')).toBeNull();
    expect(JSON.parse(window.localStorage.getItem('liaison.views.exchanges') ?? 'null')).toEqual([]);
  });

  it('is offered on every list', async () => {
    for (const name of ['partners', 'contacts', 'agreements', 'exchanges', 'projects', 'events', 'calls', 'applications'] as const) {
      renderApp({ route: { name } as Route });
      expect(await screen.findByTestId('saved-views')).toBeTruthy();
      expect(screen.getByTestId('saved-view-save')).toBeTruthy();
      cleanup();
    }
  });
});

describe('deleting partners and contacts', () => {
  it('says what points to a partner before deleting it', async () => {
    const id = Object.values(fx.partner_get)[0].id;
    const h = renderApp({
      route: { name: 'partner', id },
      overrides: {
        dependants: () => [
          { entity: 'contact', count: 1 },
          { entity: 'agreement', count: 2 },
          { entity: 'exchange', count: 2 },
          { entity: 'project', count: 1 },
          { entity: 'event', count: 1 },
        ],
      },
    });
    await screen.findByTestId('partner-title');
    await userEvent.click(screen.getByTestId('partner-delete'));
    const dialog = await screen.findByRole('alertdialog');
    expect(h.callsOf('dependants')).toEqual([{ id }]);
    expect(dialog.textContent).toContain('Records that point to it:');
    for (const part of ['1 contact', '2 agreements', '2 exchanges', '1 project', '1 event']) expect(dialog.textContent).toContain(part);
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('partner-search');
    expect(h.callsOf('partner_delete')).toEqual([{ id }]);
  });

  it('says what points to a contact before deleting it, in French too', async () => {
    renderApp({
      route: { name: 'contact', id: Object.values(fx.contact_get)[0].id },
      overrides: {
        dependants: () => [
          { entity: 'exchange', count: 2 },
          { entity: 'application', count: 1 },
          { entity: 'event', count: 3 },
        ],
      },
    });
    await screen.findByTestId('contact-title');
    await userEvent.click(screen.getByTestId('contact-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('2 exchanges, 1 application, and 3 events');
    await userEvent.keyboard('{Escape}');
    await userEvent.click(screen.getByTestId('lang-switch'));
    await userEvent.click(screen.getByTestId('contact-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('2 mobilités, 1 candidature et 3 événements');
  });
});
