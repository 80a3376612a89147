import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { Score } from '../bindings/Score';
import { fx, recordWhere } from './fixtures';
import { renderApp } from './harness';

// The rules a form applies before saving are the core's: these tests check the UI asks for them and shows
// the answer, not what the answer is (tests/integration and the core's unit tests do).
describe('rules from the core', () => {
  it('asks the core for a review’s weighted score as it is typed, and shows its answer', async () => {
    const call = recordWhere(fx.call_get, (c) => c.criteria_read.length >= 2, 'call with two criteria');
    const h = renderApp({
      route: { name: 'applicationNew', callId: call.id },
      overrides: {
        review_score: (args) => ((args.scores as Score[]).length === call.criteria_read.length ? 72.5 : null),
      },
    });
    await screen.findByTestId('application-form');
    await userEvent.click(await screen.findByTestId('review-add'));
    expect(screen.getByTestId('review-0-weighted').textContent).toBe('incomplete');
    for (let j = 0; j < call.criteria_read.length; j++) await userEvent.type(screen.getByTestId(`review-0-score-${j}`), '1');
    await waitFor(() => expect(screen.getByTestId('review-0-weighted').textContent).toBe('72.5 / 100'));
    const last = h.callsOf('review_score').at(-1);
    expect(last?.criteria).toEqual(call.criteria_read);
    expect(last?.scores).toEqual(call.criteria_read.map((k) => ({ criterion_id: k.id, score: 1 })));
  });

  it('offers the vocabularies in the core’s order', async () => {
    renderApp({ route: { name: 'partners' } });
    await screen.findAllByTestId('partner-row');
    const zones = within(screen.getByTestId('filter-zone')).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
    expect(zones).toEqual(['', ...fx.rules.zones]);
  });
});
