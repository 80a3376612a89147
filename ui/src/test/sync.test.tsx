import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import type { Conflict } from '../bindings/Conflict';
import type { FileLog } from '../bindings/FileLog';
import type { JobEvent } from '../bindings/JobEvent';
import type { SyncOutcome } from '../bindings/SyncOutcome';
import type { SyncStarted } from '../bindings/SyncStarted';
import type { SyncStatus } from '../bindings/SyncStatus';
import i18n from '../i18n';
import { renderApp } from './harness';

type Channel = { onmessage: (e: JobEvent) => void };

const LYON = '0192f0c4-0000-7000-8000-000000000001';
const SHANGHAI = '0192f0c4-0000-7000-8000-000000000002';
const OTTAWA = '0192f0c4-0000-7000-8000-000000000003';

/** What the core says of a head office that heard from Shanghai (approved) and from Ottawa (waiting). */
function status(waiting = true): SyncStatus {
  return {
    workspace: '0192f0c4-0000-7000-8000-0000000000ff',
    replica: LYON,
    name: 'Lyon head office',
    fingerprint: '3F2A-9C1B-77D0-E514',
    clock: '2026-12-05T10:00:00Z #0',
    holds: [
      { origin: LYON, name: 'Lyon head office', seq: 120 },
      { origin: SHANGHAI, name: 'Shanghai office', seq: 40 },
    ],
    peers: [
      {
        id: SHANGHAI,
        name: 'Shanghai office',
        fingerprint: 'A1B2-C3D4-E5F6-0718',
        standing: 'approved',
        acknowledged: [
          { origin: LYON, name: 'Lyon head office', seq: 100 },
          { origin: SHANGHAI, name: 'Shanghai office', seq: 40 },
        ],
        last_received: '2026-12-04T09:30:00Z',
        last_sent: '2026-12-03T16:00:00Z',
      },
      ...(waiting
        ? [
            {
              id: OTTAWA,
              name: 'Ottawa office',
              fingerprint: '5D6E-7F80-91A2-B3C4',
              standing: 'waiting' as const,
              acknowledged: [],
              last_received: '2026-12-05T08:00:00Z',
              last_sent: null,
            },
          ]
        : []),
    ],
    waiting: waiting ? [{ id: OTTAWA, name: 'Ottawa office', fingerprint: '5D6E-7F80-91A2-B3C4', ops: 12 }] : [],
    quarantined: 0,
    clock_behind_ms: null,
    future: 0,
    digest: '9f1c0a7e',
  };
}

/** The shell's answer to a sync job's command (null: the dialog was cancelled); the test sends its events. */
function jobAnswer(started: SyncStarted | null) {
  const channels: Channel[] = [];
  const answer = (args: Record<string, unknown>) => {
    channels.push(args.onEvent as Channel);
    return started;
  };
  const send = (e: JobEvent) => act(() => channels.at(-1)?.onmessage(e));
  return { answer, send };
}

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('sync', () => {
  it('shows this laptop, the laptops waiting with a badge, the peers and what each lacks', async () => {
    renderApp({ route: { name: 'sync' }, overrides: { sync_status: () => status(), sync_waiting: () => status().waiting } });
    expect((await screen.findByTestId('sync-me-name')).textContent).toBe('Lyon head office');
    expect(screen.getByTestId('sync-me-fingerprint').textContent).toBe('3F2A-9C1B-77D0-E514');
    expect((await screen.findByTestId('nav-sync-badge')).textContent).toBe('1');
    expect(screen.getByTestId('nav-sync-badge').getAttribute('aria-label')).toBe('1 laptop waiting for approval');
    const waiting = screen.getByTestId('sync-waiting-5D6E-7F80-91A2-B3C4');
    expect(waiting.textContent).toContain('Ottawa office');
    expect(waiting.textContent).toContain('12 changes');
    const peers = within(screen.getByTestId('sync-peers')).getAllByRole('row');
    expect(peers[1].textContent).toContain('Shanghai office');
    expect(peers[1].textContent).toContain('Approved');
    // Lyon holds 120 of its own changes; Shanghai acknowledged 100.
    expect(peers[1].textContent).toContain('Lacks 20 changes');
    expect(peers[2].textContent).toContain('Waiting for approval');
    expect(peers[2].textContent).toContain('Nothing acknowledged yet');
    // Only approved laptops are offered as a file's recipient.
    const options = within(screen.getByTestId('sync-send-for')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Everyone', 'Shanghai office']);
  });

  it('approves a waiting laptop only after a question naming its fingerprint', async () => {
    let approved = false;
    const h = renderApp({
      route: { name: 'sync' },
      overrides: {
        sync_status: () => status(!approved),
        sync_waiting: () => status(!approved).waiting,
        sync_approve: () => {
          approved = true;
          return { name: 'Ottawa office', applied: 12 };
        },
      },
    });
    await userEvent.click(await screen.findByTestId('sync-approve'));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Approve Ottawa office?');
    expect(dialog.textContent).toContain('5D6E-7F80-91A2-B3C4');
    expect(h.callsOf('sync_approve')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(h.callsOf('sync_approve')).toEqual([{ fingerprint: '5D6E-7F80-91A2-B3C4' }]));
    expect(await screen.findByText('Ottawa office approved: 12 changes applied.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('sync-waiting')).toBeNull());
    await waitFor(() => expect(screen.queryByTestId('nav-sync-badge')).toBeNull());
  });

  it('imports sync files as a job and says in words what came in and what was refused, in French too', async () => {
    await i18n.changeLanguage('fr');
    const shell = jobAnswer({ job: 4, ticket: 'T-1', file: null });
    const outcome: SyncOutcome = {
      kind: 'received',
      files: [
        {
          file: 'liaison-shanghai-to-lyon-2026-12-05.liaison',
          imported: {
            bundle: 'b1',
            sender: SHANGHAI,
            sender_name: 'Shanghai office',
            snapshot: false,
            ops: 230,
            new_ops: 214,
            already_held: 16,
            held_back: 0,
            refused: 0,
            future: 0,
            documents: 2,
            conflicts: 1,
            waiting: [],
            already_imported: false,
          },
          error: null,
        },
        {
          file: 'damaged.liaison',
          imported: null,
          error: { kind: 'bundle', message: 'this sync file is damaged', fields: [] },
        },
      ],
    };
    const history: FileLog[] = [
      {
        bundle: 'b1',
        direction: 'in',
        peer: SHANGHAI,
        peer_name: 'Shanghai office',
        at: '2026-12-05T10:02:00Z',
        ops: 230,
        new_ops: 214,
        documents: 2,
        result: 'imported',
      },
    ];
    let done = false;
    const h = renderApp({
      route: { name: 'sync' },
      overrides: {
        sync_status: () => status(false),
        sync_receive: shell.answer,
        sync_outcome: () => outcome,
        sync_history: () => (done ? history : []),
      },
    });
    await userEvent.type(await screen.findByTestId('sync-passphrase'), 'secret words');
    await userEvent.click(screen.getByTestId('sync-receive'));
    await waitFor(() => expect(h.callsOf('sync_receive')).toHaveLength(1));
    expect(h.callsOf('sync_receive')[0]).toMatchObject({ passphrase: 'secret words' });
    expect((await screen.findByTestId('job')).textContent).toContain('Import de fichiers de synchronisation');
    done = true;
    shell.send({ event: 'done' });
    const result = await screen.findByTestId('sync-result');
    expect(h.callsOf('sync_outcome')).toEqual([{ ticket: 'T-1' }]);
    const lines = within(result).getAllByRole('listitem').map((l) => l.textContent);
    expect(lines[0]).toBe('Shanghai office : 214 nouvelles modifications, 2 documents, 1 conflit');
    expect(lines[1]).toContain('damaged.liaison a été refusé, rien n’en a été importé');
    const rows = within(await screen.findByTestId('sync-history')).getAllByRole('row');
    expect(rows[1].textContent).toContain('Reçu');
    expect(rows[1].textContent).toContain('Shanghai office');
    expect(rows[1].textContent).toContain('Importé');
  });

  it('creates a sync file for a chosen laptop and says what it holds', async () => {
    const shell = jobAnswer({ job: 5, ticket: 'T-2', file: 'liaison-lyon-to-shanghai-2026-12-05.liaison' });
    const h = renderApp({
      route: { name: 'sync' },
      overrides: {
        sync_status: () => status(false),
        sync_send: shell.answer,
        sync_outcome: () => ({
          kind: 'sent',
          file: 'liaison-lyon-to-shanghai-2026-12-05.liaison',
          written: { path: '', bundle: 'b2', peer_name: 'Shanghai office', ops: 1350, documents: 1, bytes: 48_200 },
        }),
      },
    });
    await userEvent.selectOptions(await screen.findByTestId('sync-send-for'), SHANGHAI);
    await userEvent.click(screen.getByTestId('sync-send'));
    await waitFor(() => expect(h.callsOf('sync_send')).toHaveLength(1));
    expect(h.callsOf('sync_send')[0]).toMatchObject({ peer: SHANGHAI, passphrase: null });
    shell.send({ event: 'done' });
    expect((await screen.findByTestId('sync-result')).textContent).toContain(
      'liaison-lyon-to-shanghai-2026-12-05.liaison created: 1,350 changes, 1 document, 48.2 kB.',
    );
  });

  it('lists conflicts with both values, who wrote each and when, and settles them by a choice or a new value', async () => {
    const city: Conflict = {
      id: 'a1b2c3d4e5f6',
      record_table: 'partner',
      record_id: '0192f0c4-0000-7000-8000-0000000000aa',
      table: 'partner',
      row_id: '0192f0c4-0000-7000-8000-0000000000aa',
      field: 'city',
      edit_against_delete: false,
      winner: { value: 'Shanghai (Yangpu)', origin: SHANGHAI, author: 'Shanghai office', at: '2026-12-04T09:30:00Z' },
      loser: { value: 'Shanghai', origin: LYON, author: 'Lyon head office', at: '2026-12-04T09:00:00Z' },
    };
    const deleted: Conflict = {
      ...city,
      id: '0f0e0d0c0b0a',
      record_table: 'contact',
      field: 'deleted',
      edit_against_delete: true,
      winner: { value: 1, origin: LYON, author: 'Lyon head office', at: '2026-12-04T10:00:00Z' },
      loser: { value: 0, origin: OTTAWA, author: 'Ottawa office', at: '2026-12-04T09:45:00Z' },
    };
    let open = [city, deleted];
    const h = renderApp({
      route: { name: 'sync' },
      overrides: {
        sync_status: () => status(false),
        sync_conflicts: () => open,
        sync_resolve: (args) => {
          open = open.filter((c) => c.id !== args.id);
          return city;
        },
      },
    });
    expect((await screen.findByTestId('nav-sync-badge')).getAttribute('aria-label')).toBe('2 conflicts');
    const [first, second] = await screen.findAllByTestId('sync-conflict');
    expect(first.textContent).toContain('Partner');
    expect(first.textContent).toContain('city');
    expect(within(first).getByTestId('conflict-winner').textContent).toContain('Shanghai (Yangpu)');
    expect(within(first).getByTestId('conflict-winner').textContent).toContain('Shanghai office');
    expect(within(first).getByTestId('conflict-loser').textContent).toContain('Lyon head office');
    expect(within(second).getByTestId('conflict-winner').textContent).toContain('Deleted the record');
    expect(within(second).getByTestId('conflict-keep-kept').textContent).toBe('Restore');
    expect(within(second).queryByTestId('conflict-edit')).toBeNull();

    await userEvent.click(within(first).getByTestId('conflict-edit'));
    const input = within(first).getByTestId('conflict-new-value');
    await userEvent.clear(input);
    await userEvent.type(input, 'Shanghai (Minhang){Enter}');
    await waitFor(() =>
      expect(h.callsOf('sync_resolve')).toEqual([{ id: 'a1b2c3d4e5f6', choice: 'new', value: 'Shanghai (Minhang)' }]),
    );
    await waitFor(() => expect(screen.getAllByTestId('sync-conflict')).toHaveLength(1));
    await userEvent.click(within(screen.getByTestId('sync-conflict')).getByTestId('conflict-keep-kept'));
    await waitFor(() => expect(h.callsOf('sync_resolve').at(-1)).toEqual({ id: '0f0e0d0c0b0a', choice: 'kept', value: null }));
    await waitFor(() => expect(screen.queryByTestId('sync-conflicts')).toBeNull());
    await waitFor(() => expect(screen.queryByTestId('nav-sync-badge')).toBeNull());
  });

  it('chooses a shared folder, says what its last pass did, and stops using it', async () => {
    let dir: string | null = null;
    const last = {
      at: '2026-12-05T10:05:00Z',
      error: null,
      pass: {
        imported: [
          {
            file: 'liaison-shanghai-0192f0c4.liaison',
            imported: {
              bundle: 'b', sender: SHANGHAI, sender_name: 'Shanghai office', snapshot: false, ops: 3, new_ops: 3,
              already_held: 0, held_back: 0, refused: 0, future: 0, documents: 0, conflicts: 0, waiting: [],
              already_imported: false,
            },
          },
        ],
        refused: [],
        still_arriving: 1,
        written: { path: '/shared/liaison-lyon-0192f0c4.liaison', bundle: 'w', peer_name: null, ops: 5, documents: 0, bytes: 900 },
        waiting_for_approval: false,
      },
    };
    const h = renderApp({
      route: { name: 'sync' },
      overrides: {
        sync_status: () => status(false),
        shared_folder_state: () => ({
          dir,
          last: dir ? last : null,
          refused: dir ? [{ file: 'liaison-ottawa-5d6e7f80.liaison', reason: 'this sync file is damaged' }] : [],
        }),
        shared_folder_choose: () => {
          dir = '/home/lyon/Sync/Liaison';
          return { dir, last: null, refused: [] };
        },
        shared_folder_stop: () => {
          dir = null;
          return { dir, last: null, refused: [] };
        },
      },
    });
    await userEvent.click(await screen.findByTestId('sync-folder-choose'));
    expect((await screen.findByTestId('sync-folder-path')).textContent).toBe('/home/lyon/Sync/Liaison');
    expect(h.callsOf('shared_folder_choose')).toHaveLength(1);
    const said = await screen.findByTestId('sync-folder-last', {}, { timeout: 5000 });
    expect(said.textContent).toContain('Shanghai office: 3 new changes');
    expect(said.textContent).toContain('wrote this laptop’s file (5 changes)');
    expect(said.textContent).toContain('1 file still arriving');
    expect((await screen.findByTestId('sync-folder-refused')).textContent).toContain(
      'liaison-ottawa-5d6e7f80.liaison was refused, nothing of it was imported: this sync file is damaged',
    );
    await userEvent.click(screen.getByTestId('sync-folder-stop'));
    await waitFor(() => expect(screen.queryByTestId('sync-folder-path')).toBeNull());
    expect(h.callsOf('shared_folder_stop')).toHaveLength(1);
  });
});
