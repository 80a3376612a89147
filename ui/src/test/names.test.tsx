import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Agreement } from '../bindings/Agreement';
import type { Call } from '../bindings/Call';
import type { Labels } from '../bindings/Labels';
import type { Partner } from '../bindings/Partner';
import type { PartnerQuery } from '../bindings/PartnerQuery';
import type { PartnerRow } from '../bindings/PartnerRow';
import type { Reminder } from '../bindings/Reminder';
import type { SearchHit } from '../bindings/SearchHit';
import i18n from '../i18n';
import { fx, recordWhere } from './fixtures';
import { pageOf, renderApp } from './harness';

// Names as the core labels them (tests/integration/partners.rs checks the rule): the UI shows what it gets,
// each part marked with its language, and asks in its own language.
const CONCORDIA = recordWhere(fx.partner_get, (p) => p.name === 'Concordia University', 'partner Concordia University');
const TOHOKU_ROW: PartnerRow = {
  ...fx.partners_list.rows[0],
  id: 'p-tohoku',
  name: 'Tohoku University',
  lang: 'en',
  native: '東北大学',
  native_lang: 'ja',
};
const TOHOKU: Partner = {
  ...CONCORDIA,
  id: 'p-tohoku',
  name: '東北大学',
  labels: {
    en: { name: 'Tohoku University', lang: 'en', native: '東北大学', native_lang: 'ja' },
    fr: { name: 'Université du Tohoku', lang: 'fr', native: '東北大学', native_lang: 'ja' },
  },
};

describe('names a Lyon officer can read', () => {
  it('lists a Japanese partner by its name in the UI language, its own script beside, asking in that language', async () => {
    await i18n.changeLanguage('fr');
    const h = renderApp({ overrides: { partners_list: (args) => pageOf([TOHOKU_ROW], args.query) } });
    const row = await screen.findByTestId('partner-row');
    const name = within(row).getByText('Tohoku University');
    expect(name.getAttribute('lang')).toBe('en');
    const native = within(row).getByText('東北大学');
    expect(native.getAttribute('lang')).toBe('ja');
    expect(h.callsOf('partners_list').map((a) => (a.query as PartnerQuery).lang)).toContain('fr');
  });

  it('titles a partner page with the name for the UI language', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'partner', id: TOHOKU.id }, overrides: { partner_get: () => TOHOKU } });
    const title = await screen.findByTestId('partner-title');
    expect(title.textContent).toBe('Université du Tohoku東北大学');
    expect(within(title).getByText('東北大学').getAttribute('lang')).toBe('ja');
    await i18n.changeLanguage('en');
    await waitFor(() => expect(screen.getByTestId('partner-title').textContent).toBe('Tohoku University東北大学'));
  });

  it('shows search results by the reader’s name with the native script beside', async () => {
    const hit: SearchHit = {
      entity: 'partner',
      id: 'p-tohoku',
      title: 'Tohoku University',
      subtitle: 'Sendai, JP',
      lang: 'en',
      native: '東北大学',
      native_lang: 'ja',
    };
    const h = renderApp({ overrides: { search: () => [hit] } });
    await screen.findAllByTestId('partner-row');
    await userEvent.type(screen.getByTestId('global-search'), 'tohoku');
    const native = await screen.findByText('東北大学');
    expect(native.getAttribute('lang')).toBe('ja');
    expect(screen.getByText('Tohoku University').getAttribute('lang')).toBe('en');
    expect(h.callsOf('search').at(-1)).toMatchObject({ query: 'tohoku', lang: 'en' });
  });

  it('shows an exchange’s route by the organisations’ names for the UI language, the native script beside', async () => {
    // The demo's first exchange: Université Jean Moulin Lyon 3 → 复旦大学, as the core labels them.
    const row = fx.exchanges_list.rows[0];
    expect(row.host_name).toBe('复旦大学');
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'exchanges' } });
    const first = (await screen.findAllByTestId('exchange-row'))[0];
    expect(first.textContent).toContain('Université Jean Moulin Lyon 3 → Fudan University复旦大学');
    expect(within(first).getByText('复旦大学').getAttribute('lang')).toBe('zh-Hans');
    await i18n.changeLanguage('en');
    await waitFor(() =>
      expect(screen.getAllByTestId('exchange-row')[0].textContent).toContain('Jean Moulin University Lyon 3 → Fudan University复旦大学'),
    );
  });

  it('names an agreement’s parties in the list by the names the core gives each language', async () => {
    // The demo's first agreement: 国家留学基金管理委员会 · Université de Lyon as primary names.
    const first = fx.agreements_list.rows[0];
    expect(first.parties).toBe('国家留学基金管理委员会 · Université de Lyon');
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'agreements' } });
    const cell = () => within(screen.getAllByTestId('agreement-row')[0]).getByTestId('agreement-parties');
    await waitFor(() => expect(cell().textContent).toBe('China Scholarship Council国家留学基金管理委员会 · Université de Lyon'));
    expect(within(cell()).getByText('国家留学基金管理委员会').getAttribute('lang')).toBe('zh-Hans');
    expect(cell().getAttribute('title')).toBe('China Scholarship Council (国家留学基金管理委员会) · Université de Lyon');
    await i18n.changeLanguage('en');
    await waitFor(() => expect(cell().textContent).toBe('China Scholarship Council国家留学基金管理委员会 · University of Lyon'));
  });

  it('names a condition’s sides and a party’s unit on the agreement page', async () => {
    const csc = recordWhere(Object.values(fx.agreement_get), (a) => a.title === 'China Scholarship Council doctoral grants', 'the CSC agreement');
    const unit: Labels = {
      en: { name: 'School of Management', lang: 'en', native: '管理学院', native_lang: 'zh-Hans' },
      fr: { name: 'École de management', lang: 'fr', native: '管理学院', native_lang: 'zh-Hans' },
    };
    const withUnit: Agreement = {
      ...csc,
      parties_read: csc.parties_read.map((p, i) => (i === 0 ? { ...p, unit_id: 'u-1', unit_name: '管理学院', unit_labels: unit } : p)),
    };
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'agreement', id: csc.id }, overrides: { agreement_get: () => withUnit } });
    const sending = await screen.findByTestId('condition-sending');
    expect(sending.textContent).toBe('China Scholarship Council国家留学基金管理委员会');
    expect(within(sending).getByText('国家留学基金管理委员会').getAttribute('lang')).toBe('zh-Hans');
    expect(screen.getByTestId('condition-receiving').textContent).toBe('Université de Lyon');
    expect(screen.getByTestId('party-unit').textContent).toBe('École de management管理学院');
    await i18n.changeLanguage('en');
    await waitFor(() => expect(screen.getByTestId('condition-receiving').textContent).toBe('University of Lyon'));
  });

  it('names a call’s funder by the name for the UI language, and the call form starts from it', async () => {
    const base = Object.values(fx.call_get)[0];
    const call: Call = {
      ...base,
      funder_id: 'p-jsps',
      funder_name: '日本学術振興会',
      funder_labels: {
        en: { name: 'Japan Society for the Promotion of Science', lang: 'en', native: '日本学術振興会', native_lang: 'ja' },
        fr: { name: 'Société japonaise pour la promotion de la science', lang: 'fr', native: '日本学術振興会', native_lang: 'ja' },
      },
    };
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'call', id: call.id }, overrides: { call_get: () => call } });
    const funder = await screen.findByTestId('call-funder');
    expect(funder.textContent).toBe('Société japonaise pour la promotion de la science日本学術振興会');
    expect(within(funder).getByText('日本学術振興会').getAttribute('lang')).toBe('ja');
    await userEvent.click(screen.getByTestId('call-edit'));
    const field = (await screen.findByTestId('field-funder')) as HTMLInputElement;
    expect(field.value).toBe('Société japonaise pour la promotion de la science (日本学術振興会)');
  });

  it('names the organisations of reminders: an agreement’s parties and an exchange’s route', async () => {
    const fixtureReminders = fx.reminders;
    const notice = recordWhere(fixtureReminders, (r) => r.kind === 'agreement_notice' && r.organisations.some((o) => o?.en.native), 'a notice with a native name');
    // The demo's first exchange, Université Jean Moulin Lyon 3 → 复旦大学, as an exchange start.
    const exchange = fx.exchanges_list.rows[0];
    const start: Reminder = {
      kind: 'exchange_start',
      date: '2026-09-01',
      entity: 'exchange',
      record_id: exchange.id,
      title: exchange.person_name ?? '',
      detail: null,
      organisations: [exchange.home_labels, exchange.host_labels],
      overdue: false,
    };
    const soon = (r: Reminder, days: number): Reminder => {
      const d = new Date();
      d.setDate(d.getDate() + days);
      return { ...r, date: d.toISOString().slice(0, 10), overdue: false };
    };
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'reminders' }, overrides: { reminders: () => [soon(notice, 5), soon(start, 10)] } });
    const lines = await screen.findAllByTestId('reminder-organisations');
    const text = (o: Labels | null) => (o ? o.fr.name + (o.fr.native ?? '') : '?');
    expect(lines[0].textContent).toBe(notice.organisations.map(text).join(' · '));
    expect(lines[0].textContent).not.toContain(notice.detail ?? '-');
    const native = notice.organisations.find((o) => o?.fr.native)?.fr;
    expect(within(lines[0]).getByText(native?.native ?? '').getAttribute('lang')).toBe(native?.native_lang);
    expect(lines[1].textContent).toBe(start.organisations.map(text).join(' → '));
  });

  it('names partners in a record’s history by the name for the UI language', async () => {
    const csc = recordWhere(Object.values(fx.agreement_get), (a) => a.title === 'China Scholarship Council doctoral grants', 'the CSC agreement');
    const party = csc.parties_read[0];
    const page: Partner = { ...TOHOKU, id: party.partner_id ?? '', name: party.partner_name ?? '', labels: party.partner_labels as Labels };
    await i18n.changeLanguage('fr');
    renderApp({
      route: { name: 'agreement', id: csc.id },
      overrides: {
        partner_get: (args, fixtures) => (args.id === page.id ? page : fixtures.partner_get[String(args.id)]),
        history: () => [
          {
            hlc: 1,
            at: '2026-02-01T08:00:00Z',
            origin: 'r1',
            author: 'Lyon office',
            changes: [
              { table: 'agreement_party', row_id: 'P1', column: 'agreement_id', old: null, new: csc.id },
              { table: 'agreement_party', row_id: 'P1', column: 'partner_id', old: null, new: page.id },
            ],
          },
        ],
      },
    });
    const entry = await within(await screen.findByTestId('history')).findByTestId('history-entry');
    await waitFor(() => expect(entry.textContent).toContain('China Scholarship Council国家留学基金管理委员会'));
    expect(within(entry).getByText('国家留学基金管理委员会').getAttribute('lang')).toBe('zh-Hans');
  });

  it('titles a partner’s form by the reader’s name', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'partnerEdit', id: TOHOKU.id }, overrides: { partner_get: () => TOHOKU } });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Université du Tohoku (東北大学)'));
  });

  it('asks before deleting a partner by the reader’s name', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'partner', id: TOHOKU.id }, overrides: { partner_get: () => TOHOKU } });
    await userEvent.click(await screen.findByTestId('partner-delete'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('Université du Tohoku (東北大学)');
  });

  it('starts an agreement from a partner’s page with the partner by the reader’s name', async () => {
    await i18n.changeLanguage('fr');
    renderApp({ route: { name: 'agreementNew', partnerId: TOHOKU.id }, overrides: { partner_get: () => TOHOKU } });
    await waitFor(() =>
      expect((screen.getByTestId('party-partner-0') as HTMLInputElement).value).toBe('Université du Tohoku (東北大学)'),
    );
  });

  it('names an exchange’s Lyon unit by the reader’s name on its page and in its form', async () => {
    const exchange = Object.values(fx.exchange_get)[0];
    const withUnit = {
      ...exchange,
      unit_id: 'u-evs',
      unit_name: 'Laboratoire Environnement Ville Société',
      unit_labels: {
        en: { name: 'Environment City Society Laboratory', lang: 'en', native: null, native_lang: null },
        fr: { name: 'Laboratoire Environnement Ville Société', lang: 'fr', native: null, native_lang: null },
      },
    };
    await i18n.changeLanguage('en');
    renderApp({ route: { name: 'exchange', id: exchange.id }, overrides: { exchange_get: () => withUnit } });
    await waitFor(() => expect(screen.getByTestId('exchange-unit').textContent).toBe('Environment City Society Laboratory'));
    await userEvent.click(screen.getByTestId('exchange-edit'));
    const field = (await screen.findByTestId('field-unit')) as HTMLInputElement;
    expect(field.value).toBe('Environment City Society Laboratory');
  });
});
