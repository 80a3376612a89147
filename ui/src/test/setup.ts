import { cleanup } from '@testing-library/react';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, expect, vi } from 'vitest';

import i18n from '../i18n';
import { resetPersistentState } from '../lib/persist';

// jsdom has no layout: give the tables' scrollers (lists, an import's plan) a height so the virtualizer renders
// rows, and make programmatic scrolling move scrollTop and fire `scroll` like a browser does.
const scroller = (e: HTMLElement) => e.classList.contains('vt-body') || e.classList.contains('import-plan-scroll');
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return scroller(this) ? 400 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    const spacer = scroller(this) ? (this.firstElementChild as HTMLElement | null) : null;
    return spacer ? parseFloat(spacer.style.height) || 0 : 0;
  },
});
// The `scroll` event comes afterwards, as in a browser (which fires it with the next frame): fired within the
// call, it reached the virtualizer inside React's effects, which then flushed a render from inside one.
Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number, y?: number) {
  const top = typeof options === 'number' ? y : options?.top;
  if (typeof top === 'number') {
    this.scrollTop = top;
    setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
  }
} as Element['scrollTo'];
Element.prototype.scrollIntoView = function scrollIntoView() {};
// No canvas in jsdom: the chart (SVG) measures its text without one, as ECharts does when there is none.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return null;
} as unknown as HTMLCanvasElement['getContext'];

// React's complaint about a render flushed from inside another (a scroll handled during an effect) fails the
// test that caused it.
let reactErrors: string[] = [];
beforeEach(async () => {
  reactErrors = [];
  const consoleError = console.error.bind(console);
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (text.includes('flushSync was called from inside a lifecycle method')) reactErrors.push(text);
    else consoleError(...args);
  });
  window.localStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.mocked(console.error).mockRestore();
  expect(reactErrors, 'React flushed a render from inside another').toEqual([]);
  clearMocks();
  resetPersistentState();
});
