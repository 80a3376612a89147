import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { ContactQuery } from '../bindings/ContactQuery';
import { labelText } from '../components/Name';
import { fx, recordWhere } from './fixtures';
import { listAnswer, renderApp, type Answer } from './harness';

const contactQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('contacts_list').map((a) => a.query as ContactQuery);
const names = () => screen.getAllByTestId('contact-row').map((r) => r.textContent ?? '');

// Two organisations of the fixtures with a record page, and their people on the contacts list's first page.
const CAPES = recordWhere(fx.partner_get, (p) => p.acronym === 'CAPES', 'partner CAPES');
const CENTRALE = recordWhere(fx.partner_get, (p) => p.name === 'École Centrale de Lyon', 'partner École Centrale de Lyon');
const peopleOf = (partnerId: string) => fx.contacts_list.rows.filter((c) => c.organisation_id === partnerId);
const ALL = `${fx.contacts_list.total} contacts`;

/** What the core finds: partners whose name holds the text typed, and the people of the organisation chosen. */
const overrides: Record<string, Answer> = {
  partners_list: listAnswer('partners_list', (q) => (q.search ? fx.partners_list.rows.filter((p) => p.name.includes(String(q.search))) : undefined)),
  contacts_list: listAnswer('contacts_list', (q) => (q.partner_id ? peopleOf(String(q.partner_id)) : undefined)),
};

/** Types part of an organisation's name in the filter and picks the organisation of that name. */
async function chooseOrganisation(text: string, name: string) {
  await userEvent.type(screen.getByTestId('filter-organisation'), text);
  await waitFor(() => expect(screen.getAllByTestId('filter-organisation-option').length).toBeGreaterThan(0));
  const option = screen.getAllByTestId('filter-organisation-option').find((o) => o.querySelector('.dropdown-title')?.textContent === name);
  if (!option) throw new Error(`no option ${name}`);
  await userEvent.click(option);
}

describe('contacts list filtered by organisation', () => {
  it('narrows the list to the people of the organisation chosen, and clearing restores it', async () => {
    expect(peopleOf(CAPES.id)).toHaveLength(1);
    const h = renderApp({ route: { name: 'contacts' }, overrides });
    await screen.findAllByTestId('contact-row');
    expect(screen.getByTestId('contact-count').textContent).toBe(ALL);
    expect(contactQueries(h)[0].partner_id).toBeUndefined();

    await chooseOrganisation('Coordenação', CAPES.name);
    await waitFor(() => expect(contactQueries(h).at(-1)).toMatchObject({ partner_id: CAPES.id }));
    await waitFor(() => expect(names()).toEqual([expect.stringContaining(peopleOf(CAPES.id)[0].name)]));
    expect(screen.getByTestId('contact-count').textContent).toBe('1 contact');
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe(CAPES.name);
    expect(screen.getByTestId('filter-organisation').closest('.filter')?.classList.contains('is-set')).toBe(true);

    // The picker's ×.
    await userEvent.click(screen.getByTestId('filter-organisation-clear'));
    // (The unfiltered pages come from the cache: the list is checked, not the calls.)
    await waitFor(() => expect(screen.getByTestId('contact-count').textContent).toBe(ALL));
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('clear-filters')).toBeNull();

    // "Clear filters", with a search as well.
    await chooseOrganisation('Centrale', CENTRALE.name);
    await waitFor(() => expect(names()).toEqual(peopleOf(CENTRALE.id).map((c) => expect.stringContaining(c.name))));
    await userEvent.type(screen.getByTestId('contact-search'), 'zzz');
    await waitFor(() => expect(contactQueries(h).at(-1)).toMatchObject({ search: 'zzz', partner_id: CENTRALE.id }));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getByTestId('contact-count').textContent).toBe(ALL));
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('contact-search') as HTMLInputElement).value).toBe('');
  });

  it('is kept by a saved view, the organisation named again when the view is applied', async () => {
    renderApp({ route: { name: 'contacts' }, overrides });
    await screen.findAllByTestId('contact-row');
    await chooseOrganisation('Centrale', CENTRALE.name);
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(peopleOf(CENTRALE.id).length));
    await userEvent.click(screen.getByTestId('saved-view-save'));
    await userEvent.type(screen.getByTestId('saved-view-name'), 'Centrale people{Enter}');
    expect(JSON.parse(window.localStorage.getItem('liaison.views.contacts') ?? '[]')).toEqual([
      { name: 'Centrale people', filters: { search: '', partnerId: CENTRALE.id, descending: false } },
    ]);

    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getByTestId('contact-count').textContent).toBe(ALL));
    await userEvent.click(screen.getByTestId('saved-view-apply'));
    await waitFor(() => expect(names()).toEqual(peopleOf(CENTRALE.id).map((c) => expect.stringContaining(c.name))));
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe(CENTRALE.name);
  });

  it('names the organisation of a view saved elsewhere by asking the core', async () => {
    // A view kept from an earlier session: only the organisation's id is stored.
    window.localStorage.setItem('liaison.views.contacts', JSON.stringify([{ name: 'CAPES', filters: { partnerId: CAPES.id } }]));
    const h = renderApp({ route: { name: 'contacts' }, overrides });
    await screen.findAllByTestId('contact-row');
    await userEvent.click(await screen.findByTestId('saved-view-apply'));
    await waitFor(() => expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe(labelText(CAPES.labels, CAPES.name)));
    expect(h.callsOf('partner_get')).toContainEqual({ id: CAPES.id });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining(peopleOf(CAPES.id)[0].name)]));
  });

  it('is opened from a partner page with the partner chosen', async () => {
    const h = renderApp({ route: { name: 'partner', id: CAPES.id }, overrides });
    await screen.findByTestId('partner-title');
    await userEvent.click(screen.getByTestId('partner-show-contacts'));
    await waitFor(() => expect(names()).toEqual([expect.stringContaining(peopleOf(CAPES.id)[0].name)]));
    expect(contactQueries(h).at(-1)).toMatchObject({ partner_id: CAPES.id });
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe(labelText(CAPES.labels, CAPES.name));
    // A new contact from the filtered list starts affiliated with the organisation.
    await userEvent.click(screen.getByTestId('contact-new'));
    await screen.findByTestId('contact-form');
    expect(h.callsOf('partner_get').at(-1)).toEqual({ id: CAPES.id });
  });

  it('is labelled in French', async () => {
    renderApp({ route: { name: 'contacts' }, overrides });
    await screen.findAllByTestId('contact-row');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByLabelText('Organisation')).toBe(screen.getByTestId('filter-organisation'));
    await chooseOrganisation('Coordenação', CAPES.name);
    expect(await screen.findByTestId('clear-filters')).toHaveProperty('textContent', 'Effacer les filtres');
  });
});

describe('contact page links', () => {
  const contact = Object.values(fx.contact_get)[0];
  const led = fx.applications_list.rows.slice(0, 3);
  const signed = fx.agreements_list.rows.slice(0, 1);

  it('lists the applications the person is principal investigator of and the agreements they signed', async () => {
    const h = renderApp({
      route: { name: 'contact', id: contact.id },
      overrides: {
        applications_list: listAnswer('applications_list', (q) => (q.pi_id === contact.id ? led : undefined)),
        agreements_list: listAnswer('agreements_list', (q) => (q.signatory_id === contact.id ? signed : undefined)),
      },
    });
    await screen.findByTestId('contact-title');

    const applications = await screen.findByTestId('contact-applications');
    const titles = within(applications).getAllByTestId('related-application').map((r) => r.textContent ?? '');
    expect(titles).toEqual(led.map((a) => expect.stringContaining(a.title)));
    expect(screen.getByRole('region', { name: 'Applications as principal investigator' })).toBeTruthy();
    expect(h.callsOf('applications_list').map((a) => a.query as ApplicationQuery)).toContainEqual(expect.objectContaining({ pi_id: contact.id }));

    const agreements = await screen.findByTestId('contact-agreements');
    expect(within(agreements).getAllByTestId('related-agreement').map((r) => r.textContent)).toEqual([expect.stringContaining(signed[0].title)]);
    expect(screen.getByRole('region', { name: 'Agreements signed' })).toBeTruthy();
    expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery)).toContainEqual(expect.objectContaining({ signatory_id: contact.id }));

    await userEvent.click(within(agreements).getByTestId('related-agreement'));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(signed[0].title);
  });

  it('shows no signed-agreements section for a person who signed none', async () => {
    const h = renderApp({
      route: { name: 'contact', id: contact.id },
      overrides: {
        applications_list: listAnswer('applications_list', (q) => (q.pi_id === contact.id ? led : undefined)),
        agreements_list: listAnswer('agreements_list', (q) => (q.signatory_id === contact.id ? [] : undefined)),
      },
    });
    await screen.findByTestId('contact-title');
    const applications = await screen.findByTestId('contact-applications');
    expect(within(applications).getAllByTestId('related-application')).toHaveLength(led.length);
    await waitFor(() => expect(h.callsOf('agreements_list').some((a) => (a.query as AgreementQuery).signatory_id)).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('contact-agreements')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Agreements signed' })).toBeNull();
  });

  it('shows no application section for a person who leads none', async () => {
    renderApp({
      route: { name: 'contact', id: contact.id },
      overrides: { applications_list: () => ({ total: 0, total_capped: false, rows: [] }) },
    });
    await screen.findByTestId('contact-title');
    await screen.findByTestId('contact-exchanges');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('region', { name: 'Applications as principal investigator' })).toBeNull();
  });
});
