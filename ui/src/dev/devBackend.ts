// `npm run dev` outside Tauri: answer IPC from the in-memory fake backend (100,000 partners), with a little
// latency, and emit `changed` after writes like the core does. `?first-run` starts uninitialised;
// `?partners=N` and `?exchanges=N` change the synthetic rows (12,000 exchanges: over the list's count cap).
import { emitChanged, installMockIpc } from '../ipc';
import { createFakeBackend } from './fakeBackend';

export async function installDevBackend(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const backend = createFakeBackend({
    initialised: !params.has('first-run'),
    extraPartners: Number(params.get('partners') ?? 100_000),
    extraExchanges: Number(params.get('exchanges') ?? 12_000),
  });
  await installMockIpc(async (cmd, args) => {
    await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 30));
    const result = backend.handle(cmd, args);
    if (backend.isWrite(cmd)) setTimeout(() => void emitChanged(), 0);
    return result;
  });
  console.info('[liaison] IPC served by the in-browser dev backend');
}
