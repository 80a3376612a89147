import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import i18n from '../i18n';
import { fx } from './fixtures';
import { renderApp } from './harness';

const header = () => document.querySelector('.vt-header-row') as HTMLElement;
const tracks = () => header().style.gridTemplateColumns.split(/ (?![^(]*\))/);

describe('list columns', () => {
  it('the name column takes the room the others leave; the others have their width and a resize handle', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    expect(tracks()[0]).toBe('minmax(220px, 1fr)');
    expect(tracks().slice(1)).toEqual(['110px', '100px', '124px', '124px', '110px']);
    expect(screen.queryByTestId('resize-name')).toBeNull();
    expect(screen.getByRole('separator', { name: 'Width of the Country column' })).toBeTruthy();
    // Rows follow the header.
    expect(screen.getAllByTestId('partner-row')[0].style.gridTemplateColumns).toBe(header().style.gridTemplateColumns);
  });

  it('are resized by dragging or with the arrows, remembered per list, and a double-click gives the first width back', async () => {
    renderApp();
    await screen.findAllByTestId('partner-row');
    const handle = screen.getByTestId('resize-country');
    fireEvent.mouseDown(handle, { clientX: 300 });
    fireEvent.mouseMove(document, { clientX: 360 });
    fireEvent.mouseUp(document, { clientX: 360 });
    await waitFor(() => expect(tracks()[1]).toBe('170px'));
    handle.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(tracks()[1]).toBe('186px');
    expect(screen.getAllByTestId('partner-row')[0].style.gridTemplateColumns).toBe(header().style.gridTemplateColumns);

    // Kept for the next start, under this list's name; another list keeps its own widths.
    expect(JSON.parse(window.localStorage.getItem('liaison.columns.partners') ?? '{}')).toEqual({ country: 186 });
    await userEvent.click(screen.getByTestId('nav-contacts'));
    await screen.findAllByTestId('contact-row');
    expect(header().style.gridTemplateColumns).not.toContain('186px');
    await userEvent.click(screen.getByTestId('nav-partners'));
    await screen.findAllByTestId('partner-row');
    expect(tracks()[1]).toBe('186px');

    fireEvent.doubleClick(screen.getByTestId('resize-country'));
    expect(tracks()[1]).toBe('110px');
  });

  it('a cell cut by its column shows its full text on hover; one that fits shows none', async () => {
    renderApp();
    const rows = await screen.findAllByTestId('partner-row');
    const name = rows[0].querySelector('.vt-cell') as HTMLElement;
    const primary = name.querySelector('.cell-primary') as HTMLElement;
    Object.defineProperty(primary, 'scrollWidth', { configurable: true, value: 400 });
    Object.defineProperty(primary, 'clientWidth', { configurable: true, value: 200 });
    act(() => {
      fireEvent.mouseOver(primary);
    });
    expect(name.title).toContain(fx.partners_list.rows[0].name);
    const city = rows[0].querySelectorAll<HTMLElement>('.vt-cell')[2];
    fireEvent.mouseOver(city);
    expect(city.getAttribute('title')).toBeNull();
  });

  it('speak French', async () => {
    await i18n.changeLanguage('fr');
    renderApp();
    await screen.findAllByTestId('partner-row');
    expect(within(header()).getByRole('separator', { name: 'Largeur de la colonne Pays' })).toBeTruthy();
  });
});
