import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import './styles/fonts.css';
import './styles/app.css';
import './i18n';
import { App } from './App';
import { applyTheme, savedTheme } from './lib/theme';

applyTheme(savedTheme());

// The UI runs inside the Tauri shell (`make dev` for live reload): every answer comes from the core.
const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
