import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import i18n from '../i18n';
import { fx } from './fixtures';
import { renderApp } from './harness';

// ISCED-F 2013 detailed fields by their own label from the core's list (rules.isced_fields), never their
// broad field's: 0912 Medicine / Médecine, 0421 Law / Droit (issue 9, item 9).
describe('fields of study by their detailed ISCED-F label, in English and French', () => {
  it('on an exchange page', async () => {
    const exchange = Object.values(fx.exchange_get)[0];
    await i18n.changeLanguage('en');
    renderApp({ route: { name: 'exchange', id: exchange.id }, overrides: { exchange_get: () => ({ ...exchange, field: '0912' }) } });
    await waitFor(() => expect(screen.getByText('0912 · Medicine')).toBeTruthy());
    await i18n.changeLanguage('fr');
    await waitFor(() => expect(screen.getByText('0912 · Médecine')).toBeTruthy());
  });

  it('on a project page', async () => {
    const project = Object.values(fx.project_get)[0];
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'project', id: project.id }, overrides: { project_get: () => ({ ...project, fields: ['0421', '0912'] }) } });
    const chips = await screen.findByTestId('project-fields');
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['0421 · Droit', '0912 · Médecine']);
    await i18n.changeLanguage('en');
    await waitFor(() => expect(within(screen.getByTestId('project-fields')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['0421 · Law', '0912 · Medicine']));
  });

  it('in a record’s history', async () => {
    const exchange = Object.values(fx.exchange_get)[0];
    await i18n.changeLanguage('fr');
    renderApp({
      route: { name: 'exchange', id: exchange.id },
      overrides: {
        history: () => [
          {
            hlc: 1,
            at: '2026-02-01T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [{ table: 'exchange', row_id: exchange.id, column: 'field', old: '0421', new: '0912' }],
          },
        ],
      },
    });
    const entry = await within(await screen.findByTestId('history')).findByTestId('history-entry');
    expect(entry.textContent).toContain('0912 · Médecine');
  });

  it('offered in French by a form as a code is typed', async () => {
    const exchange = Object.values(fx.exchange_get)[0];
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'exchangeEdit', id: exchange.id } });
    await screen.findByTestId('form-save');
    const options = Array.from(document.querySelectorAll('datalist option')).map((o) => `${(o as HTMLOptionElement).value} ${o.textContent}`);
    expect(options).toContain('0912 Médecine');
    expect(options).toContain('0421 Droit');
    const field = screen.getByTestId('field-field');
    await userEvent.clear(field);
    await userEvent.type(field, '0421');
    expect(screen.getByText('0421 · Droit')).toBeTruthy();
  });
});
