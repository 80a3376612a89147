import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { formatSize } from '../components/Documents';
import type { Route } from '../router';
import { partnerId, renderApp } from './harness';

describe('documents', () => {
  it('lists a record’s documents with size, date and a "not yet synced" mark; Attach sends the owner id', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = partnerId(b, 'Fudan University');
        return { name: 'partner', id };
      },
    });
    const panel = await screen.findByTestId('documents');
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(2));
    expect(h.callsOf('documents_list')).toContainEqual({ owner: id });
    const [signed, map] = within(panel).getAllByTestId('document-row');
    expect(signed.textContent).toContain('Framework agreement (signed).pdf');
    expect(signed.textContent).toContain('1.2 MB');
    expect(within(signed).queryByTestId('document-pending')).toBeNull();
    expect(within(map).getByTestId('document-pending').textContent).toBe('not yet synced');
    expect((within(map).getByTestId('document-open') as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(within(panel).getByTestId('document-attach'));
    await waitFor(() => expect(h.callsOf('document_attach')).toEqual([{ owner: id }]));
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(3));
    expect(within(panel).getAllByTestId('document-row')[2].textContent).toContain('Signed copy.pdf');
    expect((await screen.findByTestId('toast')).textContent).toContain('“Signed copy.pdf” attached');

    await userEvent.click(within(signed).getByTestId('document-open'));
    await waitFor(() => expect(h.callsOf('document_open')).toHaveLength(1));
  });

  it('does nothing when the file dialog is cancelled', async () => {
    const h = renderApp({
      route: (b) => ({ name: 'partner', id: partnerId(b, 'Kyoto University') }),
      overrides: { document_attach: () => [] },
    });
    const panel = await screen.findByTestId('documents');
    expect(await within(panel).findByText('No document attached.')).toBeTruthy();
    await userEvent.click(within(panel).getByTestId('document-attach'));
    await waitFor(() => expect(h.callsOf('document_attach')).toHaveLength(1));
    expect(screen.queryByTestId('toast')).toBeNull();
    expect(within(panel).queryAllByTestId('document-row')).toHaveLength(0);
  });

  it('removes a document, and Undo restores it', async () => {
    const h = renderApp({ route: (b) => ({ name: 'partner', id: partnerId(b, 'Fudan University') }) });
    const panel = await screen.findByTestId('documents');
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(2));
    const docId = [...h.backend.activities.documents.values()].find((d) => d.doc.name === 'Campus map.png')?.doc.id;
    await userEvent.click(within(within(panel).getAllByTestId('document-row')[1]).getByTestId('document-remove'));
    await waitFor(() => expect(h.callsOf('document_remove')).toEqual([{ id: docId }]));
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(1));
    expect(screen.getByTestId('toast').textContent).toContain('“Campus map.png” removed');
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('document_restore')).toEqual([{ id: docId }]));
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(2));
  });

  it('is on every kind of record page', async () => {
    const routes: ((b: ReturnType<typeof renderApp>['backend']) => Route)[] = [
      (b) => ({ name: 'contact', id: [...b.contacts.values()][0].id }),
      (b) => ({ name: 'agreement', id: [...b.mobility.agreements.values()][0].id }),
      (b) => ({ name: 'exchange', id: [...b.mobility.exchanges.values()][0].id }),
      (b) => ({ name: 'project', id: [...b.activities.projects.values()][0].id }),
      (b) => ({ name: 'event', id: [...b.activities.events.values()][0].id }),
      (b) => ({ name: 'call', id: [...b.projects.calls.values()][0].id }),
      (b) => ({ name: 'application', id: [...b.projects.applications.values()][0].id }),
    ];
    for (const route of routes) {
      let owner = '';
      const h = renderApp({
        route: (b) => {
          const r = route(b);
          owner = 'id' in r ? r.id : '';
          return r;
        },
      });
      await screen.findByTestId('documents');
      await waitFor(() => expect(h.callsOf('documents_list')).toContainEqual({ owner }));
      await userEvent.click(screen.getByTestId('document-attach'));
      await waitFor(() => expect(h.callsOf('document_attach')).toEqual([{ owner }]));
      await waitFor(() => expect(screen.getAllByTestId('document-row').length).toBeGreaterThan(0));
      cleanup();
    }
  });

  it('formats sizes', () => {
    expect(formatSize(812, 'en')).toBe('812 bytes');
    expect(formatSize(48_220, 'en')).toBe('48 kB');
    expect(formatSize(2_431_004, 'fr')).toBe('2,4\u202fMo');
    expect(formatSize(812, 'fr')).toBe('812\u00a0octets');
  });
});
