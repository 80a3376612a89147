import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { Route } from '../router';
import { fx } from './fixtures';
import { renderApp } from './harness';

const CALL = Object.values(fx.call_get)[0];
const FORMS: Route[] = [
  { name: 'partnerNew' },
  { name: 'contactNew' },
  { name: 'agreementNew' },
  { name: 'exchangeNew' },
  { name: 'projectNew' },
  { name: 'eventNew' },
  { name: 'callNew' },
  { name: 'applicationNew', callId: CALL.id },
];

/** The text inputs a person types into (not numbers, dates, checkboxes or the pickers' searches); 3 is a currency. */
function textInputs(form: HTMLElement): (HTMLInputElement | HTMLTextAreaElement)[] {
  const inputs = Array.from(form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'));
  return inputs.filter((el) => {
    if (el instanceof HTMLTextAreaElement) return true;
    const type = el.getAttribute('type') ?? 'text';
    const numeric = ['decimal', 'numeric'].includes(el.getAttribute('inputmode') ?? '');
    return type === 'text' && !numeric && el.getAttribute('role') !== 'combobox' && !el.closest('.date-input');
  });
}

describe('text inputs', () => {
  it.each(FORMS)('take no more than the core’s text limits ($name)', async (route) => {
    renderApp({ route });
    const save = await screen.findByTestId('form-save');
    const form = save.closest('form') as HTMLElement;
    const inputs = textInputs(form);
    expect(inputs.length).toBeGreaterThan(0);
    const limits = fx.rules.text_limits;
    for (const el of inputs) {
      const what = el.getAttribute('data-testid') ?? el.id;
      expect(el.maxLength, `${what} has a maxLength`).toBeGreaterThan(0);
      if (el instanceof HTMLTextAreaElement) expect(el.maxLength, what).toBe(limits.notes);
      else expect([3, limits.line, limits.website, limits.items * (limits.tag + 2)], what).toContain(el.maxLength);
    }
  });
});
