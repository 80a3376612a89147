import { useCallback, useState } from 'react';

// State that outlives the component (list filters, selection, scroll) for the app session, not saved to disk.
const store = new Map<string, unknown>();

export function usePersistentState<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => (store.has(key) ? (store.get(key) as T) : initial));
  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      setValue((prev) => {
        const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        store.set(key, v);
        return v;
      });
    },
    [key],
  );
  return [value, set];
}

export function readPersistent<T>(key: string): T | undefined {
  return store.get(key) as T | undefined;
}

export function writePersistent<T>(key: string, value: T): void {
  store.set(key, value);
}

/** Tests: forget everything. */
export function resetPersistentState(): void {
  store.clear();
}

/** localStorage that never throws (private mode, disabled storage). */
export const storage = {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // ignore
    }
  },
};
