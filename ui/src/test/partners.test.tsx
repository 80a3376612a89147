import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { IpcError } from '../bindings/IpcError';
import i18n from '../i18n';
import type { Partner } from '../bindings/Partner';
import type { PartnerInput } from '../bindings/PartnerInput';
import type { PartnerQuery } from '../bindings/PartnerQuery';
import type { PartnerRow } from '../bindings/PartnerRow';
import { fx, recordWhere } from './fixtures';
import { fixtureAnswer, listAnswer, pageOf, renderApp, saves, type Answer } from './harness';

const listQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('partners_list').map((a) => a.query as PartnerQuery);

// Partners with a record page in the fixtures.
const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');
const CONCORDIA = recordWhere(fx.partner_get, (p) => p.name === 'Concordia University', 'partner Concordia University');
const CAPES = recordWhere(fx.partner_get, (p) => p.acronym === 'CAPES', 'partner CAPES');
/** A partner made from a fixture one, with `name` as its only name in every language. */
const named = (p: Partner, name: string): Partner => {
  const label = { name, lang: 'en', native: null, native_lang: null };
  return { ...p, name, labels: { en: label, fr: label } };
};
const rowOf = (p: Partner) => recordWhere(fx.partners_list.rows, (r) => r.id === p.id, `row of ${p.name}`);

/**
 * A workspace of 1,012 partners: the fixture's rows, then more made from them ("Partner 000440"), paged by
 * offset as the core pages them; each opens as a record made from a fixture one.
 */
function manyPartners(): Record<string, Answer> {
  const base = fx.partners_list.rows;
  const rows: PartnerRow[] = Array.from({ length: 1012 }, (_, i) =>
    i < base.length ? base[i] : { ...base[i % base.length], id: `p-${i}`, name: `Partner ${String(i).padStart(6, '0')}` },
  );
  return {
    partners_list: (args) => pageOf(rows, args.query),
    partner_get: (args, fx) => {
      const row = rows.find((r) => r.id === args.id);
      return row && !fx.partner_get[row.id] ? named({ ...CAMPUS_FRANCE, id: row.id }, row.name) : fixtureAnswer('partner_get', args, fx);
    },
  };
}

describe('partners list', () => {
  it('renders rows of the first page and the total', async () => {
    const h = renderApp({ overrides: manyPartners() });
    const rows = await screen.findAllByTestId('partner-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(100); // virtualised: only what is visible (plus overscan)
    expect(screen.getByTestId('partner-count')).toHaveProperty('textContent', '1,012 partners');
    const first = listQueries(h)[0];
    expect(first).toMatchObject({ offset: 0, limit: 100, sort: 'name', descending: false });
    expect(rows[0].textContent).toContain(fx.partners_list.rows[0].name);
  });

  it('fetches the page under the rows scrolled into view, by offset', async () => {
    const h = renderApp({ overrides: manyPartners() });
    await screen.findAllByTestId('partner-row');
    expect(listQueries(h).map((q) => q.offset)).toEqual([0]);

    const body = document.querySelector('.vt-body') as HTMLElement;
    await act(async () => {
      body.scrollTop = 450 * 40; // row 450
      body.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() => expect(listQueries(h).map((q) => q.offset)).toContain(400));
    expect(listQueries(h).every((q) => q.limit === 100 && q.offset % 100 === 0)).toBe(true);
    await waitFor(() => {
      const names = screen.getAllByTestId('partner-row').map((r) => r.textContent ?? '');
      expect(names.some((n) => n.includes('Partner 000440'))).toBe(true);
    });
    // Page 0 stays cached: scrolling back does not fetch it again.
    const before = listQueries(h).filter((q) => q.offset === 0).length;
    await act(async () => {
      body.scrollTop = 0;
      body.dispatchEvent(new Event('scroll'));
    });
    await new Promise((r) => setTimeout(r, 120));
    expect(listQueries(h).filter((q) => q.offset === 0).length).toBe(before);
  });

  it('moves the selection with the keyboard, End jumps to the last page, Enter opens', async () => {
    const h = renderApp({ overrides: manyPartners() });
    await screen.findAllByTestId('partner-row');
    const grid = screen.getByRole('grid');
    grid.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    const selected = screen.getAllByTestId('partner-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected).toHaveLength(1);
    expect(selected[0].textContent).toContain(fx.partners_list.rows[1].name);
    expect(grid.getAttribute('aria-activedescendant')).toBe(selected[0].id);

    await userEvent.keyboard('{End}');
    await waitFor(() => expect(listQueries(h).map((q) => q.offset)).toContain(1000));
    await waitFor(() =>
      expect(screen.getAllByTestId('partner-row').find((r) => r.getAttribute('aria-selected') === 'true')?.textContent).toContain(
        'Partner 001011',
      ),
    );
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('partner-title')).textContent).toBe('Partner 001011');
    expect(h.callsOf('partner_get').at(-1)).toEqual({ id: 'p-1011' });
  });

  it('sorts by a column header and toggles the direction', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    const header = screen.getByTestId('sort-country');
    expect(header.closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('none');
    await userEvent.click(header);
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ sort: 'country', descending: false }));
    expect(header.closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(header);
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ sort: 'country', descending: true }));
    expect(header.closest('[role="columnheader"]')?.getAttribute('aria-sort')).toBe('descending');
  });

  it('searches (debounced) and filters, and opens a row with the keyboard', async () => {
    const h = renderApp({
      overrides: { partners_list: listAnswer('partners_list', (q) => (q.search ? [rowOf(CONCORDIA)] : undefined)) },
    });
    await screen.findAllByTestId('partner-row');
    const search = screen.getByTestId('partner-search');
    await userEvent.type(search, 'コンコルディア');
    await waitFor(() => expect(listQueries(h).at(-1)?.search).toBe('コンコルディア'));
    // One request for the whole word, not one per keystroke.
    expect(listQueries(h).filter((q) => q.search === 'コ').length).toBe(0);
    await waitFor(() => expect(screen.getAllByTestId('partner-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(await screen.findByTestId('partner-title')).toHaveProperty('textContent', CONCORDIA.name);
  });

  it('sends the zone filter', async () => {
    const japan = fx.partners_list.rows.filter((p) => p.zone === 'japan');
    const h = renderApp({ overrides: { partners_list: listAnswer('partners_list', (q) => (q.zone === 'japan' ? japan : undefined)) } });
    await screen.findAllByTestId('partner-row');
    await userEvent.selectOptions(screen.getByTestId('filter-zone'), 'japan');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ zone: 'japan' }));
    await waitFor(() => expect(screen.getAllByTestId('partner-row').map((r) => r.textContent)).toEqual(japan.map((p) => expect.stringContaining(p.name))));
  });

  it('refetches when the core emits `changed`', async () => {
    const h = renderApp();
    await screen.findAllByTestId('partner-row');
    const calls = listQueries(h).length;
    const { emit } = await import('@tauri-apps/api/event');
    await act(async () => {
      await emit('changed', null);
    });
    await waitFor(() => expect(listQueries(h).length).toBeGreaterThan(calls));
  });
});

describe('partner form', () => {
  it('shows field errors inline from an `invalid` error and stays on the form', async () => {
    const error: IpcError = {
      kind: 'invalid',
      message: 'country: bad; names[0].value: empty',
      fields: [
        { field: 'country', code: 'country', message: '"XX" is not an ISO 3166-1 country code such as CN or BR' },
        { field: 'names[0].value', code: 'required', message: 'a name cannot be empty' },
        { field: 'identifiers[0].value', code: 'identifier_ror', message: 'not a ROR id' },
      ],
    };
    const h = renderApp({
      route: { name: 'partnerNew' },
      overrides: {
        partner_create: () => {
          throw error;
        },
      },
    });
    await screen.findByTestId('partner-form');
    // An empty identifier row is not sent, so the second row is identifiers[0] for the core.
    await userEvent.click(screen.getByTestId('ident-add'));
    await userEvent.click(screen.getByTestId('ident-add'));
    await userEvent.type(screen.getByTestId('ident-value-1'), 'nope');
    await userEvent.click(screen.getByTestId('form-save'));

    expect(await screen.findByTestId('error-country')).toHaveProperty('textContent', 'Choose a valid country.');
    expect(screen.getByTestId('error-names[0].value').textContent).toBe('This field is required.');
    expect(screen.getByTestId('error-identifiers[1].value').textContent).toContain('ROR');
    expect(screen.queryByTestId('error-identifiers[0].value')).toBeNull();
    expect(screen.getByTestId('name-value-0').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('name-value-0'))); // first invalid field
    expect(screen.getByTestId('partner-form')).toBeTruthy();
    expect(screen.queryByTestId('partner-title')).toBeNull();
    const sent = h.callsOf('partner_create')[0].input as PartnerInput;
    expect(sent.identifiers).toEqual([{ scheme: 'ror', value: 'nope' }]);
  });

  it('"Add a name" focuses the new row: typing goes into it, a space adds no row', async () => {
    renderApp({ route: { name: 'partnerNew' } });
    await screen.findByTestId('partner-form');
    await userEvent.click(screen.getByTestId('name-add'));
    expect(document.activeElement).toBe(screen.getByTestId('name-value-1'));
    await userEvent.keyboard('Kyoto Daigaku');
    expect(screen.getByTestId('name-value-1')).toHaveProperty('value', 'Kyoto Daigaku');
    expect(screen.queryByTestId('name-value-2')).toBeNull();
    await userEvent.click(screen.getByTestId('ident-add'));
    expect(document.activeElement).toBe(screen.getByTestId('ident-value-0'));
  });

  it('errors follow their rows when rows above are removed, and the banner names fields by their labels', async () => {
    renderApp({
      route: { name: 'partnerNew' },
      overrides: {
        partner_create: () => {
          throw {
            kind: 'invalid',
            message: 'invalid',
            fields: [
              { field: 'names[2].value', code: 'required', message: 'a name cannot be empty' },
              { field: 'names[3].lang', code: 'language', message: 'not a language tag' },
              { field: 'identifiers', code: 'format', message: 'two identifiers of one registry' },
            ],
          } satisfies IpcError;
        },
      },
    });
    await screen.findByTestId('partner-form');
    await userEvent.type(screen.getByTestId('name-value-0'), 'Kyoto University');
    for (const [value, lang] of [
      ['京都大学', 'ja'],
      ['', 'en'],
      ['Kyoto Daigaku', 'jp-Latn'],
    ]) {
      await userEvent.click(screen.getByTestId('name-add'));
      if (value) await userEvent.keyboard(value);
      const i = screen.getAllByTestId(/^name-lang-/).length - 1;
      await userEvent.type(screen.getByTestId(`name-lang-${i}`), lang);
    }
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('error-names[3].lang');
    const banner = screen.getByTestId('form-errors');
    expect(banner.textContent).toContain('Identifiers: The format is not valid.');

    await userEvent.click(screen.getByTestId('name-remove-1')); // 京都大学
    // "Kyoto Daigaku" is row 2 now, and its language error is on it; the empty name's error on row 1.
    expect(screen.getByTestId('name-value-2')).toHaveProperty('value', 'Kyoto Daigaku');
    expect(screen.getByTestId('name-lang-2').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('error-names[2].lang').textContent).toContain('language tag');
    expect(screen.getByTestId('name-value-1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('name-value-2').getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByTestId('error-names[3].lang')).toBeNull();

    await userEvent.click(screen.getByTestId('name-remove-1')); // the empty name: its error goes with it
    expect(screen.getByTestId('name-value-1').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByTestId('name-lang-1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('form-errors').textContent).not.toMatch(/names\[|\.value|\.lang/);
  });

  it('the banner speaks French', async () => {
    await i18n.changeLanguage('fr');
    renderApp({
      route: { name: 'partnerNew' },
      overrides: {
        partner_create: () => {
          throw { kind: 'invalid', message: 'invalid', fields: [{ field: 'identifiers', code: 'format', message: 'x' }] } satisfies IpcError;
        },
      },
    });
    await userEvent.type(await screen.findByTestId('name-value-0'), 'Université de Kyoto');
    await userEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('form-errors')).textContent).toContain('Identifiants : ');
  });

  it('creates a partner, suggests the zone from the country, and opens its page', async () => {
    const h = renderApp({
      route: { name: 'partnerNew' },
      overrides: saves('partner', (input) => named({ ...CAMPUS_FRANCE, id: 'p-new' }, (input as PartnerInput).names[0].value)),
    });
    await screen.findByTestId('partner-form');
    await userEvent.type(screen.getByTestId('name-value-0'), 'Peking University');
    await userEvent.click(screen.getByTestId('name-add'));
    await userEvent.type(screen.getByTestId('name-value-1'), '北京大学');
    await userEvent.type(screen.getByTestId('name-lang-1'), 'zh-Hans');
    await userEvent.selectOptions(screen.getByTestId('field-country'), 'CN');
    expect((screen.getByTestId('field-zone') as HTMLSelectElement).value).toBe('china');
    await userEvent.type(screen.getByTestId('field-city'), 'Beijing');
    await userEvent.type(screen.getByTestId('field-tags'), 'erasmus, summer school');
    await userEvent.keyboard('{Control>}{Enter}{/Control}');

    expect(await screen.findByTestId('partner-title')).toHaveProperty('textContent', 'Peking University');
    const input = h.callsOf('partner_create')[0].input as PartnerInput;
    expect(input).toMatchObject({
      country: 'CN',
      zone: 'china',
      city: 'Beijing',
      tags: ['erasmus', 'summer school'],
      names: [
        { value: 'Peking University', lang: 'en', primary: true },
        { value: '北京大学', lang: 'zh-Hans', primary: false },
      ],
    });
  });

  it('keeps a zone chosen by hand when the country changes', async () => {
    renderApp({ route: { name: 'partnerNew' } });
    await screen.findByTestId('partner-form');
    await userEvent.selectOptions(screen.getByTestId('field-country'), 'BR');
    expect((screen.getByTestId('field-zone') as HTMLSelectElement).value).toBe('brazil');
    await userEvent.selectOptions(screen.getByTestId('field-zone'), 'other');
    await userEvent.selectOptions(screen.getByTestId('field-country'), 'DE');
    expect((screen.getByTestId('field-zone') as HTMLSelectElement).value).toBe('other');
  });

  it('keeps the ids of existing names and identifiers when editing, and picks a parent', async () => {
    const h = renderApp({
      route: { name: 'partnerEdit', id: CONCORDIA.id },
      overrides: {
        partners_list: listAnswer('partners_list', (q) => (q.search ? [rowOf(CAMPUS_FRANCE)] : undefined)),
        ...saves('partner', (input) => ({ ...CONCORDIA, parent_id: (input as PartnerInput).parent_id, parent_name: CAMPUS_FRANCE.name })),
      },
    });
    await screen.findByTestId('partner-form');
    expect((screen.getByTestId('name-value-1') as HTMLInputElement).value).toBe(CONCORDIA.names[1].value);
    await userEvent.type(screen.getByTestId('field-parent'), 'Campus');
    const option = await screen.findByTestId('field-parent-option');
    await userEvent.click(option);
    await userEvent.click(screen.getByTestId('form-save'));
    const title = await screen.findByTestId('partner-title');
    expect(title.textContent).toBe(CONCORDIA.name);
    const args = h.callsOf('partner_update')[0];
    const input = args.input as PartnerInput;
    expect(args.id).toBe(CONCORDIA.id);
    expect(input.names.map((n) => n.id)).toEqual(CONCORDIA.names.map((n) => n.id));
    expect(input.identifiers.map((n) => n.id)).toEqual(CONCORDIA.identifiers.map((n) => n.id));
    expect(input.parent_id).toBe(CAMPUS_FRANCE.id);
    expect(screen.getByTestId('partner-parent').textContent).toBe(CAMPUS_FRANCE.name);
  });

  it('Esc in the open parent picker closes it without cancelling the form', async () => {
    renderApp({ route: { name: 'partnerNew' } });
    await screen.findByTestId('partner-form');
    await userEvent.type(screen.getByTestId('field-parent'), 'Lyon');
    await screen.findAllByTestId('field-parent-option');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('field-parent-option')).toBeNull();
    expect(screen.getByTestId('partner-form')).toBeTruthy();
  });

  it('Esc cancels the form and goes back', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('partner-new'));
    await screen.findByTestId('partner-form');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('partner-form')).toBeNull());
    expect(screen.getByTestId('partner-search')).toBeTruthy();
  });
});

describe('partner page', () => {
  it('deletes after confirmation, returns to the list, and Undo restores', async () => {
    const id = CAMPUS_FRANCE.id;
    const h = renderApp({ route: { name: 'partner', id } });
    await screen.findByTestId('partner-title');

    // Esc dismisses the dialog without deleting (it opens once what points to the partner is known).
    await userEvent.click(screen.getByTestId('partner-delete'));
    expect(await screen.findByRole('alertdialog')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByTestId('partner-title')).toBeTruthy(); // still on the page
    expect(h.callsOf('partner_delete')).toHaveLength(0);

    // Focus stays in the dialog.
    await userEvent.click(screen.getByTestId('partner-delete'));
    await screen.findByRole('alertdialog');
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByTestId('confirm-ok'));
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));

    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('partner-search');
    expect(h.callsOf('partner_delete')).toEqual([{ id }]);
    expect(screen.getByText('Partner deleted')).toBeTruthy();

    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('partner_restore')).toEqual([{ id }]));
  });

  it('shows details, "pending sync" for an unknown parent, and navigates to contacts', async () => {
    renderApp({
      route: { name: 'partner', id: CAPES.id },
      overrides: { partner_get: () => ({ ...CAPES, parent_id: 'p-unknown', parent_name: null }) },
    });
    await screen.findByTestId('partner-title');
    expect(screen.getByTestId('partner-parent').textContent).toBe('pending sync');
    expect(screen.getByTestId('partner-names').textContent).toContain(CAPES.names[1].value);
    expect(screen.getAllByText('Brazil', { selector: 'dd' })).toHaveLength(2); // country and zone
    const contacts = screen.getByTestId('partner-contacts');
    await userEvent.click(within(contacts).getByText(/Rafael BARBOSA/));
    expect((await screen.findByTestId('contact-title')).textContent).toBe(CAPES.contacts[0].name);
  });

  it('Esc on a record page goes back to the list', async () => {
    renderApp();
    const rows = await screen.findAllByTestId('partner-row');
    fireEvent.click(rows[0]);
    await screen.findByTestId('partner-title');
    await userEvent.keyboard('{Escape}');
    await screen.findByTestId('partner-search');
  });
});
