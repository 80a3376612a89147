import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Partner } from '../bindings/Partner';
import type { PartnerQuery } from '../bindings/PartnerQuery';
import type { PartnerRow } from '../bindings/PartnerRow';
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
});
