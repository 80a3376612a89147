import { cleanup } from '@testing-library/react';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach } from 'vitest';

import i18n from '../i18n';
import { resetPersistentState } from '../lib/persist';

// jsdom has no layout: give the table's scroller a height so the virtualizer renders rows, and make
// programmatic scrolling move scrollTop and fire `scroll` like a browser does.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('vt-body') ? 400 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    const spacer = this.classList.contains('vt-body') ? (this.firstElementChild as HTMLElement | null) : null;
    return spacer ? parseFloat(spacer.style.height) || 0 : 0;
  },
});
Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number, y?: number) {
  const top = typeof options === 'number' ? y : options?.top;
  if (typeof top === 'number') {
    this.scrollTop = top;
    this.dispatchEvent(new Event('scroll'));
  }
} as Element['scrollTo'];
Element.prototype.scrollIntoView = function scrollIntoView() {};
// No canvas in jsdom: the chart (SVG) measures its text without one, as ECharts does when there is none.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return null;
} as unknown as HTMLCanvasElement['getContext'];

beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  clearMocks();
  resetPersistentState();
});
