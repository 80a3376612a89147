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

const appliedPresets = new WeakSet<object>();

/**
 * A list's filters, remembered for the session under `${list}.filters`. A preset (the filters a route brings:
 * a figure of the dashboard) replaces them, the selection and the scroll position once; going back to that
 * route later shows what the user made of them since.
 */
export function useListFilters<F extends object>(list: string, initial: F, preset?: Partial<F>): [F, (next: F | ((prev: F) => F)) => void] {
  if (preset && !appliedPresets.has(preset)) {
    appliedPresets.add(preset);
    store.set(`${list}.filters`, { ...initial, ...preset });
    store.set(`${list}.selected`, null);
    store.set(`${list}.scroll`, 0);
  }
  return usePersistentState<F>(`${list}.filters`, initial);
}

function readStored<T>(key: string, initial: T): T {
  const text = storage.get(key);
  if (text === null) return initial;
  try {
    return JSON.parse(text) as T;
  } catch {
    return initial;
  }
}

/** State kept in localStorage as JSON (preferences of this computer, not synced data). */
export function useStoredState<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => readStored(key, initial));
  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      setValue((prev) => {
        const v = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
        storage.set(key, JSON.stringify(v));
        return v;
      });
    },
    [key],
  );
  return [value, set];
}
