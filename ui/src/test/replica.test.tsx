// This computer's name is renamed from the sidebar: the UI sends the new name and shows the core's answer.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { renderApp } from './harness';

describe("this computer's name", () => {
  it('is renamed in place, Enter saving and the sidebar showing the name the core kept', async () => {
    const harness = renderApp({
      overrides: {
        replica_rename: (args) => ({
          initialised: true,
          replica_name: String(args.name).trim(),
          partners: 56,
          contacts: 162,
          path: '/tmp/liaison.sqlite3',
        }),
      },
    });
    fireEvent.click(await screen.findByTestId('replica-rename'));
    const input = screen.getByTestId('replica-rename-input');
    fireEvent.change(input, { target: { value: '  Shanghai office ' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    await waitFor(() => expect(screen.getByTestId('replica-name-shown').textContent).toContain('Shanghai office'));
    expect(harness.callsOf('replica_rename')).toEqual([{ name: '  Shanghai office ' }]);
  });

  it('Esc leaves the name as it was, sending nothing', async () => {
    const harness = renderApp();
    const before = (await screen.findByTestId('replica-name-shown')).textContent;
    fireEvent.click(screen.getByTestId('replica-rename'));
    fireEvent.keyDown(screen.getByTestId('replica-rename-input'), { key: 'Escape' });
    expect(screen.getByTestId('replica-name-shown').textContent).toBe(before);
    expect(harness.callsOf('replica_rename')).toEqual([]);
  });
});
