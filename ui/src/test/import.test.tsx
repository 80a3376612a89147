import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';

import type { ImportOutcome } from '../bindings/ImportOutcome';
import type { ImportPreview } from '../bindings/ImportPreview';
import type { ImportRowFilter } from '../bindings/ImportRowFilter';
import type { ImportRows } from '../bindings/ImportRows';
import type { ImportRowPlan } from '../bindings/ImportRowPlan';
import type { ImportSettings } from '../bindings/ImportSettings';
import type { JobEvent } from '../bindings/JobEvent';
import i18n from '../i18n';
import { fx, recordWhere } from './fixtures';
import { ipcError, renderApp, type Answer } from './harness';

const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');

const HEADERS = ['Nom', 'Pays', 'Ville', 'Sigle', "Site internet de l'établissement"];
const WEBSITE = "Site internet de l'établissement";

/** The fields of partners as the core's catalogue gives them (a few, in the reader's language). */
const FIELDS: ImportPreview['fields'] = [
  { key: 'id', label: 'Liaison id', mandatory: false },
  { key: 'name', label: 'Name', mandatory: true },
  { key: 'country', label: 'Country', mandatory: true },
  { key: 'city', label: 'City', mandatory: false },
  { key: 'acronym', label: 'Acronym', mandatory: false },
  { key: 'website', label: 'Website', mandatory: false },
];

/**
 * The shell's preview of a French `;` Windows-1252 partners file, as the core reads it with `settings`: the
 * website column is recognised by no field until mapped by hand.
 */
function previewOf(settings: ImportSettings): ImportPreview {
  const suggested = ['name', 'country', 'city', 'acronym', null];
  const byHand = new Map(settings.map.map((m) => [m.header, m.field]));
  const fields = HEADERS.map((h, i) => (byHand.has(h) ? (byHand.get(h) ?? null) : suggested[i]));
  const text = (value: string) => ({ type: 'text' as const, value });
  return {
    token: 'tok-1',
    opened: {
      file: 'partenaires.csv',
      format: 'csv',
      encoding: settings.encoding ?? 'windows-1252',
      encoding_detected: settings.encoding === null,
      delimiter: settings.delimiter ?? ';',
      sheet: null,
      sheets: [],
      kind: settings.kind ?? 'partner',
      kind_guessed: settings.kind === null,
      columns: HEADERS.map((header, i) => ({ header, field: fields[i] })),
      unmatched: HEADERS.filter((_, i) => fields[i] === null),
      missing_columns: [],
      remembered: false,
    },
    table: {
      file: 'partenaires.csv',
      format: 'csv',
      encoding: 'windows-1252',
      encoding_detected: true,
      delimiter: ';',
      sheets: [],
      sheet: null,
      header_row: 1,
      headers: HEADERS,
      rows: [
        { number: 2, cells: ['Université de Montréal', 'Canada', 'Montréal', 'UdeM', 'https://umontreal.ca'].map(text) },
        { number: 3, cells: ['Université Fictive', 'Atlantide', 'Nulle part', '', ''].map(text) },
      ],
      more: false,
    },
    suggested,
    fields: FIELDS,
    kinds: [
      { kind: 'partner', label: 'Partners' },
      { kind: 'contact', label: 'Contacts' },
    ],
    encodings: ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'windows-1252', 'GBK', 'gb18030', 'Shift_JIS', 'Big5'],
    delimiters: [',', ';', '\t', '|'],
  };
}

const ROWS: ImportRowPlan[] = [
  { row: 2, action: 'create', id: null, matched_by: null, matched: null, changes: [], errors: [] },
  {
    row: 3,
    action: 'error',
    id: null,
    matched_by: null,
    matched: null,
    changes: [],
    errors: [
      {
        row: 3,
        column: 'Pays',
        code: 'not_a_country',
        params: { value: 'Atlantide' },
        message: '"Atlantide" is not a country; write an ISO code such as CN or a name such as Chine',
      },
    ],
  },
];

function outcomeOf(dryRun: boolean): ImportOutcome {
  const preview = previewOf({ kind: null, sheet: null, encoding: null, delimiter: null, map: [] });
  return {
    opened: preview.opened,
    summary: { kind: 'partner', dry_run: dryRun, rows: 2, created: 1, updated: 0, unchanged: 0, errors: 1, missing: [], written: !dryRun },
    rejects: dryRun ? null : 'partenaires-rejects.csv',
  };
}

/** The shell's window of `rows` (see `import_rows`): those the filter keeps, from `offset`, `limit` at most. */
function windowOf(rows: ImportRowPlan[], args: Record<string, unknown>): ImportRows {
  const filter = args.filter as ImportRowFilter;
  const kept = rows.filter((r) =>
    filter === 'errors' ? r.action === 'error' : filter === 'written' ? r.id !== null && (r.action === 'create' || r.action === 'update') : true,
  );
  const offset = args.offset as number;
  return { total: kept.length, offset, rows: kept.slice(offset, offset + Math.min(args.limit as number, 1000)) };
}

type Channel = { onmessage: (e: JobEvent) => void };

/** The shell's import commands over one chosen file; `send` passes the core's job events to the last job. */
function shell() {
  const channels: Channel[] = [];
  let outcome: ImportOutcome | null = null;
  let rows: ImportRowPlan[] = [];
  const send = (e: JobEvent) => act(() => channels.at(-1)?.onmessage(e));
  const overrides: Record<string, Answer> = {
    import_choose: () => ({ token: 'tok-1', file: 'partenaires.csv' }),
    import_preview: (args) => previewOf(args.settings as ImportSettings),
    import_dry_run: (args) => {
      channels.push(args.onEvent as Channel);
      outcome = outcomeOf(true);
      rows = ROWS;
      return 11;
    },
    import_run: (args) => {
      channels.push(args.onEvent as Channel);
      outcome = outcomeOf(false);
      rows = [{ ...ROWS[0], id: CAMPUS_FRANCE.id }, ROWS[1]];
      return { job: 12, rejects: args.skipInvalid ? 'partenaires-rejects.csv' : null };
    },
    import_outcome: () => outcome,
    import_rows: (args) => (outcome ? windowOf(rows, args) : null),
    import_forget: () => null,
    import_template: (args) => `${String(args.kind)}s-template.${String(args.format)}`,
    job_cancel: () => true,
  };
  return { overrides, send };
}

describe('import in the app', () => {
  it('imports a French partner file from the sidebar: preview, a column mapped by hand, the dry run’s error, valid rows only, then the records', async () => {
    const s = shell();
    const h = renderApp({ route: { name: 'partners' }, overrides: s.overrides });
    await userEvent.click(await screen.findByTestId('nav-import'));
    await userEvent.click(await screen.findByTestId('import-choose'));

    // Step 1: the first rows as read, and how they were read, each changeable.
    expect(await screen.findAllByTestId('import-preview-row')).toHaveLength(2);
    expect(screen.getByTestId('import-file').textContent).toBe('partenaires.csv');
    const encoding = screen.getByTestId('import-encoding') as HTMLSelectElement;
    expect(encoding.value).toBe('windows-1252');
    expect(encoding.selectedOptions[0].textContent).toBe('windows-1252 (detected)');
    expect((screen.getByTestId('import-delimiter') as HTMLSelectElement).value).toBe(';');
    expect((screen.getByTestId('import-kind') as HTMLSelectElement).value).toBe('partner');
    expect(screen.getByTestId('import-reading').textContent).toContain('kind guessed from the headers');
    expect(screen.getByTestId('import-preview').textContent).toContain('Université de Montréal');
    await userEvent.selectOptions(encoding, 'UTF-8');
    await waitFor(() => expect((h.callsOf('import_preview').at(-1)?.settings as ImportSettings).encoding).toBe('UTF-8'));
    await userEvent.selectOptions(screen.getByTestId('import-encoding'), 'windows-1252');
    expect(h.callsOf('import_preview').every((c) => c.token === 'tok-1')).toBe(true);

    // Step 2: the core's suggestions; the website column is left out until mapped by hand.
    await userEvent.click(screen.getByTestId('import-next'));
    const columns = await screen.findAllByTestId('import-column');
    // The keyboard goes on from the step's first control.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('import-field-0')));
    expect(columns).toHaveLength(5);
    expect((screen.getByTestId('import-field-1') as HTMLSelectElement).value).toBe('country');
    expect((screen.getByTestId('import-field-4') as HTMLSelectElement).value).toBe('');
    expect(within(columns[4]).getByTestId('import-column-how').textContent).toBe('left out');
    expect(screen.getByTestId('import-unmatched').textContent).toContain(WEBSITE);
    expect(screen.getByTestId('import-field-1').textContent).toContain('Country *');
    await userEvent.selectOptions(screen.getByTestId('import-field-4'), 'website');
    await waitFor(() =>
      expect((h.callsOf('import_preview').at(-1)?.settings as ImportSettings).map).toEqual([{ header: WEBSITE, field: 'website' }]),
    );
    await waitFor(() => expect(within(screen.getAllByTestId('import-column')[4]).getByTestId('import-column-how').textContent).toBe('mapped by hand'));
    expect(screen.queryByTestId('import-unmatched')).toBeNull();

    // Step 3: the dry run as a job, then every row's plan: the bad country said with its row and column.
    await userEvent.click(screen.getByTestId('import-check'));
    await waitFor(() => expect(h.callsOf('import_dry_run')).toHaveLength(1));
    expect(h.callsOf('import_dry_run')[0]).toMatchObject({ token: 'tok-1', createMissing: false, settings: { map: [{ header: WEBSITE, field: 'website' }] } });
    expect((await screen.findByTestId('job')).textContent).toContain('Checking the file');
    s.send({ event: 'progress', done: 2, total: 2, step: 'Rows' });
    await waitFor(() => expect(screen.getByTestId('job-detail').textContent).toBe('Rows: 2 of 2'));
    s.send({ event: 'done' });
    await screen.findByTestId('import-counts');
    expect(screen.getByTestId('import-count-created').textContent).toContain('1');
    expect(screen.getByTestId('import-count-errors').textContent).toContain('1');
    // Said by the UI from the core's code and value, in the reader's language.
    expect((await screen.findByTestId('import-error')).textContent).toBe('Row 3, column Pays: “Atlantide” is not a country; write an ISO code such as CN or a name such as China');
    // Errors first: only the rows in error until asked for all.
    expect(screen.getAllByTestId('import-plan-row')).toHaveLength(1);
    await userEvent.click(screen.getByTestId('import-errors-only'));
    await waitFor(() => expect(screen.getAllByTestId('import-plan-row')).toHaveLength(2));

    // All or nothing by default: no import while a row has an error; the valid rows only, with a rejects file.
    expect((screen.getByTestId('import-run') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('import-blocked')).toBeTruthy();
    await userEvent.click(screen.getByTestId('import-skip-invalid'));
    const run = screen.getByTestId('import-run') as HTMLButtonElement;
    expect(run.disabled).toBe(false);
    expect(run.textContent).toBe('Import 1 record');
    await userEvent.click(run);
    await waitFor(() => expect(h.callsOf('import_run')).toHaveLength(1));
    expect(h.callsOf('import_run')[0]).toMatchObject({ token: 'tok-1', skipInvalid: true, createMissing: false, lang: 'en' });
    expect((await screen.findByTestId('job')).textContent).toContain('Importing');
    s.send({ event: 'done' });

    // The summary: what was written, the rejects file, and the records, each opening.
    expect((await screen.findByTestId('import-summary')).textContent).toBe('1 created, 0 updated, 0 unchanged.');
    expect(screen.getByTestId('import-rejects').textContent).toContain('partenaires-rejects.csv');
    await act(() => i18n.changeLanguage('fr'));
    expect(screen.getByTestId('import-summary').textContent).toBe('1 créées, 0 mises à jour, 0 inchangées.');
    expect(screen.getByTestId('import-open-list').textContent).toBe('Ouvrir Partenaires');
    await act(() => i18n.changeLanguage('en'));
    await userEvent.click(screen.getByTestId('import-record'));
    expect((await screen.findByTestId('partner-title')).textContent).toContain('Campus France');
    await waitFor(() => expect(h.callsOf('import_forget')).toEqual([{ token: 'tok-1' }]));
  });

  it('a file dropped on the window opens the import with it; leaving asks first, and Stay keeps it', async () => {
    const s = shell();
    const h = renderApp({ route: { name: 'contacts' }, overrides: s.overrides });
    await screen.findAllByTestId('contact-row');
    await act(() => emit('import-dropped', { token: 'tok-1', file: 'partenaires.csv' }));
    expect(await screen.findAllByTestId('import-preview-row')).toHaveLength(2);
    expect(h.callsOf('import_choose')).toEqual([]);
    expect(h.callsOf('import_preview')[0]).toMatchObject({ token: 'tok-1', lang: 'en' });

    await userEvent.click(screen.getByTestId('nav-partners'));
    const asked = await screen.findByRole('alertdialog');
    expect(asked.textContent).toContain('Import under way');
    await userEvent.click(within(asked).getByRole('button', { name: 'Stay' }));
    expect(screen.getByTestId('import-page')).toBeTruthy();
    await userEvent.click(screen.getByTestId('nav-partners'));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave' }));
    expect(await screen.findAllByTestId('partner-row')).toBeTruthy();
    await waitFor(() => expect(h.callsOf('import_forget')).toEqual([{ token: 'tok-1' }]));
  });

  it('a list’s Import preselects its kind; the template is saved through the shell, in French too', async () => {
    const s = shell();
    const json: ImportPreview = {
      ...previewOf({ kind: 'contact', sheet: null, encoding: null, delimiter: null, map: [] }),
      table: null,
      suggested: ['names', 'country'],
    };
    json.opened = { ...json.opened, format: 'json', encoding: 'UTF-8', delimiter: null, columns: [{ header: 'names', field: 'names' }, { header: 'country', field: 'country' }], unmatched: [] };
    const h = renderApp({ route: { name: 'contacts' }, overrides: { ...s.overrides, import_preview: () => json } });
    await userEvent.click(await screen.findByTestId('import'));
    const kind = (await screen.findByTestId('template-kind')) as HTMLSelectElement;
    expect(kind.value).toBe('contact');
    await userEvent.selectOptions(screen.getByTestId('template-format'), 'csv');
    await userEvent.click(screen.getByTestId('template-write'));
    await waitFor(() => expect(h.callsOf('import_template')).toEqual([{ kind: 'contact', format: 'csv', lang: 'en' }]));
    expect((await screen.findByTestId('toast')).textContent).toContain('Template saved as contacts-template.csv');
    // A JSON file in the CLI's shape: no rows to preview, its fields named by itself, nothing to map.
    h.calls.length = 0;
    await userEvent.click(screen.getByTestId('import-choose'));
    await screen.findByTestId('import-reading');
    await waitFor(() => expect(screen.queryByTestId('import-preview')).toBeNull());
    await userEvent.click(screen.getByTestId('import-next'));
    expect((await screen.findByTestId('import-json-fields')).textContent).toBe('A JSON file names its fields itself: names, country.');
    expect(screen.queryByTestId('import-field-0')).toBeNull();
    await userEvent.click(screen.getByTestId('import-back'));
    await userEvent.click(screen.getByTestId('nav-import'));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave' }));
    await screen.findByTestId('import-choose');
    // Nothing chosen yet: leaving does not ask.
    await act(() => i18n.changeLanguage('fr'));
    expect(screen.getByTestId('import-choose').textContent).toBe('Choisir un fichier…');
    expect(screen.getByTestId('nav-import').textContent).toBe('Importer');
    await userEvent.click(screen.getByTestId('nav-partners'));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(() => i18n.changeLanguage('en'));
  });

  it('says each dry-run error in French from its code, the English message kept as the fallback', async () => {
    const s = shell();
    const error = (row: number, column: string, code: string, params: Record<string, string>, message: string) => ({
      row,
      action: 'error' as const,
      id: null,
      matched_by: null,
      matched: null,
      changes: [],
      errors: [{ row, column, code, params, message }],
    });
    const planned: ImportRowPlan[] = [
      error(2, 'Date de signature', 'not_a_date', { value: '31/02/2026' }, '"31/02/2026" is not a date; write it as 31/12/2026 or 2026-12-31'),
      error(3, 'Places', 'not_a_number', { value: 'beaucoup' }, '"beaucoup" is not a number'),
      error(4, 'Pays', 'not_a_country', { value: 'Atlantide' }, '"Atlantide" is not a country; write an ISO code such as CN or a name such as Chine'),
      error(5, 'Type', 'not_in_vocabulary', { value: 'Planète', allowed: 'University, School', allowed_fr: 'Université, École' }, '"Planète" is not a kind of organisation; write one of University, School'),
      error(6, 'Partenaire', 'organisation_missing', { value: 'Université de Nulle Part' }, 'no partner here is named "Université de Nulle Part": add it first'),
      error(7, 'Établissement', 'no_record_named', { kind: 'partner', value: 'Nulle Part' }, 'no partner named "Nulle Part"'),
      error(8, 'Nom', 'required', { field: 'names' }, 'a name is required'),
      error(9, 'Pays', 'a_code_from_a_newer_core', {}, 'something the core says in English'),
      {
        ...error(10, '', 'same_as_row', { other: '4', kind: 'partner', by: 'name “Fudan” in CN', by_code: 'name_in_country', by_value: 'Fudan', by_country: 'CN' }, 'this row and row 4 are the same partner'),
        errors: [{ row: 10, column: null, code: 'same_as_row', params: { other: '4', kind: 'partner', by: 'name “Fudan” in CN', by_code: 'name_in_country', by_value: 'Fudan', by_country: 'CN' }, message: 'this row and row 4 are the same partner' }],
      },
      {
        row: 11,
        action: 'unchanged',
        id: CAMPUS_FRANCE.id,
        matched_by: 'name “Campus France” in FR',
        matched: { code: 'name_in_country', params: { value: 'Campus France', country: 'FR' }, text: 'name “Campus France” in FR' },
        changes: [],
        errors: [],
      },
    ];
    const h = renderApp({
      route: { name: 'partners' },
      overrides: {
        ...s.overrides,
        import_outcome: () => ({ ...outcomeOf(true), summary: {
            ...outcomeOf(true).summary,
            rows: 10,
            created: 0,
            unchanged: 1,
            errors: 9,
            missing: [{ name: 'Université de Nulle Part', column: 'Partenaire', rows: [6], created: false }],
          },
        }),
        import_rows: (args) => windowOf(planned, args),
      },
    });
    await act(() => i18n.changeLanguage('fr'));
    await userEvent.click(await screen.findByTestId('nav-import'));
    await userEvent.click(await screen.findByTestId('import-choose'));
    await screen.findAllByTestId('import-preview-row');
    await userEvent.click(screen.getByTestId('import-next'));
    await userEvent.click(await screen.findByTestId('import-check'));
    s.send({ event: 'done' });
    await waitFor(() => expect(screen.getAllByTestId('import-error')).toHaveLength(9));
    // French puts a no-break space inside « » and before : and ;.
    const said = screen.getAllByTestId('import-error').map((e) => e.textContent?.replace(/\u00a0/g, ' '));
    expect(said).toEqual([
      'Ligne 2, colonne Date de signature : « 31/02/2026 » n’est pas une date ; écrivez-la 31/12/2026 ou 2026-12-31',
      'Ligne 3, colonne Places : « beaucoup » n’est pas un nombre',
      'Ligne 4, colonne Pays : « Atlantide » n’est pas un pays ; écrivez un code ISO comme CN ou un nom comme Chine',
      'Ligne 5, colonne Type : « Planète » n’est pas une valeur admise ; écrivez l’une de : Université, École',
      'Ligne 6, colonne Partenaire : aucun partenaire ne s’appelle « Université de Nulle Part » ici : ajoutez-le d’abord, ou cochez l’option qui crée les organisations nommées dans le fichier',
      'Ligne 7, colonne Établissement : aucun enregistrement (partenaire) ne s’appelle « Nulle Part »',
      `Ligne 8, colonne Nom : ${i18n.t('errors.codes.required')}`,
      'Ligne 9, colonne Pays : something the core says in English',
      'Ligne 10 : cette ligne et la ligne 4 sont le même enregistrement (même nom « Fudan » (CN)) : gardez-en une, ou fusionnez-les',
    ]);
    expect(screen.getByTestId('import-missing').textContent?.replace(/\u00a0/g, ' ')).toBe('« Université de Nulle Part » (ligne 6) n’est pas un partenaire ici');
    // How an unchanged row's record was found, in French too.
    await userEvent.click(screen.getByTestId('import-errors-only'));
    await waitFor(() => expect(screen.getAllByTestId('import-plan-row')).toHaveLength(10));
    expect(screen.getAllByTestId('import-plan-row')[9].textContent?.replace(/\u00a0/g, ' ')).toContain('trouvée par nom « Campus France » (FR)');
    expect(h.callsOf('import_rows')[0]).toMatchObject({ token: 'tok-1', filter: 'errors', offset: 0 });
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getAllByTestId('import-error')[0].textContent).toBe(
      'Row 2, column Date de signature: “31/02/2026” is not a date; write it as 31/12/2026 or 2026-12-31',
    );
  });

  it('a plan of 100,000 rows comes a page at a time as its table scrolls, errors only or all', async () => {
    const s = shell();
    const huge: ImportRowPlan[] = Array.from({ length: 100_000 }, (_, i) =>
      i % 10 === 0
        ? { ...ROWS[1], row: i + 2, errors: [{ ...ROWS[1].errors[0], row: i + 2 }] }
        : { ...ROWS[0], row: i + 2 },
    );
    const h = renderApp({
      route: { name: 'partners' },
      overrides: {
        ...s.overrides,
        import_outcome: () => ({ ...outcomeOf(true), summary: { ...outcomeOf(true).summary, rows: 100_000, created: 90_000, errors: 10_000 } }),
        import_rows: (args) => windowOf(huge, args),
      },
    });
    await userEvent.click(await screen.findByTestId('nav-import'));
    await userEvent.click(await screen.findByTestId('import-choose'));
    await screen.findAllByTestId('import-preview-row');
    await userEvent.click(screen.getByTestId('import-next'));
    await userEvent.click(await screen.findByTestId('import-check'));
    s.send({ event: 'done' });
    await waitFor(() => expect(screen.getAllByTestId('import-error').length).toBeGreaterThan(0));
    expect(screen.getAllByTestId('import-error')[0].textContent).toContain('Row 2, column Pays');
    expect(h.callsOf('import_rows')).toEqual([{ token: 'tok-1', filter: 'errors', offset: 0, limit: 200 }]);

    // Every row: the first page, then the page where the table is scrolled to, not the ones in between.
    await userEvent.click(screen.getByTestId('import-errors-only'));
    await waitFor(() => expect(h.callsOf('import_rows').at(-1)).toMatchObject({ filter: 'all', offset: 0 }));
    const scroller = document.querySelector('.import-plan-scroll') as HTMLElement;
    await act(async () => {
      scroller.scrollTop = 44 * 50_000;
      scroller.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() =>
      expect(screen.getAllByTestId('import-plan-row').some((r) => Number(r.querySelector('.cell-num')?.textContent) > 49_000)).toBe(true),
    );
    const asked = h.callsOf('import_rows').filter((c) => c.filter === 'all');
    expect(asked.length).toBeLessThan(6);
    expect(asked.some((c) => (c.offset as number) >= 49_000)).toBe(true);
  });

  it('says in words why a choice cannot read the file and lets the user choose again; a long plan is drawn as a virtual list; Cancel says nothing was written', async () => {
    const s = shell();
    const many: ImportRowPlan[] = Array.from({ length: 5000 }, (_, i) => ({ ...ROWS[0], row: i + 2 }));
    const long = outcomeOf(true);
    const h = renderApp({
      route: { name: 'partners' },
      overrides: {
        ...s.overrides,
        import_preview: (args) => {
          const settings = args.settings as ImportSettings;
          if (settings.encoding === 'UTF-8') {
            throw ipcError('file', 'partenaires.csv, row 2: bytes E9 are not UTF-8: choose the file’s encoding');
          }
          return previewOf(settings);
        },
        import_outcome: () => ({ ...long, summary: { ...long.summary, rows: 5000, created: 5000, errors: 0 } }),
        import_rows: (args) => windowOf(many, args),
      },
    });
    await userEvent.click(await screen.findByTestId('nav-import'));
    await userEvent.click(await screen.findByTestId('import-choose'));
    await screen.findAllByTestId('import-preview-row');
    await userEvent.selectOptions(screen.getByTestId('import-encoding'), 'UTF-8');
    expect((await screen.findByRole('alert')).textContent).toContain('bytes E9 are not UTF-8');
    expect((screen.getByTestId('import-next') as HTMLButtonElement).disabled).toBe(true);
    // The choices stay, showing the one that failed, to choose again.
    expect((screen.getByTestId('import-encoding') as HTMLSelectElement).value).toBe('UTF-8');
    await userEvent.selectOptions(screen.getByTestId('import-encoding'), 'windows-1252');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect((screen.getByTestId('import-next') as HTMLButtonElement).disabled).toBe(false);

    // 5,000 rows planned: counted in full, drawn only as far as the view goes.
    await userEvent.click(screen.getByTestId('import-next'));
    await userEvent.click(await screen.findByTestId('import-check'));
    s.send({ event: 'done' });
    await waitFor(() => expect(screen.getByTestId('import-count-created').textContent).toContain('5,000'));
    await waitFor(() => expect(screen.queryAllByTestId('import-plan-row').length).toBeGreaterThan(0));
    expect(screen.queryAllByTestId('import-plan-row').length).toBeLessThan(100);
    // Only the pages in view came over IPC, never the whole plan.
    const windows = h.callsOf('import_rows');
    expect(windows.every((c) => c.filter === 'all' && (c.limit as number) <= 200)).toBe(true);
    expect(windows.length).toBeLessThan(5);
    expect(screen.getByTestId('import-run').textContent).toBe('Import 5,000 records');

    // Cancel from the job panel: the shell rolls back and says so; the page stays on the check.
    await userEvent.click(screen.getByTestId('import-run'));
    await userEvent.click(await screen.findByTestId('job-cancel'));
    expect(h.callsOf('job_cancel')).toEqual([{ id: 12 }]);
    s.send({ event: 'cancelled' });
    expect((await screen.findByTestId('toast')).textContent).toContain('Import cancelled: nothing was written.');
    expect(screen.getByTestId('import-counts')).toBeTruthy();
  });
});
