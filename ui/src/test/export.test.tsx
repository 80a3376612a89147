import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { ExportStarted } from '../bindings/ExportStarted';
import type { JobEvent } from '../bindings/JobEvent';
import i18n from '../i18n';
import { ipcError, renderApp } from './harness';

/** The job's channel as the shell gets it: the test sends the core's events through it. */
type Channel = { onmessage: (e: JobEvent) => void };

/**
 * The shell's answer to `list_export`: the file the dialog gave (null: cancelled); `early` events are sent
 * before the answer (a small list can be written before the UI hears back).
 */
function exportAnswer(file: string | null, early: JobEvent[] = []) {
  const channels: Channel[] = [];
  const answer = (args: Record<string, unknown>): ExportStarted | null => {
    const channel = args.onEvent as Channel;
    channels.push(channel);
    if (file === null) return null;
    early.forEach((e) => channel.onmessage(e));
    return { job: 7, file };
  };
  const send = (e: JobEvent) => act(() => channels.at(-1)?.onmessage(e));
  return { answer, send };
}

function menuItems(): string[] {
  return within(screen.getByRole('menu')).getAllByRole('menuitem').map((i) => i.getAttribute('data-testid') ?? '');
}

describe('export on every list', () => {
  it('exports the partners as the list shows them, chosen with the keyboard, with progress and a toast of what was written', async () => {
    const shell = exportAnswer('partners-2026-12-05.xlsx', [{ event: 'progress', done: 0, total: 42, step: 'Partners' }]);
    const h = renderApp({ route: { name: 'partners' }, overrides: { list_export: shell.answer } });
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('sort-country'));
    await userEvent.type(screen.getByTestId('partner-search'), 'Lyon');
    await waitFor(() => expect(h.callsOf('partners_list').at(-1)?.query).toMatchObject({ search: 'Lyon', sort: 'country' }));

    // Keyboard only: the button, ↓ opens the menu on its first format, ↓ ↑ End move, Escape closes it.
    const button = screen.getByTestId('export');
    expect(button.textContent).toContain('Export');
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    button.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(menuItems()).toEqual(['export-xlsx', 'export-csv', 'export-excel_csv', 'export-json']);
    expect(document.activeElement?.getAttribute('data-testid')).toBe('export-xlsx');
    await userEvent.keyboard('{End}');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('export-json');
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('export-xlsx');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('export-excel_csv').textContent).toContain('CSV for Excel (;)');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}{Enter}');
    await waitFor(() => expect(h.callsOf('list_export')).toHaveLength(1));

    // The list's own query goes to the core as the list sent it, its window aside: the core decides the rest.
    const call = h.callsOf('list_export')[0];
    const listed = h.callsOf('partners_list').at(-1)?.query as Record<string, unknown>;
    expect(call.format).toBe('excel_csv');
    expect(call.lang).toBe('en');
    expect(call.list).toEqual({ kind: 'partners', query: { ...listed, offset: 0, limit: 0 } });
    expect(listed).toMatchObject({ search: 'Lyon', sort: 'country' });

    // The job shows the events sent before the answer, then the later ones; Done ends it with a toast.
    const job = await screen.findByTestId('job');
    expect(job.textContent).toContain('Exporting partners');
    shell.send({ event: 'progress', done: 256, total: 42_000, step: 'Partners' });
    await waitFor(() => expect(screen.getByTestId('job-detail').textContent).toBe('Partners: 256 of 42,000'));
    shell.send({ event: 'progress', done: 41_999, total: 41_999, step: 'Partners' });
    shell.send({ event: 'done' });
    await waitFor(() => expect(screen.queryByTestId('job')).toBeNull());
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Exported 41,999 rows to partners-2026-12-05.xlsx');
    // Said in the language the user reads when it shows.
    await act(() => i18n.changeLanguage('fr'));
    expect(screen.getByTestId('toast').textContent).toContain('lignes exportées dans partners-2026-12-05.xlsx');
  });

  it('offers vCard for contacts only; a cancelled dialog starts nothing and says nothing', async () => {
    const shell = exportAnswer(null);
    const h = renderApp({ route: { name: 'contacts' }, overrides: { list_export: shell.answer } });
    await userEvent.click(await screen.findByTestId('export'));
    expect(menuItems()).toEqual(['export-xlsx', 'export-csv', 'export-excel_csv', 'export-json', 'export-vcard']);
    await userEvent.click(screen.getByTestId('export-vcard'));
    await waitFor(() => expect(h.callsOf('list_export')).toHaveLength(1));
    expect(h.callsOf('list_export')[0]).toMatchObject({ format: 'vcard', list: { kind: 'contacts' } });
    await waitFor(() => expect(screen.getByTestId('export').hasAttribute('disabled')).toBe(false));
    expect(screen.queryByTestId('job')).toBeNull();
    expect(screen.queryByTestId('toast')).toBeNull();
  });

  it('cancels from the job panel and says no file was written; errors are said in words, in French too', async () => {
    const shell = exportAnswer('mobilités-2026-12-05.xlsx');
    const h = renderApp({
      route: { name: 'exchanges' },
      overrides: { list_export: shell.answer, job_cancel: () => true },
    });
    await userEvent.click(await screen.findByTestId('export'));
    await userEvent.click(screen.getByTestId('export-xlsx'));
    await userEvent.click(await screen.findByTestId('job-cancel'));
    expect(h.callsOf('job_cancel')).toEqual([{ id: 7 }]);
    shell.send({ event: 'cancelled' });
    expect((await screen.findByTestId('toast')).textContent).toContain('Export cancelled: no file was written.');

    await act(() => i18n.changeLanguage('fr'));
    expect(screen.getByTestId('export').textContent).toContain('Exporter');
    await userEvent.click(screen.getByTestId('export'));
    expect(screen.getByTestId('export-excel_csv').textContent).toContain('CSV pour Excel (;)');
    await userEvent.click(screen.getByTestId('export-json'));
    expect(h.callsOf('list_export').at(-1)).toMatchObject({ format: 'json', lang: 'fr', list: { kind: 'exchanges' } });
    shell.send({
      event: 'failed',
      error: ipcError('io', 'cannot write /media/usb/mobilités.json: the disk is full'),
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('toast').at(-1)?.textContent).toContain(
        'L’export a échoué : cannot write /media/usb/mobilités.json: the disk is full',
      ),
    );
  });
});
