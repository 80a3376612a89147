import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import { mockWindows } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';

import type { PartnerInput } from '../bindings/PartnerInput';
import { fx, recordWhere } from './fixtures';
import { ipcError, renderApp, saves, type Harness } from './harness';

// Closing the window (title bar, Alt+F4) reaches the UI as Tauri's close-requested event: a form with changes
// asks as it does for any other way out, and the window closes (destroy) only after Save or Discard.
const CAMPUS_FRANCE = recordWhere(fx.partner_get, (p) => p.name === 'Campus France', 'partner Campus France');

function renderInWindow({ route, overrides = {} }: NonNullable<Parameters<typeof renderApp>[0]>): Harness {
  mockWindows('main');
  return renderApp({ route, overrides: { ...overrides, 'plugin:window|destroy': () => null } });
}

async function requestClose() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 10)); // the listener is registered asynchronously
    await emit('tauri://close-requested', {});
  });
}

const destroyed = (h: Harness) => h.calls.filter((c) => c.cmd === 'plugin:window|destroy').length;

async function typeName(text: string) {
  await userEvent.type(await screen.findByTestId('name-value-0'), text);
}

describe('closing the window', () => {
  it('closes at once when no form has changes', async () => {
    const h = renderInWindow({ route: { name: 'partnerNew' } });
    await screen.findByTestId('partner-form');
    await requestClose();
    await waitFor(() => expect(destroyed(h)).toBe(1));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('with unsaved changes asks; Stay keeps the window and the form', async () => {
    const h = renderInWindow({ route: { name: 'partnerNew' } });
    await typeName('Université de Kyoto');
    await requestClose();
    const asked = await screen.findByRole('alertdialog');
    await userEvent.click(within(asked).getByRole('button', { name: 'Stay' }));
    expect(destroyed(h)).toBe(0);
    expect((screen.getByTestId('name-value-0') as HTMLInputElement).value).toBe('Université de Kyoto');
  });

  it('Discard closes without saving', async () => {
    const h = renderInWindow({ route: { name: 'partnerNew' } });
    await typeName('Kyoto');
    await requestClose();
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByTestId('leave-discard'));
    await waitFor(() => expect(destroyed(h)).toBe(1));
    expect(h.callsOf('partner_create')).toEqual([]);
  });

  it('Save saves, then closes', async () => {
    const h = renderInWindow({
      route: { name: 'partnerNew' },
      overrides: saves('partner', (input) => ({ ...CAMPUS_FRANCE, id: 'p-new', name: (input as PartnerInput).names[0].value })),
    });
    await typeName('Kyoto');
    await requestClose();
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(destroyed(h)).toBe(1));
    expect(h.callsOf('partner_create')).toHaveLength(1);
  });

  it('a save that fails keeps the window open, on the form saying why', async () => {
    const h = renderInWindow({
      route: { name: 'partnerNew' },
      overrides: {
        partner_create: () => {
          throw ipcError('invalid', 'invalid', [{ field: 'website', code: 'format', message: 'x' }]);
        },
      },
    });
    await typeName('Kyoto');
    await requestClose();
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Save' }));
    await screen.findByTestId('form-errors');
    expect(destroyed(h)).toBe(0);
    expect(screen.getByTestId('partner-form')).toBeTruthy();
  });
});
