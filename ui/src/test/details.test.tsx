import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dateOrder, readDate, writeDate } from '../components/DateInput';
import i18n from '../i18n';
import { fx, recordWhere } from './fixtures';
import { renderApp, saves } from './harness';

// The app's stylesheet, for what the cascade decides (jsdom has no layout, but it has the cascade).
const css = readFileSync(resolve(process.cwd(), 'src/styles/app.css'), 'utf8');
let style: HTMLStyleElement;
beforeEach(() => {
  style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
});
afterEach(() => style.remove());

describe('list headers', () => {
  it('a header narrower than its label cuts the label, not the sort arrow (ACADEMIC YEAR)', async () => {
    renderApp({ route: { name: 'exchanges' } });
    const sort = await screen.findByTestId('sort-year');
    const label = sort.querySelector('span') as HTMLElement;
    const arrow = sort.querySelector('svg') as SVGElement;
    expect(getComputedStyle(sort).maxWidth).not.toBe('none');
    expect(getComputedStyle(label).overflow).toBe('hidden');
    expect(getComputedStyle(label).textOverflow).toBe('ellipsis');
    expect(getComputedStyle(arrow).flexShrink).toBe('0');
    expect(sort.getAttribute('title')).toContain('Academic year');
  });
});

describe('dashboard', () => {
  it('the All zones row has its top border under the label too', async () => {
    renderApp({ route: { name: 'dashboard' } });
    const all = await screen.findByTestId('dashboard-zone-all');
    const lastZone = all.closest('table')?.querySelector('tbody tr:last-child') as HTMLElement;
    const label = within(lastZone).getByRole('rowheader');
    // In a collapsed border the upper cell's wins: the last zone's label must have none below it.
    expect(getComputedStyle(label).borderBottomWidth).toMatch(/^0(px)?$/);
  });
});

const AGREEMENT = recordWhere(fx.agreement_get, (a) => Boolean(a.start_date), 'an agreement with a start date');

describe('date inputs', () => {
  it('read and write dates in the UI language’s order', () => {
    expect(dateOrder('fr')).toEqual(['day', 'month', 'year']);
    expect(dateOrder('en')).toEqual(['month', 'day', 'year']);
    expect(writeDate('2026-09-01', 'fr')).toBe('01/09/2026');
    expect(readDate('1/9/2026', 'fr')).toBe('2026-09-01');
    expect(readDate('9/1/2026', 'en')).toBe('2026-09-01');
    expect(readDate('2026-09-01', 'fr')).toBe('2026-09-01');
    expect(readDate('01/09/26', 'fr')).toBeNull();
  });

  it('show jj/mm/aaaa in French and the date day first; typed day first, the core gets YYYY-MM-DD', async () => {
    await i18n.changeLanguage('fr');
    const h = renderApp({
      route: { name: 'agreementEdit', id: AGREEMENT.id },
      overrides: saves('agreement', (input) => ({ ...AGREEMENT, ...(input as object) })),
    });
    const start = (await screen.findByTestId('field-start-date')) as HTMLInputElement;
    expect(start.type).toBe('text');
    expect(start.placeholder).toBe('jj/mm/aaaa');
    expect(start.value).toBe(writeDate(AGREEMENT.start_date as string, 'fr'));
    await userEvent.clear(start);
    await userEvent.type(start, '01/09/2026');
    expect(start.value).toBe('01/09/2026');
    fireEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(h.callsOf('agreement_update')).toHaveLength(1));
    expect((h.callsOf('agreement_update')[0].input as { start_date: string }).start_date).toBe('2026-09-01');
  });

  it('show mm/dd/yyyy in English', async () => {
    renderApp({ route: { name: 'agreementNew' } });
    expect(((await screen.findByTestId('field-start-date')) as HTMLInputElement).placeholder).toBe('mm/dd/yyyy');
  });
});
