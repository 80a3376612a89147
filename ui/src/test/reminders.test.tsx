import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Reminder } from '../bindings/Reminder';
import { byMonth, daysFromToday } from '../features/reminders/RemindersPage';
import { fx } from './fixtures';
import { renderApp } from './harness';

/** yyyy-mm-dd, `days` from today (local calendar). */
function inDays(days: number): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('reminders', () => {
  it('lists what is due soonest first, each row opening its record; the window is chosen', async () => {
    const h = renderApp({
      route: { name: 'reminders' },
      overrides: {
        // Deliberately out of order: the page shows them soonest first.
        reminders: (_args, fx): Reminder[] => {
          const agreement = Object.values(fx.agreement_get)[0];
          const exchange = Object.values(fx.exchange_get)[0];
          return [
            { kind: 'exchange_start', date: inDays(40), entity: 'exchange', record_id: exchange.id, title: 'Hanako TANAKA', detail: 'UTokyo → Lyon 1', organisations: [], overdue: false },
            { kind: 'agreement_expiry', date: inDays(60), entity: 'agreement', record_id: agreement.id, title: agreement.title, detail: null, organisations: [], overdue: false },
            { kind: 'call_deadline', date: inDays(3), entity: 'call', record_id: 'c-x', title: 'Alliance seed fund 2026', detail: 'ASF', organisations: [], overdue: false },
            { kind: 'agreement_notice', date: inDays(0), entity: 'agreement', record_id: agreement.id, title: agreement.title, detail: null, organisations: [], overdue: false },
          ];
        },
      },
    });
    await waitFor(() => expect(screen.getAllByTestId('reminder-row')).toHaveLength(4));
    expect(h.callsOf('reminders')[0]).toEqual({ withinDays: 90 });
    const rows = screen.getAllByTestId('reminder-row');
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['agreement_notice', 'call_deadline', 'exchange_start', 'agreement_expiry']);
    expect(rows[0].textContent).toContain('Notice due');
    expect(rows[0].textContent).toContain('today');
    expect(rows[1].textContent).toContain('in 3 days');
    expect(screen.getByTestId('reminder-count').textContent).toBe('4 reminders in the next 90 days');

    await userEvent.selectOptions(screen.getByTestId('reminders-window'), '30');
    await waitFor(() => expect(h.callsOf('reminders').at(-1)).toEqual({ withinDays: 30 }));

    await userEvent.click(screen.getAllByTestId('reminder-row')[3]);
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(Object.values(h.fx.agreement_get)[0].title);
  });

  it('shows what is overdue first, marked, and dismisses it on this computer (with Undo), in English and French', async () => {
    const agreement = Object.values(fx.agreement_get)[0];
    const notice: Reminder = { kind: 'agreement_notice', date: inDays(-3), entity: 'agreement', record_id: agreement.id, title: agreement.title, detail: null, organisations: [], overdue: true };
    const start: Reminder = { kind: 'exchange_start', date: inDays(-40), entity: 'exchange', record_id: 'e-1', title: 'Hanako TANAKA', detail: null, organisations: [], overdue: true };
    const soon: Reminder = { kind: 'call_deadline', date: inDays(5), entity: 'call', record_id: 'c-x', title: 'Alliance seed fund 2026', detail: null, organisations: [], overdue: false };
    let dismissed: string[] = [];
    const h = renderApp({
      route: { name: 'reminders' },
      overrides: {
        reminders: () => [start, notice, soon].filter((r) => !dismissed.includes(r.record_id)),
        reminder_dismiss: (args) => {
          dismissed.push(String(args.recordId));
          return null;
        },
        reminder_undismiss: (args) => {
          dismissed = dismissed.filter((id) => id !== args.recordId);
          return null;
        },
      },
    });
    const overdue = await screen.findByTestId('reminders-overdue');
    const late = within(overdue).getAllByTestId('reminder-row');
    expect(late.map((r) => r.getAttribute('data-kind'))).toEqual(['exchange_start', 'agreement_notice']);
    expect(late[1].textContent).toContain('Overdue');
    expect(late[1].textContent).toContain('3 days ago');
    expect(screen.getAllByTestId('reminder-row')[2].getAttribute('data-overdue')).toBeNull();
    expect(screen.getByTestId('reminder-count').textContent).toBe('2 overdue · 1 reminder in the next 90 days');

    await userEvent.click(within(overdue).getAllByTestId('reminder-dismiss')[1]);
    await waitFor(() => expect(h.callsOf('reminder_dismiss')).toEqual([{ kind: 'agreement_notice', recordId: agreement.id, date: notice.date }]));
    await waitFor(() => expect(within(screen.getByTestId('reminders-overdue')).getAllByTestId('reminder-row')).toHaveLength(1));
    await userEvent.click(await screen.findByTestId('reminder-undismiss'));
    await waitFor(() => expect(h.callsOf('reminder_undismiss')).toEqual([{ kind: 'agreement_notice', recordId: agreement.id, date: notice.date }]));
    await waitFor(() => expect(within(screen.getByTestId('reminders-overdue')).getAllByTestId('reminder-row')).toHaveLength(2));

    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(within(screen.getByTestId('reminders-overdue')).getByRole('heading').textContent).toBe('En retard');
    expect(screen.getByTestId('reminder-count').textContent).toBe('2 en retard · 1 échéance dans les 90 prochains jours');
    expect(within(screen.getByTestId('reminders-overdue')).getAllByTestId('reminder-dismiss')[0].textContent).toBe('Masquer');
  });

  it('exports to an .ics file and says where it was saved; nothing when the dialog is cancelled', async () => {
    let answer: string | null = null;
    const h = renderApp({ route: { name: 'reminders' }, overrides: { reminders_export: () => answer } });
    await screen.findByTestId('reminder-count');
    await userEvent.selectOptions(screen.getByTestId('reminders-window'), '180');

    await userEvent.click(screen.getByTestId('reminders-export'));
    await waitFor(() => expect(h.callsOf('reminders_export')).toEqual([{ withinDays: 180 }]));
    expect(screen.queryByTestId('toast')).toBeNull();

    answer = '/home/ana/Agenda/liaison-reminders.ics';
    await userEvent.click(screen.getByTestId('reminders-export'));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Reminders saved to /home/ana/Agenda/liaison-reminders.ics');
    expect(h.callsOf('reminders_export')).toHaveLength(2);
  });

  it('shows the reminders the core computes for the demo, in French too', async () => {
    const h = renderApp({ route: { name: 'reminders' } });
    const rows = await screen.findAllByTestId('reminder-row');
    expect(rows).toHaveLength(h.fx.reminders.length);
    const first = [...h.fx.reminders].sort((a, b) => a.date.localeCompare(b.date))[0];
    expect(rows[0].textContent).toContain(first.title);
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Échéances');
    expect(within(screen.getByTestId('reminders-export')).getByText('Exporter vers l’agenda (.ics)')).toBeTruthy();
  });

  it('groups by month and counts days on the local calendar', () => {
    const r = (date: string, title: string): Reminder => ({ kind: 'call_deadline', date, entity: 'call', record_id: title, title, detail: null, organisations: [], overdue: false });
    expect(byMonth([r('2026-04-02', 'b'), r('2026-03-30', 'a'), r('2026-04-02', 'a')]).map((g) => [g.month, g.items.map((i) => i.title)])).toEqual([
      ['2026-03', ['a']],
      ['2026-04', ['a', 'b']],
    ]);
    expect(daysFromToday('2026-03-03', new Date(2026, 2, 1, 23, 30))).toBe(2);
  });
});
