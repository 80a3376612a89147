import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Document } from '../bindings/Document';
import { formatSize } from '../components/Documents';
import type { Route } from '../router';
import { fx, type Fixtures } from './fixtures';
import { renderApp, type Answer } from './harness';

function doc(owner: string, id: string, name: string, size: number, available = true): Document {
  return { id, owner_id: owner, name, sha256: id.padEnd(64, '0'), size, media_type: null, added_at: '2026-01-05T09:30:00Z', available };
}

/** The core's answers about documents, for a record holding `initial`: attaching adds "Signed copy.pdf". */
function documentsOf(initial: Document[]): Record<string, Answer> {
  const removed = new Set<string>();
  const docs = [...initial];
  return {
    documents_list: (args) => docs.filter((d) => d.owner_id === args.owner && !removed.has(d.id)),
    document_attach: (args) => {
      const added = doc(String(args.owner), `d-${docs.length + 1}`, 'Signed copy.pdf', 90_000);
      docs.push(added);
      return [added];
    },
    document_remove: (args) => {
      removed.add(String(args.id));
      return null;
    },
    document_restore: (args) => {
      removed.delete(String(args.id));
      return null;
    },
  };
}

const firstPartner = (fx: Fixtures) => Object.values(fx.partner_get)[0].id;

describe('documents', () => {
  it('lists a record’s documents with size, date and a "not yet synced" mark; Attach sends the owner id', async () => {
    const id = firstPartner(fx);
    const h = renderApp({
      route: { name: 'partner', id },
      overrides: documentsOf([doc(id, 'd-1', 'Framework agreement (signed).pdf', 1_200_000), doc(id, 'd-2', 'Campus map.png', 48_220, false)]),
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
    const h = renderApp({ route: (fx) => ({ name: 'partner', id: firstPartner(fx) }), overrides: { document_attach: () => [] } });
    const panel = await screen.findByTestId('documents');
    expect(await within(panel).findByText('No document attached.')).toBeTruthy();
    await userEvent.click(within(panel).getByTestId('document-attach'));
    await waitFor(() => expect(h.callsOf('document_attach')).toHaveLength(1));
    expect(screen.queryByTestId('toast')).toBeNull();
    expect(within(panel).queryAllByTestId('document-row')).toHaveLength(0);
  });

  it('removes a document, and Undo restores it', async () => {
    const id = firstPartner(fx);
    const h = renderApp({
      route: { name: 'partner', id },
      overrides: documentsOf([doc(id, 'd-1', 'Framework agreement (signed).pdf', 1_200_000), doc(id, 'd-2', 'Campus map.png', 48_220)]),
    });
    const panel = await screen.findByTestId('documents');
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(2));
    await userEvent.click(within(within(panel).getAllByTestId('document-row')[1]).getByTestId('document-remove'));
    await waitFor(() => expect(h.callsOf('document_remove')).toEqual([{ id: 'd-2' }]));
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(1));
    expect(screen.getByTestId('toast').textContent).toContain('“Campus map.png” removed');
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('document_restore')).toEqual([{ id: 'd-2' }]));
    await waitFor(() => expect(within(panel).getAllByTestId('document-row')).toHaveLength(2));
  });

  it('is on every kind of record page', async () => {
    const first = (records: Record<string, { id: string }>) => Object.values(records)[0].id;
    const routes: ((fx: Fixtures) => Route)[] = [
      (fx) => ({ name: 'contact', id: first(fx.contact_get) }),
      (fx) => ({ name: 'agreement', id: first(fx.agreement_get) }),
      (fx) => ({ name: 'exchange', id: first(fx.exchange_get) }),
      (fx) => ({ name: 'project', id: first(fx.project_get) }),
      (fx) => ({ name: 'event', id: first(fx.event_get) }),
      (fx) => ({ name: 'call', id: first(fx.call_get) }),
      (fx) => ({ name: 'application', id: first(fx.application_get) }),
    ];
    for (const route of routes) {
      const r = route(fx);
      const owner = 'id' in r ? r.id : '';
      const h = renderApp({ route: r, overrides: documentsOf([]) });
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
