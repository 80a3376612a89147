/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Tauri loads the built files from ui/dist with relative URLs; the dev server is fixed on 1420.
export default defineConfig({
  base: './',
  // No React plugin: Vite's own transform (oxc) compiles the JSX, and dev pages stay free of the inline
  // Fast Refresh preamble <script>, so the strict CSP (no inline scripts) also holds under `tauri dev`.
  oxc: { jsx: { runtime: 'automatic' } },
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: '127.0.0.1',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // "use client" in @tanstack/react-query: meaningless outside server components.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    testTimeout: 15000,
  },
});
