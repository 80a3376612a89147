import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { EventInput } from '../bindings/EventInput';
import type { EventQuery } from '../bindings/EventQuery';
import type { IpcError } from '../bindings/IpcError';
import type { ProjectInput } from '../bindings/ProjectInput';
import type { ProjectQuery } from '../bindings/ProjectQuery';
import type { FakeBackend } from '../dev/fakeBackend';
import { partnerId, renderApp } from './fakeHarness';

const FLAGSHIP = 'Lyon–Fudan flagship on healthy ageing';
const LAB = 'Joint laboratory for sustainable engineering';

function projectId(b: FakeBackend, title: string): string {
  const p = [...b.activities.projects.values()].find((x) => x.input.title === title);
  if (!p) throw new Error(`no sample project ${title}`);
  return p.id;
}

function eventId(b: FakeBackend, title: string): string {
  const e = [...b.activities.events.values()].find((x) => x.input.title === title);
  if (!e) throw new Error(`no sample event ${title}`);
  return e.id;
}

describe('projects', () => {
  it('lists projects, filters by kind and status, searches and opens one with the keyboard', async () => {
    const h = renderApp({ route: { name: 'projects' } });
    const rows = await screen.findAllByTestId('project-row');
    expect(rows).toHaveLength(3);
    expect(screen.getByTestId('project-count').textContent).toBe('3 projects');
    // Latest start first.
    expect(rows[0].textContent).toContain('Lyon office in São Paulo');
    expect(rows[1].textContent).toContain(FLAGSHIP);
    expect(rows[1].textContent).toContain('Flagship project');

    await userEvent.selectOptions(screen.getByTestId('filter-kind'), 'joint_lab');
    await waitFor(() => expect(h.callsOf('projects_list').map((a) => a.query as ProjectQuery).at(-1)).toMatchObject({ kind: 'joint_lab' }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'planned');
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('clear-filters'));

    await userEvent.type(screen.getByTestId('project-search'), 'Fudan');
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('project-title')).textContent).toBe(FLAGSHIP);
  });

  it('sorts by title, kind, period and status', async () => {
    const h = renderApp({ route: { name: 'projects' } });
    await screen.findAllByTestId('project-row');
    const queries = () => h.callsOf('projects_list').map((a) => a.query as ProjectQuery);
    expect(queries()[0]).toMatchObject({ sort: 'start_date', descending: true });
    await userEvent.click(screen.getByTestId('sort-title'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'title', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain(LAB));
    await userEvent.click(screen.getByTestId('sort-kind'));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain(FLAGSHIP));
    // Back to the first order (its pages come from the cache): latest start first.
    await userEvent.click(screen.getByTestId('sort-start_date'));
    await waitFor(() => expect(screen.getAllByTestId('project-row')[0].textContent).toContain('Lyon office in São Paulo'));
  });

  it('shows partners with roles, agreements, budget, fields, its events and documents, with links', async () => {
    renderApp({ route: (b) => ({ name: 'project', id: projectId(b, FLAGSHIP) }) });
    await screen.findByTestId('project-title');
    expect(screen.getByTestId('project-status').textContent).toBe('Active');
    expect(screen.getByTestId('project-budget').textContent).toBe('€1,200,000.00');
    expect(screen.getByTestId('project-fields').textContent).toContain('Health');
    const partners = screen.getAllByTestId('project-partner');
    expect(partners.map((p) => p.textContent)).toEqual(['Université Claude Bernard Lyon 1lead', 'Fudan Universityco-lead']);
    const events = await screen.findByTestId('project-events');
    expect(within(events).getByText('Healthy ageing symposium')).toBeTruthy();
    expect(await within(screen.getByTestId('documents')).findByText('Flagship budget 2026.xlsx')).toBeTruthy();

    await userEvent.click(screen.getAllByTestId('project-agreement')[0]);
    expect((await screen.findByTestId('agreement-title')).textContent).toBe('Fudan – Lyon 1 student exchange');
    await userEvent.click(screen.getByTestId('back'));
    await userEvent.click(within(await screen.findByTestId('project-partners')).getByText('Fudan University'));
    expect((await screen.findByTestId('partner-title')).textContent).toBe('Fudan University');
    // The partner page lists the projects it takes part in.
    const related = await screen.findByTestId('partner-projects');
    expect(within(related).getByText(FLAGSHIP)).toBeTruthy();
  });

  it('creates a project: partner rows with roles, agreements, fields, dates, budget in cents', async () => {
    const h = renderApp({ route: { name: 'projectNew' } });
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
    await userEvent.type(screen.getByTestId('partner-partner-1'), 'Physique des 2 Infinis');
    await userEvent.click(await screen.findByTestId('partner-partner-1-option'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.type(screen.getByTestId('agreement-picker-1'), 'UTokyo');
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
        { partner_id: partnerId(h.backend, 'Kyoto University'), role: 'host' },
        { partner_id: partnerId(h.backend, 'Laboratoire de Physique des 2 Infinis'), role: null },
      ],
      // The empty agreement row is not sent.
      agreement_ids: [[...h.backend.mobility.agreements.values()].find((a) => a.input.title.startsWith('UTokyo'))?.id],
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
    await userEvent.type(screen.getByTestId('partner-partner-0'), 'Fudan');
    await userEvent.click(await screen.findByTestId('partner-partner-0-option'));
    await userEvent.click(screen.getByTestId('partner-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.click(screen.getByTestId('agreement-add'));
    await userEvent.type(screen.getByTestId('agreement-picker-1'), 'Montréal');
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
      { partner_id: partnerId(h.backend, 'Fudan University'), role: null },
      { partner_id: null, role: null },
    ]);
    expect(sent.agreement_ids).toHaveLength(1);
  });

  it('asks what points to a project before deleting it, and Undo restores it', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = projectId(b, LAB);
        return { name: 'project', id };
      },
    });
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
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-projects'));
    await screen.findAllByTestId('project-row');
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('project-form')).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    await screen.findByTestId('project-search');

    await userEvent.type(screen.getByTestId('global-search'), 'flagship');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain(FLAGSHIP);
    expect(hits[0].textContent).toContain('Project');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('project-title')).textContent).toBe(FLAGSHIP);
  });
});

describe('events', () => {
  it('lists events latest first, filters by kind and zone, and opens one', async () => {
    const h = renderApp({ route: { name: 'events' } });
    const rows = await screen.findAllByTestId('event-row');
    expect(rows.map((r) => r.textContent?.split('Online')[0].split('Hongo')[0])).toEqual([
      'Healthy ageing symposium',
      'Workshop on low-carbon materials',
      'Back-to-school webinar for incoming students',
    ]);
    expect(rows[2].textContent).toContain('187 / 240');

    await userEvent.selectOptions(screen.getByTestId('filter-zone'), 'japan');
    await waitFor(() => expect(h.callsOf('events_list').map((a) => a.query as EventQuery).at(-1)).toMatchObject({ zone: 'japan' }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')).toHaveLength(1));
    await userEvent.selectOptions(screen.getByTestId('filter-kind'), 'webinar');
    await waitFor(() => expect(screen.queryAllByTestId('event-row')).toHaveLength(0));
    expect(screen.getByText('No event matches')).toBeTruthy();
    await userEvent.click(screen.getByTestId('clear-filters'));
    await userEvent.type(screen.getByTestId('event-search'), 'symposium');
    await waitFor(() => expect(screen.getAllByTestId('event-row')).toHaveLength(1));
    await userEvent.click(screen.getAllByTestId('event-row')[0]);
    expect((await screen.findByTestId('event-title')).textContent).toBe('Healthy ageing symposium');
  });

  it('sorts by attendance and by date, either way', async () => {
    const h = renderApp({ route: { name: 'events' } });
    await screen.findAllByTestId('event-row');
    const queries = () => h.callsOf('events_list').map((a) => a.query as EventQuery);
    expect(queries()[0]).toMatchObject({ sort: 'date', descending: true });
    await userEvent.click(screen.getByTestId('sort-attended'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'attended', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[0].textContent).toContain('187 / 240'));
    await userEvent.click(screen.getByTestId('sort-date'));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[0].textContent).toContain('Healthy ageing symposium'));
    await userEvent.click(screen.getByTestId('sort-date'));
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ sort: 'date', descending: false }));
    await waitFor(() => expect(screen.getAllByTestId('event-row')[2].textContent).toContain('Healthy ageing symposium'));
  });

  it('shows dates, online and venue, zone, organisers, project link and participants', async () => {
    renderApp({ route: (b) => ({ name: 'event', id: eventId(b, 'Healthy ageing symposium') }) });
    await screen.findByTestId('event-title');
    expect(screen.getByTestId('event-dates').textContent).toBe('May 18, 2026 – May 20, 2026');
    expect(screen.getByTestId('event-where').textContent).toBe('Online · Fudan University, Shanghai');
    expect(screen.getByTestId('event-online')).toBeTruthy();
    expect(screen.getByTestId('event-registered').textContent).toBe('120');
    expect(screen.queryByTestId('event-attended')).toBeNull();
    expect(screen.getAllByTestId('event-organiser').map((o) => o.textContent)).toEqual(['Fudan University', 'Université Claude Bernard Lyon 1']);
    expect(screen.getByTestId('documents')).toBeTruthy();
    await userEvent.click(screen.getByTestId('event-project'));
    expect((await screen.findByTestId('project-title')).textContent).toBe(FLAGSHIP);
  });

  it('creates an event from its project page, with organisers and counts', async () => {
    const h = renderApp({ route: (b) => ({ name: 'project', id: projectId(b, LAB) }) });
    await screen.findByTestId('project-title');
    await userEvent.click(screen.getByTestId('project-new-event'));
    await screen.findByTestId('event-form');
    expect((screen.getByTestId('field-project') as HTMLInputElement).value).toBe(LAB);
    await userEvent.type(screen.getByTestId('field-title'), 'Visit of the Tokyo delegation');
    await userEvent.selectOptions(screen.getByTestId('field-kind'), 'visit');
    await userEvent.type(screen.getByTestId('field-venue'), 'La Doua campus, Villeurbanne');
    await userEvent.selectOptions(screen.getByTestId('field-zone'), 'japan');
    await userEvent.type(screen.getByTestId('organiser-partner-0'), 'University of Tokyo');
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
      project_id: projectId(h.backend, LAB),
      // The empty organiser row is not sent.
      organiser_ids: [partnerId(h.backend, 'The University of Tokyo')],
      registered: 12,
      attended: null,
      notes: null,
    });
    expect(screen.getByTestId('event-project').textContent).toBe(LAB);
  });

  it('keeps the organisers when editing, and deletes with undo', async () => {
    let id = '';
    const h = renderApp({
      route: (b) => {
        id = eventId(b, 'Workshop on low-carbon materials');
        return { name: 'eventEdit', id };
      },
    });
    await screen.findByTestId('event-form');
    expect((screen.getByTestId('organiser-partner-1') as HTMLInputElement).value).toBe('Université Claude Bernard Lyon 1');
    await userEvent.click(screen.getByTestId('organiser-remove-0'));
    await userEvent.clear(screen.getByTestId('field-attended'));
    await userEvent.type(screen.getByTestId('field-attended'), '33');
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('event-title');
    expect(h.callsOf('event_update')[0]).toMatchObject({ id, input: { organiser_ids: [partnerId(h.backend, 'Université Claude Bernard Lyon 1')], attended: 33 } });

    await userEvent.click(screen.getByTestId('event-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('No other record points to it.');
    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('event-search');
    expect(h.callsOf('event_delete')).toEqual([{ id }]);
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('event_restore')).toEqual([{ id }]));
  });

  it('describes project and event changes in the history, naming partners, agreements and projects', async () => {
    renderApp({ route: (b) => ({ name: 'project', id: projectId(b, FLAGSHIP) }) });
    const entries = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    const created = entries[entries.length - 1];
    expect(created.textContent).toContain('Created');
    expect(created.textContent).toContain('Kind: Flagship project');
    expect(created.textContent).toContain('Fields: Health, 0912 · Health and welfare');
    await waitFor(() => expect(created.textContent).toContain('Partner organisation added: Fudan University · co-lead'));
    await waitFor(() => expect(created.textContent).toContain('Agreement added: Fudan – Lyon 1 student exchange'));
  });

  it('opens an event from the global search', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'webinar');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain('Back-to-school webinar for incoming students');
    expect(hits[0].textContent).toContain('Event');
    await userEvent.click(hits[0]);
    expect((await screen.findByTestId('event-title')).textContent).toBe('Back-to-school webinar for incoming students');
    const history = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    await waitFor(() => expect(history[0].textContent).toContain('Organiser added: Université Claude Bernard Lyon 1'));
    expect(history[0].textContent).toContain('Online: yes');
  });

  it('speaks French', async () => {
    renderApp({ route: { name: 'events' } });
    await screen.findAllByTestId('event-row');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Événements');
    expect(screen.getByTestId('event-count').textContent).toBe('3 événements');
    expect(screen.getAllByTestId('event-row')[0].textContent).toContain('Colloque');
  });
});
