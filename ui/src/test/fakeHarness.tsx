import { render } from '@testing-library/react';
import { mockIPC } from '@tauri-apps/api/mocks';

import { App, createQueryClient } from '../App';
import { createFakeBackend, type FakeBackend, type FakeOptions } from '../dev/fakeBackend';
import type { Route } from '../router';

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export interface Harness {
  backend: FakeBackend;
  calls: Call[];
  callsOf: (cmd: string) => Record<string, unknown>[];
}

/**
 * Renders the whole app over mocked Tauri IPC: commands go to the fake backend unless `overrides` answers
 * them (throw an IpcError object to reject).
 */
export function renderApp({
  route,
  overrides = {},
  backend: options = {},
}: {
  route?: Route | ((backend: FakeBackend) => Route);
  overrides?: Record<string, (args: Record<string, unknown>, backend: FakeBackend) => unknown>;
  backend?: FakeOptions;
} = {}): Harness {
  const backend = createFakeBackend(options);
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const override = overrides[cmd];
      return override ? override(args, backend) : backend.handle(cmd, args);
    },
    { shouldMockEvents: true },
  );
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0, refetchOnWindowFocus: false }, mutations: { retry: false } });
  const initialRoute = typeof route === 'function' ? route(backend) : route;
  render(<App client={client} initialRoute={initialRoute} />);
  return { backend, calls, callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args) };
}

/** The id of a sample partner of the fake backend, by its primary name. */
export function partnerId(backend: FakeBackend, name: string): string {
  const p = [...backend.partners.values()].find((x) => x.name === name);
  if (!p) throw new Error(`no sample partner ${name}`);
  return p.id;
}
