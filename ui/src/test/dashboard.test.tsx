import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as echarts from 'echarts/core';
import { describe, expect, it } from 'vitest';

import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { CallQuery } from '../bindings/CallQuery';
import type { Dashboard } from '../bindings/Dashboard';
import type { ExchangeQuery } from '../bindings/ExchangeQuery';
import { barColor, barTarget, ZONE_COLORS } from '../features/dashboard/ExchangesChart';
import { renderApp } from './harness';

const FIGURES: Dashboard = {
  academic_year: null,
  zones: [
    { zone: 'brazil', partners: 4, active_agreements: 1, incoming: 3, outgoing: 2, applications: 1 },
    { zone: 'canada', partners: 2, active_agreements: 0, incoming: 0, outgoing: 1, applications: 0 },
    { zone: 'china', partners: 18, active_agreements: 7, incoming: 42, outgoing: 9, applications: 4 },
    { zone: 'japan', partners: 11, active_agreements: 5, incoming: 12, outgoing: 14, applications: 2 },
    { zone: 'france_europe', partners: 3, active_agreements: 13, incoming: 0, outgoing: 0, applications: 6 },
    { zone: 'other', partners: 1, active_agreements: 0, incoming: 0, outgoing: 0, applications: 0 },
  ],
  agreements_in_force: 15,
  totals: { incoming: 57, outgoing: 26, without_zone: 0 },
  years: [
    { academic_year: 2024, zone: 'china', incoming: 20, outgoing: 4 },
    { academic_year: 2025, zone: 'china', incoming: 22, outgoing: 5 },
    { academic_year: 2025, zone: 'japan', incoming: 12, outgoing: 14 },
  ],
  open_calls: 2,
  applications: [
    { status: 'submitted', count: 5 },
    { status: 'funded', count: 1 },
  ],
};

const exchangeQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('exchanges_list').map((a) => a.query as ExchangeQuery);

describe('dashboard', () => {
  it('is first in the sidebar while partners stay the landing page', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    const nav = screen.getByRole('navigation');
    expect(within(nav).getAllByRole('button')[0].getAttribute('data-testid')).toBe('nav-dashboard');
    await userEvent.click(screen.getByTestId('nav-dashboard'));
    expect(await screen.findByTestId('dashboard-zone-china')).toBeTruthy();
    expect(screen.getByTestId('nav-dashboard').getAttribute('aria-current')).toBe('page');
  });

  it('shows the zone figures; China’s incoming count of a year opens the exchanges of that zone, direction and year', async () => {
    const h = renderApp({
      route: { name: 'dashboard' },
      overrides: { dashboard: (args) => ({ ...FIGURES, academic_year: (args.query as { academic_year?: number }).academic_year ?? null }) },
    });
    const china = await screen.findByTestId('dashboard-zone-china');
    expect(h.callsOf('dashboard')[0]).toEqual({ query: { years: 10 } });
    expect(within(china).getByTestId('figure-partners').textContent).toBe('18');
    expect(within(china).getByTestId('figure-agreements').textContent).toBe('7');
    expect(within(china).getByTestId('figure-incoming').textContent).toBe('42');
    expect(within(china).getByTestId('figure-outgoing').textContent).toBe('9');
    expect(within(screen.getByTestId('dashboard-zone-all')).getByTestId('figure-incoming').textContent).toBe('57');
    expect(screen.getByTestId('dashboard-open-calls').textContent).toBe('2');
    expect(screen.getByTestId('dashboard-applications-submitted').textContent).toBe('5');

    await userEvent.selectOptions(screen.getByTestId('dashboard-year'), '2025');
    await waitFor(() => expect(h.callsOf('dashboard').at(-1)).toEqual({ query: { academic_year: 2025, years: 10 } }));
    await userEvent.click(within(screen.getByTestId('dashboard-zone-china')).getByTestId('figure-incoming'));

    await screen.findByTestId('exchange-search');
    expect(screen.getByTestId('nav-exchanges').getAttribute('aria-current')).toBe('page');
    expect((screen.getByTestId('filter-zone') as HTMLSelectElement).value).toBe('china');
    expect((screen.getByTestId('filter-direction') as HTMLSelectElement).value).toBe('incoming');
    expect((screen.getByTestId('filter-year') as HTMLSelectElement).value).toBe('2025');
    // The list counts what the figure counts: cancelled and withdrawn exchanges are left out.
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe('counted');
    await waitFor(() => expect(exchangeQueries(h).at(-1)).toMatchObject({ zone: 'china', direction: 'incoming', academic_year: 2025, counted: true }));

    // What the user changes on the list afterwards is kept when they come back to it from a record.
    await userEvent.selectOptions(screen.getByTestId('filter-direction'), 'outgoing');
    await userEvent.selectOptions(screen.getByTestId('filter-year'), '');
    await waitFor(() => expect(exchangeQueries(h).at(-1)).toMatchObject({ direction: 'outgoing', academic_year: undefined }));
    await userEvent.click((await screen.findAllByTestId('exchange-row'))[0]);
    await userEvent.click(await screen.findByTestId('back'));
    await screen.findByTestId('exchange-search');
    expect((screen.getByTestId('filter-direction') as HTMLSelectElement).value).toBe('outgoing');
    expect((screen.getByTestId('filter-year') as HTMLSelectElement).value).toBe('');
    // Alt+← goes back to the dashboard.
    await userEvent.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await screen.findByTestId('dashboard-zone-china');
  });

  it('takes the all-zones exchange totals from the core and says how many of them are in no zone', async () => {
    renderApp({
      route: { name: 'dashboard' },
      overrides: { dashboard: () => ({ ...FIGURES, totals: { incoming: 60, outgoing: 26, without_zone: 3 } }) },
    });
    const all = await screen.findByTestId('dashboard-zone-all');
    // 57 incoming in the zones, and three more with no organisation on the other side.
    expect(within(all).getByTestId('figure-incoming').textContent).toBe('60');
    expect(within(all).getByTestId('figure-outgoing').textContent).toBe('26');
    expect(screen.getByTestId('dashboard-without-zone').textContent).toMatch(/^Of which 3 exchanges in no zone/);
  });

  it('says nothing about exchanges in no zone when there are none', async () => {
    renderApp({ route: { name: 'dashboard' }, overrides: { dashboard: () => FIGURES } });
    await screen.findByTestId('dashboard-zone-all');
    expect(screen.queryByTestId('dashboard-without-zone')).toBeNull();
  });

  it('opens the agreements in force of a zone, the open calls and the applications of a status', async () => {
    // The demo's figures as the core computes them; whether a list holds as many rows as its figure is the
    // core's (tests/integration/dashboard.rs): here, the figure shown and the filters the list opens with.
    const h = renderApp({ route: { name: 'dashboard' } });
    const china = await screen.findByTestId('dashboard-zone-china');
    const figures = h.fx.dashboard.zones.find((z) => z.zone === 'china');
    expect(within(china).getByTestId('figure-partners').textContent).toBe(String(figures?.partners));
    expect(within(china).getByTestId('figure-agreements').textContent).toBe(String(figures?.active_agreements));
    await userEvent.click(within(china).getByTestId('figure-agreements'));
    await screen.findByTestId('agreement-search');
    expect((screen.getByTestId('filter-zone') as HTMLSelectElement).value).toBe('china');
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe('in_force');
    await waitFor(() =>
      expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery).at(-1)).toMatchObject({ zone: 'china', in_force: true }),
    );
    expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery).at(-1)?.status).toBeUndefined();

    // All zones: the agreements in force, with no zone.
    await userEvent.click(screen.getByTestId('nav-dashboard'));
    const all = await screen.findByTestId('dashboard-zone-all');
    expect(within(all).getByTestId('figure-agreements').textContent).toBe(String(h.fx.dashboard.agreements_in_force));
    await userEvent.click(within(all).getByTestId('figure-agreements'));
    await waitFor(() => expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery).at(-1)).toMatchObject({ in_force: true }));
    expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery).at(-1)?.zone).toBeUndefined();

    // Applications with an organisation in China.
    await userEvent.click(screen.getByTestId('nav-dashboard'));
    await userEvent.click(within(await screen.findByTestId('dashboard-zone-china')).getByTestId('figure-applications'));
    await screen.findByTestId('application-search');
    expect((screen.getByTestId('filter-zone') as HTMLSelectElement).value).toBe('china');
    await waitFor(() => expect(h.callsOf('applications_list').at(-1)?.query).toMatchObject({ zone: 'china' }));

    await userEvent.click(screen.getByTestId('nav-dashboard'));
    await userEvent.click(await screen.findByTestId('dashboard-open-calls'));
    await screen.findByTestId('call-search');
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe('open');
    await waitFor(() => expect(h.callsOf('calls_list').map((a) => a.query as CallQuery).at(-1)).toMatchObject({ status: 'open' }));

    await userEvent.click(screen.getByTestId('nav-dashboard'));
    const status = h.fx.dashboard.applications[0].status;
    await userEvent.click(await screen.findByTestId(`dashboard-applications-${status}`));
    await screen.findByTestId('application-search');
    expect((screen.getByTestId('filter-status') as HTMLSelectElement).value).toBe(status);
  });

  it('lists the chart’s figures by year as buttons, and maps a bar back to its zone, direction and year', async () => {
    const h = renderApp({ route: { name: 'dashboard' }, overrides: { dashboard: () => FIGURES } });
    await screen.findByTestId('dashboard-zone-china');
    // Drawn in SVG (bars, legend with the zones).
    const chart = await screen.findByTestId('dashboard-chart');
    await waitFor(() => expect(chart.querySelector('svg')).not.toBeNull());
    expect(chart.textContent).toContain('China');
    expect(chart.textContent).toContain('2025/2026');
    const years = screen.getByTestId('dashboard-years');
    await userEvent.click(within(years).getByText('Figures by year (incoming / outgoing)'));
    const row = within(years).getByTestId('dashboard-year-2025');
    expect(within(row).getByTestId('year-japan-outgoing').textContent).toBe('14');
    await userEvent.click(within(row).getByTestId('year-japan-outgoing'));
    await screen.findByTestId('exchange-search');
    await waitFor(() => expect(exchangeQueries(h).at(-1)).toMatchObject({ zone: 'japan', direction: 'outgoing', academic_year: 2025, counted: true }));

    expect(barTarget(h.fx.rules, 'china|incoming', 1, [2024, 2025])).toEqual({ zone: 'china', direction: 'incoming', year: 2025 });
    expect(barTarget(h.fx.rules, 'mars|incoming', 0, [2024])).toBeNull();
    expect(barTarget(h.fx.rules, 'china|sideways', 0, [2024])).toBeNull();
  });

  it('in the dark theme too, outgoing bars are lighter than incoming ones, as the caption says', async () => {
    window.localStorage.setItem('liaison.theme', 'dark');
    renderApp({ route: { name: 'dashboard' }, overrides: { dashboard: () => FIGURES } });
    const chart = await screen.findByTestId('dashboard-chart');
    await waitFor(() => expect(chart.querySelector('svg')).not.toBeNull());
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(screen.getByText(/outgoing ones \(lighter\)/)).toBeTruthy();
    const zr = echarts.getInstanceByDom(chart)?.getZr() as unknown as {
      storage: { getDisplayList: (update: boolean) => { type: string; shape?: Record<string, number>; style: Record<string, unknown> }[] };
    };
    const bars = zr.storage.getDisplayList(true).filter((el) => el.type === 'rect' && el.shape?.height);
    // What the eye sees: a bar's colour over the dark page (#14171c or so), after its opacity.
    const seen = (el: { style: Record<string, unknown> }) => {
      const hex = String(el.style.fill);
      const alpha = typeof el.style.opacity === 'number' ? el.style.opacity : 1;
      const channel = (i: number) => parseInt(hex.slice(i, i + 2), 16) * alpha + 0x16 * (1 - alpha);
      return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    };
    const japan = bars.filter((el) => [ZONE_COLORS.japan, barColor('japan', 'outgoing')].includes(String(el.style.fill)));
    const incoming = japan.filter((el) => el.style.fill === ZONE_COLORS.japan);
    const outgoing = japan.filter((el) => el.style.fill !== ZONE_COLORS.japan);
    expect(incoming.length).toBeGreaterThan(0);
    expect(outgoing.length).toBeGreaterThan(0);
    for (const o of outgoing) for (const i of incoming) expect(seen(o)).toBeGreaterThan(seen(i));
  });

  it('opens the exchanges of a bar clicked in the chart', async () => {
    const h = renderApp({ route: { name: 'dashboard' }, overrides: { dashboard: () => FIGURES } });
    const chart = await screen.findByTestId('dashboard-chart');
    await waitFor(() => expect(chart.querySelector('svg')).not.toBeNull());
    // The bars as drawn: Japan's outgoing bar (its colour, lighter) is the only one of them with a height.
    const zr = echarts.getInstanceByDom(chart)?.getZr() as unknown as {
      storage: { getDisplayList: (update: boolean) => { type: string; shape?: Record<string, number>; style: Record<string, unknown> }[] };
      handler: Record<string, (e: object) => void>;
    };
    const bar = zr.storage
      .getDisplayList(true)
      .find((el) => el.type === 'rect' && el.style.fill === barColor('japan', 'outgoing') && el.shape?.height);
    expect(bar).toBeTruthy();
    const shape = bar?.shape as Record<string, number>;
    const at = { zrX: shape.x + shape.width / 2, zrY: shape.y + shape.height / 2, preventDefault() {}, stopPropagation() {} };
    act(() => {
      for (const type of ['mousemove', 'mousedown', 'mouseup', 'click']) zr.handler[type]({ ...at, type });
    });
    await screen.findByTestId('exchange-search');
    await waitFor(() => expect(exchangeQueries(h).at(-1)).toMatchObject({ zone: 'japan', direction: 'outgoing', academic_year: 2025, counted: true }));
  });

  it('speaks French', async () => {
    renderApp({ route: { name: 'dashboard' }, overrides: { dashboard: () => FIGURES } });
    await screen.findByTestId('dashboard-zone-china');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tableau de bord');
    expect(screen.getByTestId('dashboard-zone-china').textContent).toContain('Chine');
  });
});
