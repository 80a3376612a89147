import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Contact } from '../bindings/Contact';
import type { ContactInput } from '../bindings/ContactInput';
import type { ExchangeInput } from '../bindings/ExchangeInput';
import { namesOf } from '../components/NewPerson';
import i18n from '../i18n';
import { fx } from './fixtures';
import { ipcError, listAnswer, renderApp, saves } from './harness';

const SOMEONE = Object.values(fx.contact_get)[0];
const EXCHANGE = Object.values(fx.exchange_get)[0];

/** The person the core makes of what the form sends. */
function created(input: ContactInput): Contact {
  return { ...SOMEONE, id: 'c-new', name: [input.given_name, input.family_name].filter(Boolean).join(' '), ...input, affiliations_read: [] };
}

describe('a new person from the exchange form', () => {
  it('offers to create the person no contact matches, creates them inline and chooses them', async () => {
    const h = renderApp({
      route: { name: 'exchangeNew' },
      overrides: {
        contacts_list: listAnswer('contacts_list', (q) => (q.search ? [] : undefined)),
        contact_create: (args) => created(args.input as ContactInput),
        ...saves('exchange', () => ({ ...EXCHANGE, id: 'e-new', person_id: 'c-new', person_name: 'Wei Li' })),
      },
    });
    await screen.findByTestId('exchange-form');
    await userEvent.type(screen.getByTestId('field-person'), 'Wei Li');
    expect((await screen.findByTestId('field-person-create')).textContent).toBe('Create the person “Wei Li”…');
    expect(await screen.findByText('No contact matches.')).toBeTruthy();
    await userEvent.click(screen.getByTestId('field-person-create'));

    expect((screen.getByTestId('new-person-given_name') as HTMLInputElement).value).toBe('Wei');
    expect((screen.getByTestId('new-person-family_name') as HTMLInputElement).value).toBe('Li');
    await userEvent.clear(screen.getByTestId('new-person-family_name'));
    await userEvent.type(screen.getByTestId('new-person-family_name'), 'LI{Enter}');
    await waitFor(() => expect(h.callsOf('contact_create')).toHaveLength(1));
    expect(h.callsOf('contact_create')[0].input).toMatchObject({ given_name: 'Wei', family_name: 'LI', native_name: null, affiliations: [] });
    expect(h.callsOf('exchange_create')).toHaveLength(0);
    await waitFor(() => expect(screen.queryByTestId('new-person')).toBeNull());
    expect((screen.getByTestId('field-person') as HTMLInputElement).value).toBe('Wei LI');

    await userEvent.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(h.callsOf('exchange_create')).toHaveLength(1));
    expect((h.callsOf('exchange_create')[0].input as ExchangeInput).person_id).toBe('c-new');
  });

  it('shows the core’s refusal under its field, and Esc closes it without leaving the form, in French', async () => {
    await i18n.changeLanguage('fr');
    const h = renderApp({
      route: { name: 'exchangeNew' },
      overrides: {
        contacts_list: listAnswer('contacts_list', (q) => (q.search ? [] : undefined)),
        contact_create: () => {
          throw ipcError('invalid', 'family_name: a contact needs a name', [
            { field: 'family_name', code: 'required', message: 'a contact needs a name (family, given or native)' },
          ]);
        },
      },
    });
    await screen.findByTestId('exchange-form');
    await userEvent.type(screen.getByTestId('field-person'), '李伟');
    expect((await screen.findByTestId('field-person-create')).textContent).toBe('Créer la personne «\u00a0李伟\u00a0»…');
    await userEvent.click(screen.getByTestId('field-person-create'));
    expect((screen.getByTestId('new-person-native_name') as HTMLInputElement).value).toBe('李伟');
    await userEvent.click(screen.getByTestId('new-person-create'));
    expect(await screen.findByTestId('error-family_name')).toBeTruthy();
    await userEvent.type(screen.getByTestId('new-person-given_name'), '{Escape}');
    expect(screen.queryByTestId('new-person')).toBeNull();
    expect(screen.getByTestId('exchange-form')).toBeTruthy();
    expect(h.callsOf('contact_create')).toHaveLength(1);
  });

  it('reads a typed name as given and family names, or a native-script name', () => {
    expect(namesOf(' Wei  LI ')).toEqual({ given: 'Wei', family: 'LI', native: '' });
    expect(namesOf('Maria da Silva Santos')).toEqual({ given: 'Maria da Silva', family: 'Santos', native: '' });
    expect(namesOf('Tanaka')).toEqual({ given: '', family: 'Tanaka', native: '' });
    expect(namesOf('田中 花子')).toEqual({ given: '', family: '', native: '田中 花子' });
  });
});
