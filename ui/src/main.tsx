import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import './styles/app.css';
import './i18n';
import { App } from './App';
import { inTauri } from './ipc';
import { applyTheme, savedTheme } from './lib/theme';

applyTheme(savedTheme());

async function boot() {
  if ((import.meta.env.DEV || import.meta.env.VITE_FAKE_BACKEND === '1') && !inTauri()) {
    // `npm run dev` in a plain browser (or a build made with VITE_FAKE_BACKEND=1, to measure it outside
    // Tauri): serve IPC from an in-memory demo backend. Never part of a normal build.
    const { installDevBackend } = await import('./dev/devBackend');
    await installDevBackend();
  }
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
