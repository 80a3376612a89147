import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Contact } from '../bindings/Contact';
import type { ContactInput } from '../bindings/ContactInput';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { JobEvent } from '../bindings/JobEvent';
import type { WorkspaceStatus } from '../bindings/WorkspaceStatus';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import { minTableWidth } from '../components/VirtualTable';
import { fx, recordWhere } from './fixtures';
import { deletions, ipcError, listAnswer, renderApp, type Answer } from './harness';

/** A workspace not started yet: the first-run page; `workspace_start` answers it started, with its replica's name. */
function firstRun(): Record<string, Answer> {
  let status: WorkspaceStatus = { ...fx.workspace_status, initialised: false, replica_name: null };
  let started: string | null = null;
  return {
    workspace_status: () => status,
    workspace_start: (args) => {
      started = String(args.choice);
      status = { ...fx.workspace_status, initialised: true, replica_name: String(args.name) };
      return status;
    },
    // Started empty, there are no partners; from the demo, its partners.
    partners_list: listAnswer('partners_list', () => (started === 'empty' ? [] : undefined)),
  };
}

// A contact of the fixtures whose organisation has a record page too.
const BARBOSA = recordWhere(fx.contact_get, (c) => c.family_name === 'Barbosa', 'contact Barbosa');

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('languages', () => {
  it('has the same keys in English and French', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });

  it('switches the visible labels, and remembers the choice', async () => {
    const chinese = recordWhere(fx.partners_list.rows, (p) => p.country === 'CN' && p.kind === 'university', 'Chinese university');
    renderApp({ overrides: { partners_list: listAnswer('partners_list', () => [chinese]) } });
    await screen.findAllByTestId('partner-row');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Partners');
    expect(screen.getByTestId('partner-new').textContent).toBe('New partner');
    expect(screen.getAllByTestId('partner-row')[0].textContent).toContain('China');

    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Partenaires');
    expect(screen.getByTestId('partner-new').textContent).toBe('Nouveau partenaire');
    expect(screen.getAllByTestId('partner-row')[0].textContent).toContain('Chine'); // Intl country names
    expect(screen.getAllByTestId('partner-row')[0].textContent).toContain('Université'); // OrgKind label
    expect(window.localStorage.getItem('liaison.lang')).toBe('fr');
    expect(document.documentElement.lang).toBe('fr');

    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Partners');
  });

  it('cycles the theme system → light → dark and remembers it', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    const button = screen.getByTestId('theme-switch');
    expect(button.getAttribute('data-theme-choice')).toBe('system');
    await userEvent.click(button);
    expect(document.documentElement.dataset.theme).toBe('light');
    await userEvent.click(button);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem('liaison.theme')).toBe('dark');
  });
});

describe('tables', () => {
  it('have rows as wide as their columns’ minimums, gaps and padding, and scroll sideways below that', () => {
    expect(minTableWidth([{ width: 'minmax(100px, 1fr)' }, { width: '80px' }, { width: '1fr' }])).toBe(100 + 80 + 2 * 12 + 32);
    expect(minTableWidth([])).toBe(32);
  });
});

describe('history', () => {
  const at = (m: number) => `2026-03-0${m}T10:00:00Z`;
  const history: HistoryEntry[] = [
    {
      hlc: 1,
      at: at(1),
      origin: 'r1',
      author: 'Lyon office',
      changes: [
        { table: 'partner', row_id: 'P', column: 'acronym', old: null, new: 'UL' },
        { table: 'partner', row_id: 'P', column: 'kind', old: null, new: 'university' },
        { table: 'partner_name', row_id: 'N1', column: 'partner_id', old: null, new: 'P' },
        { table: 'partner_name', row_id: 'N1', column: 'value', old: null, new: 'Université de Lyon' },
        { table: 'partner_name', row_id: 'N1', column: 'lang', old: null, new: 'fr' },
      ],
    },
    {
      hlc: 2,
      at: at(2),
      origin: 'r2',
      author: 'Shanghai office',
      changes: [
        { table: 'partner', row_id: 'P', column: 'acronym', old: 'UL', new: 'UdL' },
        { table: 'partner', row_id: 'P', column: 'zone', old: 'other', new: 'france_europe' },
        { table: 'partner_tag', row_id: 'T1', column: 'partner_id', old: null, new: 'P' },
        { table: 'partner_tag', row_id: 'T1', column: 'value', old: null, new: 'erasmus' },
      ],
    },
    {
      hlc: 3,
      at: at(3),
      origin: 'r2',
      author: 'Shanghai office',
      changes: [{ table: 'partner_tag', row_id: 'T1', column: 'deleted', old: 0, new: 1 }],
    },
  ];

  it('lists changes newest first as "Field: old → new", with added and removed child rows', async () => {
    renderApp({
      route: { name: 'partner', id: Object.values(fx.partner_get)[0].id },
      overrides: { history: () => history },
    });
    const section = await screen.findByTestId('history');
    const entries = await within(section).findAllByTestId('history-entry');
    expect(entries).toHaveLength(3);
    expect(entries[0].textContent).toContain('Tag removed: erasmus');
    expect(entries[0].textContent).toContain('Shanghai office');
    expect(entries[1].textContent).toContain('Acronym: UL → UdL');
    expect(entries[1].textContent).toContain('Zone: Other → France & Europe');
    expect(entries[1].textContent).toContain('Tag added: erasmus');
    expect(entries[2].textContent).toContain('Created');
    expect(entries[2].textContent).toContain('Name added: Université de Lyon (fr)');
    expect(entries[2].textContent).toContain('Lyon office');
    expect(entries[2].textContent).not.toContain('partner_id');

    await userEvent.click(screen.getByTestId('lang-switch'));
    const fr = within(screen.getByTestId('history')).getAllByTestId('history-entry');
    expect(fr[1].textContent).toContain('Sigle : UL → UdL'.replace(' :', ':'));
    expect(fr[0].textContent).toContain('Étiquette retiré(e): erasmus');
  });
});

describe('first run', () => {
  it('offers the demo and the empty start with a replica name', async () => {
    const h = renderApp({ overrides: firstRun() });
    const name = (await screen.findByTestId('replica-name')) as HTMLInputElement;
    expect(name.value).toBe('Lyon office');
    await userEvent.clear(name);
    await userEvent.type(name, 'Shanghai office');
    await userEvent.click(screen.getByTestId('start-demo'));
    await screen.findAllByTestId('partner-row');
    expect(h.callsOf('workspace_start')).toEqual([{ choice: 'demo', name: 'Shanghai office' }]);
    expect(screen.getByText('Replica: Shanghai office')).toBeTruthy();
  });

  it('joins a workspace from a snapshot file as a job, then shows the Sync page with this laptop’s fingerprint', async () => {
    const base = firstRun();
    let joined = false;
    const channels: { onmessage: (e: JobEvent) => void }[] = [];
    const h = renderApp({
      overrides: {
        ...base,
        workspace_status: (args) =>
          joined ? { ...fx.workspace_status, initialised: true, replica_name: 'Shanghai office' } : (base.workspace_status as (a: unknown) => unknown)(args),
        workspace_join: (args) => {
          channels.push(args.onEvent as { onmessage: (e: JobEvent) => void });
          return { job: 3, ticket: 'T-9', file: 'liaison-lyon-snapshot-2026-12-05.liaison' };
        },
        sync_outcome: () => ({
          kind: 'received',
          files: [
            {
              file: 'liaison-lyon-snapshot-2026-12-05.liaison',
              imported: {
                bundle: 'b', sender: 's', sender_name: 'Lyon head office', snapshot: true, ops: 900, new_ops: 900,
                already_held: 0, held_back: 0, refused: 0, future: 0, documents: 0, conflicts: 0, waiting: [], already_imported: false,
              },
              error: null,
            },
          ],
        }),
        sync_status: () => ({
          workspace: 'w', replica: 'r', name: 'Shanghai office', fingerprint: '1234-ABCD', clock: '', holds: [], peers: [],
          waiting: [], quarantined: 0, clock_behind_ms: null, future: 0, digest: 'd',
        }),
      },
    });
    const name = (await screen.findByTestId('replica-name')) as HTMLInputElement;
    await userEvent.clear(name);
    await userEvent.type(name, 'Shanghai office');
    await userEvent.click(screen.getByTestId('join-passphrase').querySelector('summary') as HTMLElement);
    await userEvent.type(screen.getByTestId('join-passphrase-input'), 'tea and rice');
    await userEvent.click(screen.getByTestId('start-join'));
    await waitFor(() => expect(h.callsOf('workspace_join')).toHaveLength(1));
    expect(h.callsOf('workspace_join')[0]).toMatchObject({ name: 'Shanghai office', passphrase: 'tea and rice' });
    expect((await screen.findByTestId('job')).textContent).toContain('Joining the workspace');
    joined = true;
    act(() => channels[0].onmessage({ event: 'done' }));
    expect((await screen.findByTestId('sync-me-fingerprint')).textContent).toBe('1234-ABCD');
    expect(await screen.findByText('You joined Lyon head office’s workspace. Read this laptop’s fingerprint to them so they approve it.')).toBeTruthy();
    expect(h.callsOf('workspace_start')).toEqual([]);
  });

  it('starts empty and shows the empty state', async () => {
    const h = renderApp({ overrides: firstRun() });
    await userEvent.click(await screen.findByTestId('start-empty'));
    await waitFor(() => expect(h.callsOf('workspace_start')).toEqual([{ choice: 'empty', name: 'Lyon office' }]));
    expect(await screen.findByText('No partners yet')).toBeTruthy();
  });
});

describe('global search and shortcuts', () => {
  it('Ctrl+K focuses the search; results open with the keyboard', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.keyboard('{Control>}k{/Control}');
    const input = screen.getByTestId('global-search');
    expect(document.activeElement).toBe(input);
    // The fixture is the core's answer to "lyon": a partner with a record page first.
    await userEvent.type(input, 'lyon');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits).toHaveLength(fx.search.length);
    expect(hits[0].textContent).toContain(fx.search[0].title);
    expect(h.callsOf('search').at(-1)).toEqual({ query: 'lyon', limit: 12, lang: 'en' });
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('partner-title')).textContent).toBe(fx.search[0].title);
  });

  it('Ctrl+N opens a new record in the current section', async () => {
    renderApp({ route: { name: 'contacts' } });
    await screen.findAllByTestId('contact-row');
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('contact-form')).toBeTruthy();
  });
});

describe('contacts', () => {
  it('lists, opens, and shows affiliations with a link to the organisation', async () => {
    renderApp({ route: { name: 'contacts' } });
    const rows = await screen.findAllByTestId('contact-row');
    expect(screen.getByTestId('contact-count').textContent).toBe(`${fx.contacts_list.total} contacts`);
    await userEvent.click(rows.find((r) => r.textContent?.includes(BARBOSA.name)) as HTMLElement);
    expect((await screen.findByTestId('contact-title')).textContent).toBe(BARBOSA.name);
    // The link and the page's title name the organisation in the UI language, not by its primary name.
    const affiliation = BARBOSA.affiliations_read[0];
    const organisation = affiliation.partner_labels?.en.name ?? '';
    expect(organisation).not.toBe(affiliation.partner_name);
    await userEvent.click(within(screen.getByTestId('contact-affiliations')).getByText(organisation));
    expect((await screen.findByTestId('partner-title')).textContent).toBe(fx.partner_get[affiliation.partner_id].labels.en.name);
  });

  it('creates a contact with an affiliation, dropping empty rows and mapping errors back', async () => {
    let attempt = 0;
    const usp = recordWhere(fx.partners_list.rows, (p) => p.name === 'Universidade de São Paulo', 'partner USP');
    const saved = (input: ContactInput): Contact => ({
      ...BARBOSA,
      id: 'c-new',
      name: 'Ana SOUZA',
      title: null,
      given_name: input.given_name,
      family_name: input.family_name,
      emails: input.emails,
      affiliations: input.affiliations.map((a, i) => ({ id: `af-${i}`, ...a, partner_id: usp.id })),
      affiliations_read: input.affiliations.map((a, i) => ({ id: `af-${i}`, ...a, partner_id: usp.id, partner_name: usp.name, partner_labels: null })),
    });
    const h = renderApp({
      route: { name: 'contactNew' },
      overrides: {
        partners_list: listAnswer('partners_list', (q) => (q.search ? [usp] : undefined)),
        contact_create: (args) => {
          attempt += 1;
          if (attempt === 1) throw ipcError('invalid', 'emails[0]: bad', [{ field: 'emails[0]', code: 'email', message: '"x" is not an e-mail address' }]);
          return saved(args.input as ContactInput);
        },
        contact_get: (args, fx) => (args.id === 'c-new' ? saved(h.callsOf('contact_create').at(-1)?.input as ContactInput) : fx.contact_get[String(args.id)]),
      },
    });
    await screen.findByTestId('contact-form');
    await userEvent.type(screen.getByTestId('field-given-name'), 'Ana');
    await userEvent.type(screen.getByTestId('field-family-name'), 'Souza');
    await userEvent.click(screen.getByTestId('email-add'));
    await userEvent.type(screen.getByTestId('email-1'), 'x');
    await userEvent.click(screen.getByTestId('aff-add'));
    await userEvent.type(screen.getByTestId('aff-partner-0'), 'São Paulo');
    await userEvent.click(await screen.findByTestId('aff-partner-0-option'));
    await userEvent.type(screen.getByTestId('aff-role-0'), 'Professor');
    await userEvent.type(screen.getByTestId('aff-start-0'), '2024-09-01');
    await userEvent.click(screen.getByTestId('form-save'));

    // emails[0] for the core is the second e-mail row of the form.
    expect((await screen.findByTestId('error-emails[1]')).textContent).toBe('Enter a valid e-mail address.');
    const first = h.callsOf('contact_create')[0].input as ContactInput;
    expect(first.emails).toEqual(['x']);
    expect(first.affiliations).toEqual([
      { partner_id: usp.id, role: 'Professor', start_date: '2024-09-01', end_date: null },
    ]);

    await userEvent.clear(screen.getByTestId('email-1'));
    await userEvent.type(screen.getByTestId('email-1'), 'ana.souza@usp.example.br');
    await userEvent.keyboard('{Control>}s{/Control}');
    expect((await screen.findByTestId('contact-title')).textContent).toBe('Ana SOUZA');
    await waitFor(() => expect(screen.getByTestId('contact-affiliations').textContent).toContain('Universidade de São Paulo'));
    expect(h.callsOf('contact_create')).toHaveLength(2);
    expect((h.callsOf('contact_create')[1].input as ContactInput).emails).toEqual(['ana.souza@usp.example.br']);
  });

  it('deletes a contact after confirmation and Undo restores it', async () => {
    const id = BARBOSA.id;
    const total = fx.contacts_list.total;
    const h = renderApp({ route: { name: 'contact', id }, overrides: deletions('contact') });
    await screen.findByTestId('contact-title');
    await userEvent.click(screen.getByTestId('contact-delete'));
    await userEvent.click(await screen.findByTestId('confirm-ok'));
    await screen.findByTestId('contact-search');
    expect(h.callsOf('contact_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getByTestId('contact-count').textContent).toBe(`${total - 1} contacts`));
    expect(screen.getAllByTestId('contact-row').some((r) => r.textContent?.includes(BARBOSA.name))).toBe(false);
    await userEvent.click(screen.getByText('Undo'));
    await waitFor(() => expect(h.callsOf('contact_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getByTestId('contact-count').textContent).toBe(`${total} contacts`));
  });

  it('describes affiliation and detail changes in the history', async () => {
    renderApp({
      route: { name: 'contact', id: BARBOSA.id },
      overrides: {
        history: () => [
          {
            hlc: 1,
            at: '2026-02-01T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'contact', row_id: 'C', column: 'family_name', old: null, new: 'Li' },
              { table: 'contact_detail', row_id: 'D1', column: 'contact_id', old: null, new: 'C' },
              { table: 'contact_detail', row_id: 'D1', column: 'kind', old: null, new: 'email' },
              { table: 'contact_detail', row_id: 'D1', column: 'value', old: null, new: 'li@fudan.example.cn' },
            ],
          },
          {
            hlc: 2,
            at: '2026-02-02T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'affiliation', row_id: 'A1', column: 'contact_id', old: null, new: 'C' },
              { table: 'affiliation', row_id: 'A1', column: 'partner_id', old: null, new: 'p-missing' },
              { table: 'affiliation', row_id: 'A1', column: 'role', old: null, new: 'Dean' },
              { table: 'contact_detail', row_id: 'D1', column: 'value', old: 'li@fudan.example.cn', new: 'wei.li@fudan.example.cn' },
            ],
          },
        ],
      },
    });
    const entries = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    await waitFor(() => expect(entries[0].textContent).toContain('Affiliation added: pending sync · Dean'));
    expect(entries[0].textContent).toContain('E-mail › Value: li@fudan.example.cn → wei.li@fudan.example.cn');
    expect(entries[1].textContent).toContain('Family name: Li');
    expect(entries[1].textContent).toContain('E-mail added: li@fudan.example.cn');
  });

  it('shows "pending sync" for an affiliation whose organisation has not arrived', async () => {
    renderApp({
      route: { name: 'contact', id: BARBOSA.id },
      overrides: {
        contact_get: () => ({ ...BARBOSA, affiliations_read: BARBOSA.affiliations_read.map((a) => ({ ...a, partner_name: null })) }),
      },
    });
    const aff = await screen.findByTestId('contact-affiliations');
    expect(aff.textContent).toContain('pending sync');
  });
});
