import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { PartnerInput } from '../bindings/PartnerInput';
import i18n from '../i18n';
import type { Route } from '../router';
import { fx, recordWhere } from './fixtures';
import { ipcError, renderApp, saves } from './harness';

const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');

const dialog = () => screen.queryByRole('alertdialog');

async function typeName(text: string) {
  const name = await screen.findByTestId('name-value-0');
  await userEvent.type(name, text);
  return name as HTMLInputElement;
}

describe('leaving a form with changes', () => {
  it('a sidebar click asks; Stay keeps the form and what was typed', async () => {
    renderApp({ route: { name: 'partnerNew' } });
    const name = await typeName('Université de Kyoto');
    await userEvent.click(screen.getByTestId('nav-contacts'));
    const asked = await screen.findByRole('alertdialog');
    expect(within(asked).getByText('Unsaved changes')).toBeTruthy();
    expect(within(asked).getByRole('button', { name: 'Stay' })).toBe(document.activeElement);
    await userEvent.click(within(asked).getByRole('button', { name: 'Stay' }));
    expect(dialog()).toBeNull();
    expect(screen.getByTestId('partner-form')).toBeTruthy();
    expect(name.value).toBe('Université de Kyoto');
  });

  it('Esc asks; Discard leaves without saving', async () => {
    const h = renderApp({ route: { name: 'partnerNew' } });
    await typeName('Kyoto');
    await userEvent.keyboard('{Escape}');
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByTestId('leave-discard'));
    expect(await screen.findAllByTestId('partner-row')).toBeTruthy();
    expect(screen.queryByTestId('partner-form')).toBeNull();
    expect(h.callsOf('partner_create')).toEqual([]);
  });

  it('Esc in the dialog is Stay, not a second Esc on the form', async () => {
    renderApp({ route: { name: 'partnerNew' } });
    await typeName('Kyoto');
    await userEvent.keyboard('{Escape}');
    await screen.findByRole('alertdialog');
    await userEvent.keyboard('{Escape}');
    expect(dialog()).toBeNull();
    expect(screen.getByTestId('partner-form')).toBeTruthy();
  });

  it('a global search result asks; Save saves, then opens the result (not the saved record)', async () => {
    const h = renderApp({
      route: { name: 'partnerNew' },
      overrides: saves('partner', (input) => ({ ...CAMPUS_FRANCE, id: 'p-new', name: (input as PartnerInput).names[0].value })),
    });
    await typeName('Kyoto');
    await userEvent.type(screen.getByTestId('global-search'), 'lyon');
    await userEvent.click((await screen.findAllByTestId('search-hit'))[0]);
    const asked = await screen.findByRole('alertdialog');
    await userEvent.click(within(asked).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(h.callsOf('partner_create')).toHaveLength(1));
    expect((h.callsOf('partner_create')[0].input as PartnerInput).names[0].value).toBe('Kyoto');
    expect((await screen.findByTestId('partner-title')).textContent).toBe(fx.search[0].title);
    expect(dialog()).toBeNull();
  });

  it('Save that the core refuses stays on the form, showing why', async () => {
    const h = renderApp({
      route: { name: 'partnerNew' },
      overrides: {
        partner_create: () => {
          throw ipcError('invalid', 'invalid', [{ field: 'website', code: 'url', message: 'not a URL' }]);
        },
      },
    });
    await typeName('Kyoto');
    await userEvent.click(screen.getByTestId('back'));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(h.callsOf('partner_create')).toHaveLength(1));
    await waitFor(() => expect(dialog()).toBeNull());
    expect(screen.getByTestId('partner-form')).toBeTruthy();
    expect(screen.getByTestId('field-website').getAttribute('aria-invalid')).toBe('true');
  });

  it('Back, Cancel, Alt+← and the mouse back button all ask', async () => {
    renderApp({ route: { name: 'partnerEdit', id: CAMPUS_FRANCE.id } });
    await typeName(' (Paris)');
    const leaveBy = [
      () => userEvent.click(screen.getByTestId('back')),
      () => userEvent.click(screen.getByTestId('form-cancel')),
      () => userEvent.keyboard('{Alt>}{ArrowLeft}{/Alt}'),
      async () => {
        fireEvent.mouseUp(window, { button: 3 });
      },
    ];
    for (const leave of leaveBy) {
      await leave();
      await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Stay' }));
      expect(screen.getByTestId('partner-form')).toBeTruthy();
    }
  });

  it('a form without changes (or changed back) is left without a word', async () => {
    renderApp({ route: { name: 'partnerEdit', id: CAMPUS_FRANCE.id } });
    const name = await typeName('x');
    await userEvent.type(name, '{Backspace}');
    await userEvent.click(screen.getByTestId('nav-contacts'));
    expect(await screen.findAllByTestId('contact-row')).toBeTruthy();
    expect(dialog()).toBeNull();
  });

  it('speaks French', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'partnerNew' } });
    await typeName('Kyoto');
    await userEvent.click(screen.getByTestId('nav-contacts'));
    const asked = await screen.findByRole('alertdialog');
    expect(within(asked).getByText('Modifications non enregistrées')).toBeTruthy();
    expect(within(asked).getAllByRole('button').map((b) => b.textContent)).toEqual(['Rester', 'Abandonner', 'Enregistrer']);
  });

  // Every record form: a change in its first text field, then the sidebar.
  const forms: [Route, string][] = [
    [{ name: 'partnerNew' }, 'partner-form'],
    [{ name: 'contactNew' }, 'contact-form'],
    [{ name: 'agreementNew' }, 'agreement-form'],
    [{ name: 'exchangeNew' }, 'exchange-form'],
    [{ name: 'projectNew' }, 'project-form'],
    [{ name: 'eventNew' }, 'event-form'],
    [{ name: 'callNew' }, 'call-form'],
    [{ name: 'applicationNew' }, 'application-form'],
  ];
  it.each(forms)('%o asks before it is left with changes', async (route, testId) => {
    renderApp({ route });
    const form = await screen.findByTestId(testId);
    const field = form.querySelector<HTMLInputElement>('input.input:not([role="combobox"]):not([type="date"]):not([type="number"])');
    expect(field, 'a text field').not.toBeNull();
    await userEvent.type(field as HTMLInputElement, 'a');
    await userEvent.click(screen.getByTestId('nav-dashboard'));
    expect(await screen.findByRole('alertdialog')).toBeTruthy();
  });
});
