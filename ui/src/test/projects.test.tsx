import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Event } from '../bindings/Event';
import type { EventInput } from '../bindings/EventInput';
import type { EventQuery } from '../bindings/EventQuery';
import type { IpcError } from '../bindings/IpcError';
import type { Project } from '../bindings/Project';
import type { ProjectInput } from '../bindings/ProjectInput';
import type { ProjectQuery } from '../bindings/ProjectQuery';
import { fx, recordWhere } from './fixtures';
import { deletions, fixtureAnswer, ipcError, listAnswer, renderApp, saves, type Answer } from './harness';

const [NEWEST, MIDDLE, OLDEST] = fx.projects_list.rows;
const CAPES = recordWhere(fx.partner_get, (p) => p.acronym === 'CAPES', 'partner CAPES');
const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');
const AGREEMENT = Object.values(fx.agreement_get)[0];
const rowOf = <R extends { id: string }>(rows: R[], id: string) => recordWhere(rows, (r) => r.id === id, `row ${id}`);
// The fixtures' flagship project, linked to a partner and an agreement that have pages in the fixtures too.
const BASE = recordWhere(fx.project_get, (p) => p.kind === 'flagship', 'flagship project');
const FLAGSHIP: Project = {
  ...BASE,
  partners_read: [{ id: CAPES.id, name: CAPES.name, role: 'lead', labels: CAPES.labels }, ...BASE.partners_read.slice(1, 2)],
  partners: [{ partner_id: CAPES.id, role: 'lead' }, ...BASE.partners.slice(1, 2)],
  agreements_read: [{ id: AGREEMENT.id, name: AGREEMENT.title, role: null, labels: null }],
  agreement_ids: [AGREEMENT.id],
};
const EVENT_BASE = recordWhere(fx.event_get, (e) => e.project_id === BASE.id, 'event of the flagship');
const EVENT: Event = {
  ...EVENT_BASE,
  online: true,
  organiser_ids: [CAPES.id, CAMPUS_FRANCE.id],
  organisers_read: [
    { id: CAPES.id, name: CAPES.name, role: null, labels: CAPES.labels },
    { id: CAMPUS_FRANCE.id, name: CAMPUS_FRANCE.name, role: null, labels: CAMPUS_FRANCE.labels },
  ],
  attended: null,
};
const projectPages: Record<string, Answer> = {
  project_get: (args, fx) => (args.id === FLAGSHIP.id ? FLAGSHIP : fixtureAnswer('project_get', args, fx)),
  event_get: (args, fx) => (args.id === EVENT.id ? EVENT : fixtureAnswer('event_get', args, fx)),
};

describe('projects', () => {
  it('lists projects, filters by kind and status, searches and opens one with the keyboard', async () => {
    const queries = () => h.callsOf('projects_list').map((a) => a.query as ProjectQuery);
    const h = renderApp({
      route: { name: 'projects' },
      overrides: {
        projects_list: listAnswer('projects_list', (q) => (q.kind ? [OLDEST] : q.status ? [MIDDLE] : q.search ? [NEWEST] : undefined)),
      },
    });
    const rows = await screen.findAllByTestId('project-row');
    expect(rows).toHaveLength(3);
    expect(screen.getByTestId('project-count').textContent).toBe('3 projects');
    // In the core's order.
    expect(rows[0].textContent).toContain(NEWEST.title);
    expect(rows[0].textContent).toContain('Flagship project');
    expect(rows[2].textContent).toContain(OLDEST.title);

    await userEvent.selectOptions(screen.getByTestId('filter-kind'), 'joint_lab');
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ kind: 'joint_lab' }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'planned');
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ status: 'planned' }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.type(screen.getByTestId('project-search'), 'Medicine');
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ search: 'Medicine' }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('project-title')).textContent).toBe(NEWEST.title);
  });

  it('sorts by title, kind, period and status', async () => {
    const h = renderApp({
      route: { name: 'projects' },
      overrides: { projects_list: listAnswer('projects_list', (q) => (q.sort === 'title' ? [OLDEST, MIDDLE, NEWEST] : q.sort === 'kind' ? [MIDDLE, NEWEST, OLDEST] : undefined)) },
    });
    await screen.findAllByTestId('project-row');
    const queries = () => h.callsOf('projects_list').map((a) => a.query as ProjectQuery);
    expect(queries()[0]).toMatchObject({ sort: 'start_date', descending: true });
    await userEvent.click(screen.getByTestId('sort-title'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'title', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain(OLDEST.title));
    await userEvent.click(screen.getByTestId('sort-kind'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'kind' }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain(MIDDLE.title));
    // Back to the first order (its pages come from the cache): the core's default.
    await userEvent.click(screen.getByTestId('sort-start_date'));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain(NEWEST.title));
  });

  it('shows partners with roles, agreements, budget, fields, its events and documents, with links', async () => {
    const h = renderApp({
      route: { name: 'project', id: FLAGSHIP.id },
      overrides: {
        ...projectPages,
        events_list: listAnswer('events_list', (q) => (q.project_id === FLAGSHIP.id ? [rowOf(fx.events_list.rows, EVENT.id)] : undefined)),
        projects_list: listAnswer('projects_list', (q) => (q.partner_id === CAPES.id ? [NEWEST] : undefined)),
        documents_list: (args) =>
          args.owner === FLAGSHIP.id
            ? [{ id: 'd-1', owner_id: FLAGSHIP.id, name: 'Flagship budget 2026.xlsx', sha256: '0'.repeat(64), size: 9000, media_type: null, added_at: '2026-01-05T09:30:00Z', available: true }]
            : [],
      },
    });
    await screen.findByTestId('project-title');
    expect(screen.getByTestId('project-status').textContent).toBe('Active');
    expect(screen.getByTestId('project-budget').textContent).toBe('€450,000.00');
    expect(screen.getByTestId('project-fields').textContent).toContain('Health');
    const partners = screen.getAllByTestId('project-partner');
    // Each organisation by its name for the UI language, its own script beside: "Shanghai Jiao Tong University上海交通大学".
    const shown = (p: (typeof FLAGSHIP.partners_read)[number]) => `${p.labels?.en.name}${p.labels?.en.native ?? ''}`;
    expect(partners.map((p) => p.textContent)).toEqual(FLAGSHIP.partners_read.map((p) => `${shown(p)}${p.role}`));
    const events = await screen.findByTestId('project-events');
    expect(h.callsOf('events_list').map((a) => a.query as EventQuery)).toContainEqual(expect.objectContaining({ project_id: FLAGSHIP.id }));
    expect(within(events).getByText(EVENT.title)).toBeTruthy();
    expect(await within(screen.getByTestId('documents')).findByText('Flagship budget 2026.xlsx')).toBeTruthy();

    await userEvent.click(screen.getAllByTestId('project-agreement')[0]);
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(AGREEMENT.title);
    await userEvent.click(screen.getByTestId('back'));
    await userEvent.click(within(await screen.findByTestId('project-partners')).getByText(CAPES.labels.en.name));
    expect((await screen.findByTestId('partner-title')).textContent).toBe(CAPES.labels.en.name);
    // The partner page lists the projects it takes part in.
    const related = await screen.findByTestId('partner-projects');
    expect(h.callsOf('projects_list').map((a) => a.query as ProjectQuery)).toContainEqual(expect.objectContaining({ partner_id: CAPES.id }));
    expect(within(related).getByText(NEWEST.title)).toBeTruthy();
  });

  it('creates a project: partner rows with roles, agreements, fields, dates, budget in cents', async () => {
    const kyoto = recordWhere(fx.partners_list.rows, (p) => p.city === 'Kyoto', 'partner in Kyoto');
    const h = renderApp({
      route: { name: 'projectNew' },
      overrides: {
        partners_list: listAnswer('partners_list', (q) => (q.search === 'Kyoto' ? [kyoto] : q.search ? [rowOf(fx.partners_list.rows, CAPES.id)] : undefined)),
        agreements_list: listAnswer('agreements_list', (q) => (q.search ? [rowOf(fx.agreements_list.rows, AGREEMENT.id)] : undefined)),
        ...saves('project', (input) => ({ ...FLAGSHIP, ...(input as ProjectInput), id: 'p-new' })),
      },
    });
    await screen.findByTestId('project-form');
    await userEvent.type(screen.getByTestId('field-title'), 'Kyoto–Lyon neutrino lab');
    await userEvent.type(screen.getByTestId('field-code'), 'LIA-NU');
    await userEvent.selectOptions(screen.getByTestId('field-kind'), 'international_research_unit');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'active');
    await userEvent.type(screen.getByTestId('field-start-date'), '2026-01-01');
    await userEvent.clear(screen.getByTestId('field-currency'));
    await userEvent.type(screen.getByTestId('field-currency'), 'JPY');
    await userEvent.type(screen.getByTestId('field-budget'), '12,000,000');
    await userEvent.type(screen.getByTestId('partner-partner-0'), 'Kyoto');
    await userEvent.click(await screen.findByTestId('partner-partner-0-option'));
    await userEvent.type(screen.getByTestId('partner-role-0'), 'host');
    await userEvent.click(screen.getByTestId('partner-add'));
    await userEvent.type(screen.getByTestId('partner-partner-1'), 'Coordenação');
    await userEvent.click(await screen.findByTestId('partner-partner-1-option'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.type(screen.getByTestId('agreement-picker-1'), 'Scholarship');
    await userEvent.click(await screen.findByTestId('agreement-picker-1-option'));
    await userEvent.click(screen.getByTestId('project-field-add'));
    await userEvent.type(screen.getByTestId('project-field-0'), '0533');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('project-title')).textContent).toBe('Kyoto–Lyon neutrino lab');
    const sent = h.callsOf('project_create')[0].input as ProjectInput;
    expect(sent).toEqual({
      code: 'LIA-NU',
      title: 'Kyoto–Lyon neutrino lab',
      kind: 'international_research_unit',
      status: 'active',
      start_date: '2026-01-01',
      end_date: null,
      budget: 12_000_000,
      currency: 'JPY',
      fields: ['0533'],
      partners: [
        { partner_id: kyoto.id, role: 'host' },
        { partner_id: CAPES.id, role: null },
      ],
      // The empty agreement row is not sent.
      agreement_ids: [AGREEMENT.id],
      notes: null,
    });
    expect(screen.getByTestId('project-budget').textContent).toBe('¥12,000,000');
  });

  it('shows the core’s errors under the right inputs, and checks the budget before sending', async () => {
    const error: IpcError = {
      kind: 'invalid',
      message: 'several fields',
      fields: [
        { field: 'end_date', code: 'end_before_start', message: 'the project ends before it starts' },
        { field: 'partners[1].partner_id', code: 'required', message: 'choose the organisation' },
        { field: 'partners[0].partner_id', code: 'duplicate', message: 'this organisation is already listed' },
        { field: 'agreement_ids[0]', code: 'not_found', message: 'no agreement with id x' },
        { field: 'fields[0]', code: 'field', message: '"xx" is not an ISCED-F code' },
      ],
    };
    const h = renderApp({
      route: { name: 'projectNew' },
      overrides: {
        partners_list: listAnswer('partners_list', (q) => (q.search ? [rowOf(fx.partners_list.rows, CAPES.id)] : undefined)),
        agreements_list: listAnswer('agreements_list', (q) => (q.search ? [rowOf(fx.agreements_list.rows, AGREEMENT.id)] : undefined)),
        project_create: () => {
          throw error;
        },
      },
    });
    await screen.findByTestId('project-form');
    await userEvent.type(screen.getByTestId('field-title'), 'Broken');
    await userEvent.type(screen.getByTestId('field-budget'), 'lots');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-budget')).textContent).toBe('Enter an amount such as 1500 or 1500.50.');
    expect(h.callsOf('project_create')).toHaveLength(0);
    expect(document.activeElement).toBe(screen.getByTestId('field-budget'));

    await userEvent.clear(screen.getByTestId('field-budget'));
    await userEvent.type(screen.getByTestId('partner-partner-0'), 'Coordenação');
    await userEvent.click(await screen.findByTestId('partner-partner-0-option'));
    await userEvent.click(screen.getByTestId('partner-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.type(screen.getByTestId('agreement-picker-1'), 'Scholarship');
    await userEvent.click(await screen.findByTestId('agreement-picker-1-option'));
    await userEvent.click(screen.getByTestId('project-field-add'));
    await userEvent.click(screen.getByTestId('project-field-add'));
    await userEvent.type(screen.getByTestId('project-field-1'), 'xx');
    await userEvent.click(screen.getByTestId('form-save'));

    expect((await screen.findByTestId('error-end_date')).textContent).toBe('The end date is before the start date.');
    expect(within(screen.getByTestId('partner-1')).getByTestId('error-partners[1].partner_id').textContent).toBe('This field is required.');
    expect(within(screen.getByTestId('partner-0')).getByTestId('error-partners[0].partner_id').textContent).toBe('This organisation is already listed.');
    // Sent first, shown on the second rows of the form.
    expect(within(screen.getByTestId('agreement-1')).getByTestId('error-agreement_ids[1]').textContent).toBe('This record does not exist (any more).');
    expect(screen.getByTestId('agreement-picker-1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('error-fields[1]').textContent).toContain('ISCED-F');
    const sent = h.callsOf('project_create')[0].input as ProjectInput;
    expect(sent.budget).toBeNull();
    expect(sent.currency).toBeNull();
    expect(sent.partners).toEqual([
      { partner_id: CAPES.id, role: null },
      { partner_id: null, role: null },
    ]);
    expect(sent.agreement_ids).toHaveLength(1);
  });

  it('asks what points to a project before deleting it, and Undo restores it', async () => {
    // The fixtures' dependants of the flagship: its symposium.
    const id = BASE.id;
    const h = renderApp({ route: { name: 'project', id }, overrides: deletions('project') });
    await screen.findByTestId('project-title');
    await userEvent.click(screen.getByTestId('project-delete'));
    const dialog = await screen.findByRole('alertdialog');
    expect(h.callsOf('dependants')).toEqual([{ id }]);
    expect(dialog.textContent).toContain('Records that point to it: 1 event.');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('project-search');
    expect(h.callsOf('project_delete')).toEqual([{ id }]);
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(2));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('project_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(3));
  });

  it('is in the sidebar, Ctrl+N opens a new project, and the global search opens one', async () => {
    const project = fx.search.find((x) => x.entity === 'project');
    if (!project) throw new Error('the search fixture holds no project');
    renderApp({ overrides: { search: () => [project] } });
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-projects'));
    await screen.findAllByTestId('project-row');
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('project-form')).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    await screen.findByTestId('project-search');

    await userEvent.type(screen.getByTestId('global-search'), 'office');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain(project.title);
    expect(hits[0].textContent).toContain('Project');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('project-title')).textContent).toBe(project.title);
  });
});

describe('events', () => {
  it('lists events latest first, filters by kind and zone, and opens one', async () => {
    const [first, second, third] = fx.events_list.rows;
    const h = renderApp({
      route: { name: 'events' },
      overrides: {
        events_list: listAnswer('events_list', (q) => (q.kind ? [] : q.zone ? [first, third] : q.search ? [third] : undefined)),
      },
    });
    const rows = await screen.findAllByTestId('event-row');
    expect(rows.map((r) => r.textContent)).toEqual(fx.events_list.rows.map((e) => expect.stringContaining(e.title)));
    expect(rows[2].textContent).toContain(`${third.attended} / ${third.registered}`);
    expect(rows[1].textContent).toContain('Online');
    expect(second.online).toBe(true);

    await userEvent.selectOptions(screen.getByTestId('filter-zone'), 'china');
    await waitFor(() => expect(h.callsOf('events_list').map((a) => a.query as EventQuery).at(-1)).toMatchObject({ zone: 'china' }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')).toHaveLength(2));
    await userEvent.selectOptions(screen.getByTestId('filter-kind'), 'webinar');
    await waitFor(() => expect(h.callsOf('events_list').map((a) => a.query as EventQuery).at(-1)).toMatchObject({ zone: 'china', kind: 'webinar' }));
    await waitFor(() => expect(screen.queryAllByTestId('event-row')).toHaveLength(0));
    expect(screen.getByText('No event matches')).toBeTruthy();
    await userEvent.click(screen.getByTestId('clear-filters'));
    await userEvent.type(screen.getByTestId('event-search'), 'symposium');
    await waitFor(() => expect(screen.getAllByTestId('event-row')).toHaveLength(1));
    await userEvent.click(screen.getAllByTestId('event-row')[0]);
    expect((await screen.findByTestId('event-title')).textContent).toBe(third.title);
  });

  it('sorts by attendance and by date, either way', async () => {
    const rows = fx.events_list.rows;
    const h = renderApp({
      route: { name: 'events' },
      overrides: {
        events_list: listAnswer('events_list', (q) =>
          q.sort === 'attended' ? [rows[1], rows[2], rows[0]] : q.descending === false ? [...rows].reverse() : undefined,
        ),
      },
    });
    await screen.findAllByTestId('event-row');
    const queries = () => h.callsOf('events_list').map((a) => a.query as EventQuery);
    expect(queries()[0]).toMatchObject({ sort: 'date', descending: true });
    await userEvent.click(screen.getByTestId('sort-attended'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'attended', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[0].textContent).toContain(`${rows[1].attended} / ${rows[1].registered}`));
    await userEvent.click(screen.getByTestId('sort-date'));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[0].textContent).toContain(rows[0].title));
    await userEvent.click(screen.getByTestId('sort-date'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'date', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[2].textContent).toContain(rows[0].title));
  });

  it('shows dates, online and venue, zone, organisers, project link and participants', async () => {
    renderApp({ route: { name: 'event', id: EVENT.id }, overrides: projectPages });
    await screen.findByTestId('event-title');
    expect(screen.getByTestId('event-dates').textContent).toBe('May 18, 2026 – May 19, 2026');
    expect(screen.getByTestId('event-where').textContent).toBe(`Online · ${EVENT.venue}`);
    expect(screen.getByTestId('event-online')).toBeTruthy();
    expect(screen.getByTestId('event-registered').textContent).toBe(String(EVENT.registered));
    expect(screen.queryByTestId('event-attended')).toBeNull();
    expect(screen.getAllByTestId('event-organiser').map((o) => o.textContent)).toEqual([CAPES.labels.en.name, CAMPUS_FRANCE.labels.en.name]);
    expect(screen.getByTestId('documents')).toBeTruthy();
    await userEvent.click(screen.getByTestId('event-project'));
    expect((await screen.findByTestId('project-title')).textContent).toBe(FLAGSHIP.title);
  });

  it('creates an event from its project page, with organisers and counts', async () => {
    const lab = recordWhere(fx.project_get, (p) => p.kind === 'joint_lab', 'joint lab');
    const saved = saves('event', (input) => ({ ...EVENT, ...(input as EventInput), id: 'e-new', project_title: lab.title }));
    const h = renderApp({
      route: { name: 'project', id: lab.id },
      overrides: {
        partners_list: listAnswer('partners_list', (q) => (q.search ? [rowOf(fx.partners_list.rows, CAPES.id)] : undefined)),
        ...saved,
        // The core requires a start date.
        event_create: (args, fx) => {
          if (!(args.input as EventInput).start_date) {
            throw ipcError('invalid', 'start_date: required', [{ field: 'start_date', code: 'required', message: 'an event needs its start date' }]);
          }
          return saved.event_create(args, fx);
        },
      },
    });
    await screen.findByTestId('project-title');
    await userEvent.click(screen.getByTestId('project-new-event'));
    await screen.findByTestId('event-form');
    expect((screen.getByTestId('field-project') as HTMLInputElement).value).toBe(lab.title);
    await userEvent.type(screen.getByTestId('field-title'), 'Visit of the Tokyo delegation');
    await userEvent.selectOptions(screen.getByTestId('field-kind'), 'visit');
    await userEvent.type(screen.getByTestId('field-venue'), 'La Doua campus, Villeurbanne');
    await userEvent.selectOptions(screen.getByTestId('field-zone'), 'japan');
    await userEvent.type(screen.getByTestId('organiser-partner-0'), 'Coordenação');
    await userEvent.click(await screen.findByTestId('organiser-partner-0-option'));
    await userEvent.click(screen.getByTestId('organiser-add'));
    await userEvent.type(screen.getByTestId('field-registered'), '12.5');

    // No date, and a count that is not a whole number: the latter is caught here, the former by the core.
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-registered')).textContent).toBe('Enter a whole number.');
    expect(h.callsOf('event_create')).toHaveLength(0);
    await userEvent.clear(screen.getByTestId('field-registered'));
    await userEvent.type(screen.getByTestId('field-registered'), '12');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('error-start_date')).textContent).toBe('This field is required.');

    await userEvent.type(screen.getByTestId('field-start-date'), '2026-06-02');
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    expect((await screen.findByTestId('event-title')).textContent).toBe('Visit of the Tokyo delegation');
    const sent = h.callsOf('event_create').at(-1)?.input as EventInput;
    expect(sent).toEqual({
      title: 'Visit of the Tokyo delegation',
      kind: 'visit',
      start_date: '2026-06-02',
      end_date: null,
      online: false,
      venue: 'La Doua campus, Villeurbanne',
      zone: 'japan',
      project_id: lab.id,
      // The empty organiser row is not sent.
      organiser_ids: [CAPES.id],
      registered: 12,
      attended: null,
      notes: null,
    });
    expect(screen.getByTestId('event-project').textContent).toBe(lab.title);
  });

  it('keeps the organisers when editing, and deletes with undo', async () => {
    const id = EVENT.id;
    const h = renderApp({
      route: { name: 'eventEdit', id },
      overrides: { ...saves('event', (input) => ({ ...EVENT, ...(input as EventInput) })), ...projectPages },
    });
    await screen.findByTestId('event-form');
    expect((screen.getByTestId('organiser-partner-1') as HTMLInputElement).value).toBe(CAMPUS_FRANCE.name);
    await userEvent.click(screen.getByTestId('organiser-remove-0'));
    await userEvent.clear(screen.getByTestId('field-attended'));
    await userEvent.type(screen.getByTestId('field-attended'), '33');
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('event-title');
    expect(h.callsOf('event_update')[0]).toMatchObject({ id, input: { organiser_ids: [CAMPUS_FRANCE.id], attended: 33 } });

    await userEvent.click(screen.getByTestId('event-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('No other record points to it.');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('event-search');
    expect(h.callsOf('event_delete')).toEqual([{ id }]);
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('event_restore')).toEqual([{ id }]));
  });

  it('describes project and event changes in the history, naming partners, agreements and projects', async () => {
    // The fixture's history of the flagship (its creation), its partners and agreement named as the core names them.
    // The fixture's history of the flagship, its first partner and its agreement made ones with pages in the fixtures.
    const [partner, agreement] = [BASE.partners[0].partner_id, BASE.agreement_ids[0]];
    const named = JSON.parse(JSON.stringify(fx.history[BASE.id]).replaceAll(String(partner), CAPES.id).replaceAll(agreement, AGREEMENT.id)) as typeof fx.history[string];
    renderApp({ route: { name: 'project', id: BASE.id }, overrides: { history: () => named } });
    const entries = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    const created = entries[entries.length - 1];
    expect(created.textContent).toContain('Created');
    expect(created.textContent).toContain('Kind: Flagship project');
    expect(created.textContent).toContain('Fields: Health, Humanities and social sciences');
    expect(created.textContent).toContain('Budget: €450,000.00');
    await waitFor(() => expect(created.textContent).toContain(`Partner organisation added: ${CAPES.labels.en.name} · Co-lead`));
    await waitFor(() => expect(created.textContent).toContain(`Agreement added: ${AGREEMENT.title}`));
  });

  it('opens an event from the global search', async () => {
    const event = fx.search.find((x) => x.entity === 'event');
    if (!event) throw new Error('the search fixture holds no event');
    renderApp({ overrides: { search: () => [event] } });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'delegation');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain(event.title);
    expect(hits[0].textContent).toContain('Event');
    await userEvent.click(hits[0]);
    expect((await screen.findByTestId('event-title')).textContent).toBe(event.title);
    // Its history as the core keeps it (the fixture).
    const history = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    expect(history[0].textContent).toContain('Kind: Visit');
    expect(history[0].textContent).toContain('Online: no');
    expect(history[0].textContent).toContain('Organiser added:');
  });

  it('speaks French', async () => {
    renderApp({ route: { name: 'events' } });
    await screen.findAllByTestId('event-row');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Événements');
    expect(screen.getByTestId('event-count').textContent).toBe('3 événements');
    expect(screen.getAllByTestId('event-row')[0].textContent).toContain('Visite');
  });
});
