import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { ApplicationQuery } from '../bindings/ApplicationQuery';
import type { ContactQuery } from '../bindings/ContactQuery';
import type { FakeBackend } from '../dev/fakeBackend';
import { partnerId, renderApp } from './fakeHarness';

const contactQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('contacts_list').map((a) => a.query as ContactQuery);
const names = () => screen.getAllByTestId('contact-row').map((r) => r.textContent ?? '');

/** The id of a sample contact of the fake backend, by its family name. */
function contactId(backend: FakeBackend, family: string): string {
  const c = [...backend.contacts.values()].find((x) => x.family_name === family);
  if (!c) throw new Error(`no sample contact ${family}`);
  return c.id;
}

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
    const h = renderApp({ route: { name: 'contacts' } });
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(2));
    expect(contactQueries(h)[0].partner_id).toBeUndefined();

    await chooseOrganisation('Fudan', 'Fudan University');
    const fudan = partnerId(h.backend, 'Fudan University');
    await waitFor(() => expect(contactQueries(h).at(-1)).toMatchObject({ partner_id: fudan }));
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Wei LI')]));
    expect(screen.getByTestId('contact-count').textContent).toBe('1 contact');
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('Fudan University');
    expect(screen.getByTestId('filter-organisation').closest('.filter')?.classList.contains('is-set')).toBe(true);

    // The picker's ×.
    await userEvent.click(screen.getByTestId('filter-organisation-clear'));
    // (The unfiltered pages come from the cache: the list is checked, not the calls.)
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(2));
    expect(screen.getByTestId('contact-count').textContent).toBe('2 contacts');
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('clear-filters')).toBeNull();

    // "Clear filters", with a search as well.
    await chooseOrganisation('Tokyo', 'The University of Tokyo');
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Hanako TANAKA')]));
    await userEvent.type(screen.getByTestId('contact-search'), 'zzz');
    await waitFor(() => expect(contactQueries(h).at(-1)).toMatchObject({ search: 'zzz', partner_id: partnerId(h.backend, 'The University of Tokyo') }));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(2));
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('contact-search') as HTMLInputElement).value).toBe('');
  });

  it('is kept by a saved view, the organisation named again when the view is applied', async () => {
    const h = renderApp({ route: { name: 'contacts' } });
    await screen.findAllByTestId('contact-row');
    await chooseOrganisation('Tokyo', 'The University of Tokyo');
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(1));
    await userEvent.click(screen.getByTestId('saved-view-save'));
    await userEvent.type(screen.getByTestId('saved-view-name'), 'Tokyo people{Enter}');
    const tokyo = partnerId(h.backend, 'The University of Tokyo');
    expect(JSON.parse(window.localStorage.getItem('liaison.views.contacts') ?? '[]')).toEqual([
      { name: 'Tokyo people', filters: { search: '', partnerId: tokyo, descending: false } },
    ]);

    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getAllByTestId('contact-row')).toHaveLength(2));
    await userEvent.click(screen.getByTestId('saved-view-apply'));
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Hanako TANAKA')]));
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('The University of Tokyo');
  });

  it('names the organisation of a view saved elsewhere by asking the core', async () => {
    // A view kept from an earlier session: only the organisation's id is stored.
    let fudan = '';
    const h = renderApp({
      route: (b) => {
        fudan = partnerId(b, 'Fudan University');
        window.localStorage.setItem('liaison.views.contacts', JSON.stringify([{ name: 'Fudan', filters: { partnerId: fudan } }]));
        return { name: 'contacts' };
      },
    });
    await screen.findAllByTestId('contact-row');
    await userEvent.click(await screen.findByTestId('saved-view-apply'));
    await waitFor(() => expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('Fudan University'));
    expect(h.callsOf('partner_get')).toContainEqual({ id: fudan });
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Wei LI')]));
  });

  it('is opened from a partner page with the partner chosen', async () => {
    const h = renderApp({ route: (b) => ({ name: 'partner', id: partnerId(b, 'The University of Tokyo') }) });
    await screen.findByTestId('partner-title');
    await userEvent.click(screen.getByTestId('partner-show-contacts'));
    await waitFor(() => expect(names()).toEqual([expect.stringContaining('Hanako TANAKA')]));
    expect(contactQueries(h).at(-1)).toMatchObject({ partner_id: partnerId(h.backend, 'The University of Tokyo') });
    expect((screen.getByTestId('filter-organisation') as HTMLInputElement).value).toBe('The University of Tokyo');
    // A new contact from the filtered list starts affiliated with the organisation.
    await userEvent.click(screen.getByTestId('contact-new'));
    await screen.findByTestId('contact-form');
    expect(h.callsOf('partner_get').at(-1)).toEqual({ id: partnerId(h.backend, 'The University of Tokyo') });
  });

  it('is labelled in French', async () => {
    renderApp({ route: { name: 'contacts' } });
    await screen.findAllByTestId('contact-row');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByLabelText('Organisation')).toBe(screen.getByTestId('filter-organisation'));
    await chooseOrganisation('Fudan', 'Fudan University');
    expect(await screen.findByTestId('clear-filters')).toHaveProperty('textContent', 'Effacer les filtres');
  });
});

describe('contact page links', () => {
  it('lists the applications the person is principal investigator of and the agreements they signed', async () => {
    const h = renderApp({ route: (b) => ({ name: 'contact', id: contactId(b, 'Li') }) });
    await screen.findByTestId('contact-title');
    const wei = contactId(h.backend, 'Li');

    const applications = await screen.findByTestId('contact-applications');
    // Every sample application but QUANTUM-LINK and the JSPS seminar (Hanako Tanaka's).
    const titles = within(applications).getAllByTestId('related-application').map((r) => r.textContent ?? '');
    expect(titles).toHaveLength(5);
    expect(titles.some((x) => x.includes('Shared cohort for ageing research'))).toBe(true);
    expect(titles.some((x) => x.includes('Quantum sensing'))).toBe(false);
    expect(screen.getByRole('region', { name: 'Applications as principal investigator' })).toBeTruthy();
    expect(h.callsOf('applications_list').map((a) => a.query as ApplicationQuery)).toContainEqual(expect.objectContaining({ pi_id: wei }));

    const agreements = await screen.findByTestId('contact-agreements');
    expect(within(agreements).getAllByTestId('related-agreement').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Framework agreement Fudan – Lyon 1'),
    ]);
    expect(screen.getByRole('region', { name: 'Agreements signed' })).toBeTruthy();
    expect(h.callsOf('agreements_list').map((a) => a.query as AgreementQuery)).toContainEqual(expect.objectContaining({ signatory_id: wei }));

    await userEvent.click(within(agreements).getByTestId('related-agreement'));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe('Framework agreement Fudan – Lyon 1');
  });

  it('shows no signed-agreements section for a person who signed none', async () => {
    const h = renderApp({ route: (b) => ({ name: 'contact', id: contactId(b, 'Tanaka') }) });
    await screen.findByTestId('contact-title');
    const applications = await screen.findByTestId('contact-applications');
    expect(within(applications).getAllByTestId('related-application').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Quantum sensing network Lyon–Tokyo'),
      expect.stringContaining('Joint seminar on urban resilience'),
    ]);
    await waitFor(() => expect(h.callsOf('agreements_list').some((a) => (a.query as AgreementQuery).signatory_id)).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('contact-agreements')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Agreements signed' })).toBeNull();
  });

  it('shows no application section for a person who leads none', async () => {
    renderApp({
      route: (b) => ({ name: 'contact', id: contactId(b, 'Tanaka') }),
      overrides: { applications_list: () => ({ total: 0, offset: 0, rows: [] }) },
    });
    await screen.findByTestId('contact-title');
    await screen.findByTestId('contact-exchanges');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('region', { name: 'Applications as principal investigator' })).toBeNull();
  });
});
