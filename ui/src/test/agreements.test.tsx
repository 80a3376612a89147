import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Partner } from '../bindings/Partner';
import type { Agreement } from '../bindings/Agreement';
import type { AgreementInput } from '../bindings/AgreementInput';
import type { AgreementQuery } from '../bindings/AgreementQuery';
import type { IpcError } from '../bindings/IpcError';
import { fx, recordWhere } from './fixtures';
import { deletions, fixtureAnswer, ipcError, listAnswer, renderApp, saves, type Answer } from './harness';
import { labelText } from '../components/Name';

// Agreements with a page in the fixtures: a framework with one specific agreement, a scholarship with its
// condition, places used and balance, and one made expired (active on paper, past its end).
const FRAMEWORK_RECORD = recordWhere(fx.agreement_get, (a) => a.kind === 'framework' && a.title.includes('Fudan'), 'Fudan framework');
const FRAMEWORK = FRAMEWORK_RECORD.title;
const SCHOLARSHIP = recordWhere(fx.agreement_get, (a) => a.usage.length > 0, 'agreement with places used');
const TOKYO = SCHOLARSHIP.title;
const OTHER = recordWhere(fx.agreement_get, (a) => a.kind === 'framework' && a.id !== FRAMEWORK_RECORD.id, 'another framework');
const EXPIRED: Agreement = { ...OTHER, effective_status: 'expired', end_date: '2025-06-30' };
const CHILD = FRAMEWORK_RECORD.children[0];
const CHILD_RECORD: Agreement = { ...SCHOLARSHIP, id: CHILD.id, title: CHILD.title, parent_id: FRAMEWORK_RECORD.id, parent_title: FRAMEWORK, children: [] };
const CAPES = recordWhere(fx.partner_get, (p) => p.acronym === 'CAPES', 'partner CAPES');
const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');
/** A partner made from a fixture one, with `name` as its only name in every language. */
const named = (p: Partner, name: string): Partner => {
  const label = { name, lang: '', native: null, native_lang: null };
  return { ...p, name, labels: { en: label, fr: label } };
};
const partnerRow = (id: string) => recordWhere(fx.partners_list.rows, (r) => r.id === id, `row ${id}`);
const agreementRow = (id: string) => recordWhere(fx.agreements_list.rows, (r) => r.id === id, `row ${id}`);

/** The expired agreement and the specific one answered by id. */
const agreementPages: Record<string, Answer> = {
  agreement_get: (args, fx) => (args.id === EXPIRED.id ? EXPIRED : args.id === CHILD.id ? CHILD_RECORD : fixtureAnswer('agreement_get', args, fx)),
};
/** The partner picker finds CAPES for "Coord…", Campus France for anything else. */
const partnerSearch = listAnswer('partners_list', (q) =>
  q.search ? [partnerRow(String(q.search).startsWith('Coord') ? CAPES.id : CAMPUS_FRANCE.id)] : undefined,
);

const listQueries = (h: ReturnType<typeof renderApp>) => h.callsOf('agreements_list').map((a) => a.query as AgreementQuery);

describe('agreements list', () => {
  it('lists agreements with their effective status, filters, sorts and opens a row with the keyboard', async () => {
    const expired = fx.agreements_list.rows.filter((r) => r.status === 'expired');
    const total = `${fx.agreements_list.total} agreements`;
    const h = renderApp({
      route: { name: 'agreements' },
      overrides: {
        agreements_list: listAnswer('agreements_list', (q) => (q.status === 'expired' ? expired : q.search ? [agreementRow(SCHOLARSHIP.id)] : undefined)),
      },
    });
    const rows = await screen.findAllByTestId('agreement-row');
    expect(screen.getByTestId('agreement-count').textContent).toBe(total);
    expect(listQueries(h)[0]).toMatchObject({ sort: 'title', descending: false, offset: 0, limit: 100 });
    // The status the core gives each row (here, one past its end date) is shown.
    const expiredRow = rows.find((r) => r.textContent?.includes(expired[0].title));
    expect(expiredRow?.textContent).toContain('Expired');

    await userEvent.selectOptions(screen.getByTestId('filter-status'), 'expired');
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ status: 'expired' }));
    await waitFor(() => expect(screen.getAllByTestId('agreement-row')).toHaveLength(expired.length));
    await userEvent.click(screen.getByTestId('clear-filters'));
    await waitFor(() => expect(screen.getByTestId('agreement-count').textContent).toBe(total));

    await userEvent.click(screen.getByTestId('sort-end_date'));
    await waitFor(() => expect(listQueries(h).at(-1)).toMatchObject({ sort: 'end_date', descending: false }));

    await userEvent.type(screen.getByTestId('agreement-search'), 'CSC');
    await waitFor(() => expect(listQueries(h).at(-1)?.search).toBe('CSC'));
    await waitFor(() => expect(screen.getAllByTestId('agreement-row')).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(TOKYO);
  });

  it('is reached from the sidebar, and Ctrl+N there opens a new agreement', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    await userEvent.click(screen.getByTestId('nav-agreements'));
    await screen.findAllByTestId('agreement-row');
    expect(screen.getByTestId('nav-agreements').getAttribute('aria-current')).toBe('page');
    await userEvent.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('agreement-form')).toBeTruthy();
  });
});

describe('agreement form', () => {
  it('shows the field errors the core returns under the right inputs', async () => {
    const error: IpcError = {
      kind: 'invalid',
      message: 'several fields',
      fields: [
        { field: 'end_date', code: 'end_before_start', message: 'the agreement ends before it starts' },
        { field: 'parties[1].partner_id', code: 'required', message: 'choose the organisation' },
        { field: 'conditions[0].receiving_id', code: 'required', message: 'choose one of the parties' },
        { field: 'conditions[0].languages[0].lang', code: 'language', message: '"??" is not a BCP-47 language tag' },
        { field: 'fields[0]', code: 'field', message: '"xx" is not an ISCED-F code' },
        { field: 'parent_id', code: 'cycle', message: 'an agreement cannot be its own parent' },
        { field: 'signed_date', code: 'some_new_code', message: 'the core’s own words' },
      ],
    };
    const h = renderApp({
      route: { name: 'agreementNew' },
      overrides: {
        partners_list: partnerSearch,
        agreement_create: () => {
          throw error;
        },
      },
    });
    await screen.findByTestId('agreement-form');
    // Two party rows from the start.
    expect(screen.getByTestId('party-partner-0')).toBeTruthy();
    expect(screen.getByTestId('party-partner-1')).toBeTruthy();
    expect(screen.queryByTestId('party-partner-2')).toBeNull();

    await userEvent.type(screen.getByTestId('field-title'), 'Fudan – Lyon 1 summer school');
    await userEvent.type(screen.getByTestId('field-code'), 'FDU-SS');
    await userEvent.type(screen.getByTestId('party-partner-0'), 'Coordenação');
    await userEvent.click(await screen.findByTestId('party-partner-0-option'));
    // An empty field row is not sent: the second row is fields[0] for the core.
    await userEvent.click(screen.getByTestId('agreement-field-add'));
    await userEvent.click(screen.getByTestId('agreement-field-add'));
    await userEvent.type(screen.getByTestId('agreement-field-1'), 'xx');
    await userEvent.click(screen.getByTestId('condition-add'));
    await userEvent.selectOptions(screen.getByTestId('condition-sending-0'), CAPES.id);
    await userEvent.click(screen.getByTestId('condition-lang-add-0'));
    await userEvent.click(screen.getByTestId('condition-lang-add-0'));
    await userEvent.type(screen.getByTestId('condition-lang-0-1'), '??');
    await userEvent.click(screen.getByTestId('form-save'));

    const endError = await screen.findByTestId('error-end_date');
    expect(endError.textContent).toBe('The end date is before the start date.');
    expect(screen.getByTestId('field-end-date').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('field-end-date').getAttribute('aria-describedby')).toBe('error-end_date');

    const party = screen.getByTestId('party-1');
    expect(within(party).getByTestId('error-parties[1].partner_id').textContent).toBe('This field is required.');
    expect(within(party).getByTestId('party-partner-1').getAttribute('aria-invalid')).toBe('true');
    expect(within(screen.getByTestId('party-0')).queryByRole('alert')).toBeNull();

    const condition = screen.getByTestId('condition-0');
    expect(within(condition).getByTestId('error-conditions[0].receiving_id').textContent).toBe('This field is required.');
    expect(within(condition).getByTestId('condition-receiving-0').getAttribute('aria-invalid')).toBe('true');
    // The language sent first was the form's second row.
    expect(within(condition).getByTestId('error-conditions[0].languages[1].lang').textContent).toContain('language tag');
    expect(within(condition).getByTestId('condition-lang-0-1').getAttribute('aria-invalid')).toBe('true');

    expect(screen.getByTestId('error-fields[1]').textContent).toContain('ISCED-F');
    expect(screen.queryByTestId('error-fields[0]')).toBeNull();
    expect(screen.getByTestId('error-parent_id').textContent).toBe(
      'An agreement cannot come under itself or one of its own specific agreements.',
    );
    // An unknown code: the core's message.
    expect(screen.getByTestId('error-signed_date').textContent).toBe('the core’s own words');
    expect(screen.queryByTestId('agreement-title')).toBeNull();

    const sent = h.callsOf('agreement_create')[0].input as AgreementInput;
    expect(sent.title).toBe('Fudan – Lyon 1 summer school');
    expect(sent.code).toBe('FDU-SS');
    expect(sent.fields).toEqual(['xx']);
    expect(sent.parties).toHaveLength(2);
    expect(sent.parties[0].partner_id).toBe(CAPES.id);
    expect(sent.parties[1].partner_id).toBeNull();
    expect(sent.conditions[0]).toMatchObject({
      mobility: 'student_study',
      sending_id: CAPES.id,
      receiving_id: null,
      languages: [{ lang: '??', cefr: 'B2' }],
    });
  });

  it('creates an agreement with parties and a condition chosen among them, and opens its page', async () => {
    const h = renderApp({
      route: { name: 'agreementNew' },
      overrides: {
        partners_list: partnerSearch,
        ...saves('agreement', (input) => {
          const i = input as AgreementInput;
          const name = (id: string | null) => (id === CAPES.id ? CAPES.name : CAMPUS_FRANCE.name);
          return {
            ...SCHOLARSHIP,
            id: 'a-new',
            title: i.title,
            conditions: i.conditions.map((c, n) => ({ ...c, id: `c-${n}` })),
            conditions_read: i.conditions.map((c, n) => ({ ...c, id: `c-${n}`, sending_name: name(c.sending_id), receiving_name: name(c.receiving_id) })),
          } as Agreement;
        }),
      },
    });
    await screen.findByTestId('agreement-form');
    await userEvent.type(screen.getByTestId('field-title'), 'SJTU – Lyon 1 student exchange');
    await userEvent.selectOptions(screen.getByTestId('field-kind'), 'student_exchange');
    await userEvent.selectOptions(screen.getByTestId('field-status'), 'active');
    await userEvent.type(screen.getByTestId('field-start-date'), '2026-09-01');
    await userEvent.type(screen.getByTestId('party-partner-0'), 'Coordenação');
    await userEvent.click(await screen.findByTestId('party-partner-0-option'));
    await userEvent.type(screen.getByTestId('party-partner-1'), 'Campus');
    await userEvent.click(await screen.findByTestId('party-partner-1-option'));
    await userEvent.type(screen.getByTestId('party-role-1'), 'coordinator');
    await userEvent.click(screen.getByTestId('agreement-field-add'));
    await userEvent.type(screen.getByTestId('agreement-field-0'), 'engineering');

    await userEvent.click(screen.getByTestId('condition-add'));
    const sjtu = CAPES.id;
    const lyon = CAMPUS_FRANCE.id;
    // The sides offered are the parties chosen above.
    const options = within(screen.getByTestId('condition-sending-0')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['— Choose a party —', CAPES.name, CAMPUS_FRANCE.name]);
    await userEvent.selectOptions(screen.getByTestId('condition-sending-0'), sjtu);
    await userEvent.selectOptions(screen.getByTestId('condition-receiving-0'), lyon);
    await userEvent.type(screen.getByTestId('condition-places-0'), '4');
    await userEvent.click(screen.getByTestId('condition-level-0-eqf7'));
    await userEvent.type(screen.getByTestId('condition-first-0'), '2026');
    expect(screen.getByTestId('condition-first-0-label').textContent).toBe('2026/2027');
    await userEvent.keyboard('{Control>}s{/Control}');

    expect((await screen.findByTestId('agreement-title')).textContent).toBe('SJTU – Lyon 1 student exchange');
    const sent = h.callsOf('agreement_create')[0].input as AgreementInput;
    expect(sent).toMatchObject({
      kind: 'student_exchange',
      status: 'active',
      start_date: '2026-09-01',
      fields: ['engineering'],
      parties: [
        { partner_id: sjtu, role: null },
        { partner_id: lyon, role: 'coordinator' },
      ],
      conditions: [{ sending_id: sjtu, receiving_id: lyon, places: 4, levels: ['eqf7'], first_year: 2026, last_year: null }],
    });
    const conditions = screen.getByTestId('agreement-conditions');
    expect(conditions.textContent).toContain(`${CAPES.name} → ${CAMPUS_FRANCE.name}`);
    expect(conditions.textContent).toContain('4 / –');
    expect(within(conditions).getByTitle('EQF 7 (master)').textContent).toBe('EQF 7');
  });

  it('keeps the ids of parties and conditions when editing', async () => {
    const id = SCHOLARSHIP.id;
    const h = renderApp({
      route: { name: 'agreementEdit', id },
      overrides: saves('agreement', () => SCHOLARSHIP),
    });
    await screen.findByTestId('agreement-form');
    expect((screen.getByTestId('field-title') as HTMLInputElement).value).toBe(TOKYO);
    expect(screen.getByTestId(`condition-${SCHOLARSHIP.conditions.length - 1}`)).toBeTruthy();
    await userEvent.clear(screen.getByTestId('condition-places-0'));
    await userEvent.type(screen.getByTestId('condition-places-0'), '5');
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('agreement-title');
    const args = h.callsOf('agreement_update')[0];
    const sent = args.input as AgreementInput;
    expect(args.id).toBe(id);
    expect(sent.parties.map((p) => p.id)).toEqual(SCHOLARSHIP.parties.map((p) => p.id));
    expect(sent.conditions.map((c) => c.id)).toEqual(SCHOLARSHIP.conditions.map((c) => c.id));
    expect(sent.conditions[0].places).toBe(5);
  });

  it('Esc cancels the form', async () => {
    renderApp({ route: { name: 'agreements' } });
    await screen.findAllByTestId('agreement-row');
    await userEvent.click(screen.getByTestId('agreement-new'));
    await screen.findByTestId('agreement-form');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('agreement-form')).toBeNull());
    expect(screen.getByTestId('agreement-search')).toBeTruthy();
  });
});

describe('agreement page', () => {
  it('shows parties with links, conditions, places used and the balance per year', async () => {
    const party = SCHOLARSHIP.parties_read[0];
    const c = SCHOLARSHIP.conditions_read[0];
    const [year] = SCHOLARSHIP.balance;
    renderApp({
      route: { name: 'agreement', id: SCHOLARSHIP.id },
      overrides: {
        agreement_get: () => ({ ...SCHOLARSHIP, fields: ['sustainable_development'] }),
        partner_get: (args, fx) =>
          args.id === party.partner_id ? named({ ...CAPES, id: party.partner_id ?? '' }, party.partner_name ?? '') : fixtureAnswer('partner_get', args, fx),
      },
    });
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(TOKYO);
    expect(screen.getByTestId('agreement-status').textContent).toBe('Active');
    expect(screen.getAllByTestId('agreement-party')).toHaveLength(SCHOLARSHIP.parties.length);
    expect(screen.getAllByTestId('agreement-condition')).toHaveLength(SCHOLARSHIP.conditions.length);
    const usage = screen.getByTestId('agreement-usage');
    expect(usage.textContent).toContain('2025/2026');
    // Each side as the core names it for the reader, its own script beside: never 国家留学基金管理委员会 alone.
    expect(usage.textContent).toContain(
      `Doctoral mobility · ${labelText(c.sending_labels, c.sending_name)} → ${labelText(c.receiving_labels, c.receiving_name)}`,
    );
    expect(usage.textContent).toContain(`${SCHOLARSHIP.usage[0].used} of ${SCHOLARSHIP.usage[0].places}`);
    const balance = within(screen.getByTestId('agreement-balance')).getAllByRole('row');
    expect(balance[1].textContent).toContain(`${year.academic_year}/${year.academic_year + 1}`);
    expect(screen.getByTestId('agreement-fields').textContent).toContain('Sustainable development');

    await userEvent.click(within(screen.getAllByTestId('agreement-party')[0]).getByText(party.partner_name ?? ''));
    expect((await screen.findByTestId('partner-title')).textContent).toBe(party.partner_name);
  });

  it('gives the conditions, places used and related lists the page’s width, not the column beside the history', async () => {
    renderApp({ route: { name: 'agreement', id: SCHOLARSHIP.id } });
    await screen.findByTestId('agreement-title');
    const history = await screen.findByTestId('history');
    const columns = history.closest('.record-grid') as HTMLElement;
    // Beside the history: the details and the parties only.
    expect(within(columns).getByTestId('agreement-parties')).toBeTruthy();
    for (const wide of ['agreement-conditions', 'agreement-usage', 'agreement-exchanges', 'documents']) {
      const el = await screen.findByTestId(wide);
      expect(columns.contains(el), `${wide} beside the history`).toBe(false);
      expect(el.closest('.record-wide'), `${wide} across the page`).not.toBeNull();
    }
  });

  it('shows an expired status for an active agreement past its end date', async () => {
    renderApp({ route: { name: 'agreement', id: EXPIRED.id }, overrides: agreementPages });
    await screen.findByTestId('agreement-title');
    expect(screen.getByTestId('agreement-status').textContent).toBe('Expired');
    expect(screen.getByTestId('agreement-recorded-status').textContent).toBe('recorded as “Active”');
  });

  it('links a framework agreement and its specific agreements', async () => {
    renderApp({ route: { name: 'agreement', id: FRAMEWORK_RECORD.id }, overrides: agreementPages });
    await screen.findByTestId('agreement-title');
    await userEvent.click(within(screen.getByTestId('agreement-children')).getByText(CHILD.title));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(CHILD.title);
    await userEvent.click(screen.getByTestId('agreement-parent'));
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(FRAMEWORK);
  });

  it('asks what points to an agreement before deleting it, says it in the confirmation, and Undo restores', async () => {
    const id = FRAMEWORK_RECORD.id;
    const total = fx.agreements_list.total;
    const h = renderApp({
      route: { name: 'agreement', id },
      overrides: {
        ...deletions('agreement'),
        dependants: () => [
          { entity: 'agreement', count: 1 },
          { entity: 'exchange', count: 1 },
        ],
      },
    });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('agreement-delete'));
    const dialog = await screen.findByRole('alertdialog');
    expect(h.callsOf('dependants')).toEqual([{ id }]);
    // A specific agreement comes under it, and an exchange was made under it.
    expect(dialog.textContent).toContain('Records that point to it: 1 agreement and 1 exchange.');
    expect(h.callsOf('agreement_delete')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('confirm-ok'));
    await screen.findByTestId('agreement-search');
    expect(h.callsOf('agreement_delete')).toEqual([{ id }]);
    expect(screen.getByText('Agreement deleted')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('agreement-count').textContent).toBe(`${total - 1} agreements`));
    await userEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(h.callsOf('agreement_restore')).toEqual([{ id }]));
    await waitFor(() => expect(screen.getByTestId('agreement-count').textContent).toBe(`${total} agreements`));
  });

  it('names every kind of dependant, in French too', async () => {
    renderApp({
      route: { name: 'agreement', id: SCHOLARSHIP.id },
      overrides: {
        dependants: () => [
          { entity: 'exchange', count: 3 },
          { entity: 'agreement', count: 1 },
        ],
      },
    });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('agreement-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('3 exchanges and 1 agreement');
    await userEvent.keyboard('{Escape}');
    await userEvent.click(screen.getByTestId('lang-switch'));
    await userEvent.click(screen.getByTestId('agreement-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('3 mobilités et 1 accord');
  });

  it('still confirms when what points to it cannot be checked, and says nothing else does when nothing does', async () => {
    let fail = true;
    renderApp({
      route: { name: 'agreement', id: OTHER.id },
      overrides: {
        dependants: () => {
          if (fail) throw ipcError('database', 'locked');
          return [];
        },
      },
    });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('agreement-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('What points to it could not be checked.');
    await userEvent.click(screen.getByTestId('confirm-cancel'));
    fail = false;
    await userEvent.click(screen.getByTestId('agreement-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('No other record points to it.');
  });
});

describe('agreements elsewhere', () => {
  it('lists a partner’s agreements and exchanges on its page', async () => {
    const mine = [agreementRow(FRAMEWORK_RECORD.id), agreementRow(CHILD.id)];
    const theirs = fx.exchanges_list.rows.slice(0, 2);
    const h = renderApp({
      route: { name: 'partner', id: CAPES.id },
      overrides: {
        agreements_list: listAnswer('agreements_list', (q) => (q.partner_id === CAPES.id ? mine : undefined)),
        exchanges_list: listAnswer('exchanges_list', (q) => (q.partner_id === CAPES.id ? theirs : undefined)),
      },
    });
    await screen.findByTestId('partner-title');
    const agreements = await screen.findByTestId('partner-agreements');
    expect(within(agreements).getAllByTestId('related-agreement').map((r) => r.textContent)).toEqual([
      expect.stringContaining(FRAMEWORK),
      expect.stringContaining(CHILD.title),
    ]);
    expect(h.callsOf('agreements_list').map((a) => a.query)).toContainEqual(expect.objectContaining({ partner_id: CAPES.id }));
    const exchanges = await screen.findByTestId('partner-exchanges');
    expect(within(exchanges).getAllByTestId('related-exchange')).toHaveLength(2);
    expect(screen.getByTestId('partner-exchanges-count').textContent).toBe('2');
    await userEvent.click(within(agreements).getAllByTestId('related-agreement')[0]);
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(FRAMEWORK);
  });

  it('opens an agreement from the global search', async () => {
    const h = renderApp({
      overrides: { search: () => [{ entity: 'agreement', id: SCHOLARSHIP.id, title: TOKYO, subtitle: SCHOLARSHIP.parties_read.map((p) => p.partner_name).join(' – ') }] },
    });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'doctoral grants');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits[0].textContent).toContain(TOKYO);
    expect(hits[0].textContent).toContain('Agreement');
    await userEvent.keyboard('{Enter}');
    expect((await screen.findByTestId('agreement-title')).textContent).toBe(TOKYO);
    expect(h.callsOf('agreement_get').length).toBeGreaterThan(0);
  });

  it('shows agreement vocabulary in French', async () => {
    renderApp({ route: { name: 'agreement', id: FRAMEWORK_RECORD.id } });
    await screen.findByTestId('agreement-title');
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByText('Accord-cadre', { selector: 'dd' })).toBeTruthy();
    expect(screen.getByTestId('agreement-status').textContent).toBe('En vigueur');
    expect(screen.getByTestId('agreement-fields').textContent).toContain('Santé');
  });

  it('names each ISCED-F code by its detailed field (the core’s labels), in English and in French', async () => {
    renderApp({
      route: { name: 'agreement', id: SCHOLARSHIP.id },
      overrides: { agreement_get: () => ({ ...SCHOLARSHIP, fields: ['0912', '0421', '0919', 'health'] }) },
    });
    await screen.findByTestId('agreement-title');
    const chips = () => within(screen.getByTestId('agreement-fields')).getAllByRole('listitem').map((li) => li.textContent);
    // 0919 is not an ISCED-F detailed field: its broad field names it.
    expect(chips()).toEqual(['0912 · Medicine', '0421 · Law', '0919 · Health and welfare', 'Health']);
    await userEvent.click(screen.getByTestId('lang-switch'));
    expect(chips()).toEqual(['0912 · Médecine', '0421 · Droit', '0919 · Santé et protection sociale', 'Santé']);
  });

  it('offers the ISCED-F detailed fields as a field is typed, and names the one typed', async () => {
    renderApp({ route: { name: 'agreementEdit', id: SCHOLARSHIP.id } });
    await screen.findByTestId('form-save');
    const options = Array.from(document.querySelectorAll('datalist option')).map((o) => `${(o as HTMLOptionElement).value} ${o.textContent}`);
    expect(options).toContain('0912 Medicine');
    expect(options).toContain('0731 Architecture and town planning');
    await userEvent.click(screen.getByRole('button', { name: 'Add a field' }));
    const inputs = screen.getAllByTestId(/^agreement-field-\d+$/);
    await userEvent.type(inputs[inputs.length - 1], '0421');
    expect(screen.getByText('0421 · Law')).toBeTruthy();
  });
});

describe('agreement and exchange history', () => {
  it('names agreement kinds and statuses, parties and conditions, and exchange amounts with their currency', async () => {
    const fudan = CAPES.id;
    renderApp({
      route: { name: 'agreement', id: FRAMEWORK_RECORD.id },
      overrides: {
        history: () => [
          {
            hlc: 1,
            at: '2026-02-01T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'agreement', row_id: 'A', column: 'title', old: null, new: 'Fudan framework' },
              { table: 'agreement', row_id: 'A', column: 'kind', old: null, new: 'framework' },
              { table: 'agreement', row_id: 'A', column: 'status', old: null, new: 'negotiation' },
              { table: 'agreement_party', row_id: 'P1', column: 'agreement_id', old: null, new: 'A' },
              { table: 'agreement_party', row_id: 'P1', column: 'partner_id', old: null, new: fudan },
              { table: 'agreement_party', row_id: 'P1', column: 'role', old: null, new: 'coordinator' },
              { table: 'agreement_field', row_id: 'F1', column: 'agreement_id', old: null, new: 'A' },
              { table: 'agreement_field', row_id: 'F1', column: 'code', old: null, new: 'health' },
            ],
          },
          {
            hlc: 2,
            at: '2026-02-02T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'agreement', row_id: 'A', column: 'status', old: 'negotiation', new: 'active' },
              { table: 'agreement', row_id: 'A', column: 'auto_renewal', old: 0, new: 1 },
              { table: 'agreement_condition', row_id: 'C1', column: 'agreement_id', old: null, new: 'A' },
              { table: 'agreement_condition', row_id: 'C1', column: 'mobility', old: null, new: 'doctoral' },
              { table: 'agreement_condition', row_id: 'C1', column: 'sending_id', old: null, new: fudan },
              { table: 'agreement_condition', row_id: 'C1', column: 'receiving_id', old: null, new: 'p-missing' },
              { table: 'agreement_condition', row_id: 'C1', column: 'places', old: null, new: 2 },
            ],
          },
          {
            hlc: 3,
            at: '2026-02-03T08:00:00Z',
            origin: 'r2',
            author: 'Shanghai office',
            changes: [
              { table: 'agreement_condition', row_id: 'C1', column: 'levels', old: null, new: 'eqf7 eqf8' },
              { table: 'agreement_condition', row_id: 'C1', column: 'languages', old: null, new: 'en:B2 fr:B1' },
              { table: 'agreement_condition', row_id: 'C1', column: 'first_year', old: null, new: 2025 },
            ],
          },
        ],
      },
    });
    const entries = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    expect(entries).toHaveLength(3);
    expect(entries[2].textContent).toContain('Kind: Framework agreement');
    expect(entries[2].textContent).toContain('Status: Under negotiation');
    expect(entries[2].textContent).toContain('Title: Fudan framework');
    await waitFor(() => expect(entries[2].textContent).toContain(`Party added: ${CAPES.labels.en.name} · coordinator`));
    expect(entries[2].textContent).toContain('Field added: Health');
    expect(entries[1].textContent).toContain('Status: Under negotiation → Active');
    expect(entries[1].textContent).toContain('Automatic renewal: no → yes');
    await waitFor(() =>
      expect(entries[1].textContent).toContain(`Condition added: Doctoral mobility · ${CAPES.labels.en.name} → pending sync · 2 places`),
    );
    expect(entries[0].textContent).toContain('Condition › Levels: — → EQF 7 (master), EQF 8 (doctorate)');
    expect(entries[0].textContent).toContain('Condition › Languages: — → English B2, French B1');
    expect(entries[0].textContent).toContain('Condition › First academic year: — → 2025/2026');
  });

  it('shows an exchange’s amount with its currency and its references by name', async () => {
    renderApp({
      route: { name: 'exchange', id: Object.values(fx.exchange_get)[0].id },
      overrides: {
        history: () => [
          {
            hlc: 1,
            at: '2026-02-01T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'exchange', row_id: 'E', column: 'person_id', old: null, new: Object.values(fx.contact_get)[1].id },
              { table: 'exchange', row_id: 'E', column: 'direction', old: null, new: 'incoming' },
              { table: 'exchange', row_id: 'E', column: 'agreement_id', old: null, new: SCHOLARSHIP.id },
              { table: 'exchange', row_id: 'E', column: 'academic_year', old: null, new: 2025 },
              { table: 'exchange', row_id: 'E', column: 'currency', old: null, new: 'JPY' },
              { table: 'exchange', row_id: 'E', column: 'amount', old: null, new: 250000 },
            ],
          },
          {
            hlc: 2,
            at: '2026-02-02T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [{ table: 'exchange', row_id: 'E', column: 'status', old: 'applied', new: 'withdrawn' }],
          },
        ],
      },
    });
    const entries = await within(await screen.findByTestId('history')).findAllByTestId('history-entry');
    expect(entries[0].textContent).toContain('Status: Applied → Withdrawn');
    expect(entries[1].textContent).toContain('Direction: Incoming');
    expect(entries[1].textContent).toContain('Academic year: 2025/2026');
    expect(entries[1].textContent).toContain('Amount: ¥250,000');
    await waitFor(() => expect(entries[1].textContent).toContain(`Person: ${Object.values(fx.contact_get)[1].name}`));
    await waitFor(() => expect(entries[1].textContent).toContain(`Agreement: ${TOKYO}`));
  });
});

describe('new agreement from a partner', () => {
  it('starts with the partner as the first party', async () => {
    renderApp({
      route: { name: 'partner', id: CAPES.id },
      overrides: { agreements_list: listAnswer('agreements_list', (q) => (q.partner_id ? [] : undefined)) },
    });
    await screen.findByTestId('partner-title');
    expect((await screen.findByTestId('partner-agreements-count')).textContent).toBe('0');
    await userEvent.click(screen.getByTestId('partner-add-agreement'));
    await screen.findByTestId('agreement-form');
    expect((screen.getByTestId('party-partner-0') as HTMLInputElement).value).toBe(labelText(CAPES.labels, CAPES.name));
    expect((screen.getByTestId('party-partner-1') as HTMLInputElement).value).toBe('');
  });
});

describe('agreement deletion and the keyboard', () => {
  it('opens the confirmation from the keyboard, Esc closes it, and focus returns to Delete', async () => {
    renderApp({ route: { name: 'agreement', id: OTHER.id } });
    await screen.findByTestId('agreement-title');
    screen.getByTestId('agreement-delete').focus();
    await userEvent.keyboard('{Enter}');
    await screen.findByRole('alertdialog');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('agreement-delete'));
    expect(screen.getByTestId('agreement-title')).toBeTruthy();
  });
});

describe('projects on an agreement page', () => {
  it('lists the projects that include the agreement, each opening its project', async () => {
    const project = fx.projects_list.rows[0];
    const id = SCHOLARSHIP.id;
    const h = renderApp({
      route: { name: 'agreement', id },
      overrides: { projects_list: listAnswer('projects_list', (q) => (q.agreement_id === id ? [project] : undefined)) },
    });
    await screen.findByTestId('agreement-title');
    const projects = await screen.findByTestId('agreement-projects');
    expect(within(projects).getAllByTestId('related-project').map((r) => r.textContent)).toEqual([expect.stringContaining(project.title)]);
    expect(screen.getByTestId('agreement-projects-count').textContent).toBe('1');
    expect(h.callsOf('projects_list').map((a) => a.query)).toContainEqual(expect.objectContaining({ agreement_id: id }));
    await userEvent.click(within(projects).getByTestId('related-project'));
    expect((await screen.findByTestId('project-title')).textContent).toBe(project.title);
  });

  it('says when no project includes the agreement', async () => {
    renderApp({
      route: { name: 'agreement', id: FRAMEWORK_RECORD.id },
      overrides: { projects_list: listAnswer('projects_list', (q) => (q.agreement_id ? [] : undefined)) },
    });
    await screen.findByTestId('agreement-title');
    const card = await screen.findByRole('region', { name: 'Projects' });
    expect(await within(card).findByText('No project yet.')).toBeTruthy();
    expect(within(card).queryByTestId('related-project')).toBeNull();
  });
});
