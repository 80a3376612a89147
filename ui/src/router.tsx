import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Section = 'partners' | 'contacts' | 'agreements' | 'exchanges' | 'calls' | 'applications';

export type Route =
  | { name: 'partners' }
  | { name: 'partner'; id: string }
  | { name: 'partnerNew' }
  | { name: 'partnerEdit'; id: string }
  | { name: 'contacts' }
  | { name: 'contact'; id: string }
  | { name: 'contactNew'; partnerId?: string }
  | { name: 'contactEdit'; id: string }
  | { name: 'agreements' }
  | { name: 'agreement'; id: string }
  /** Presets: a first party, or the framework agreement this one comes under. */
  | { name: 'agreementNew'; partnerId?: string; parentId?: string }
  | { name: 'agreementEdit'; id: string }
  | { name: 'exchanges' }
  | { name: 'exchange'; id: string }
  /** Presets: the person, or the agreement the exchange comes under. */
  | { name: 'exchangeNew'; personId?: string; agreementId?: string }
  | { name: 'exchangeEdit'; id: string }
  | { name: 'calls' }
  | { name: 'call'; id: string }
  | { name: 'callNew' }
  | { name: 'callEdit'; id: string }
  | { name: 'applications' }
  | { name: 'application'; id: string }
  /** Preset: the call applied to. */
  | { name: 'applicationNew'; callId?: string }
  | { name: 'applicationEdit'; id: string };

/** The record pages (Esc goes back from them). */
export const RECORD_ROUTES: readonly Route['name'][] = ['partner', 'contact', 'agreement', 'exchange', 'call', 'application'];

export function sectionOf(route: Route): Section {
  if (route.name.startsWith('contact')) return 'contacts';
  if (route.name.startsWith('agreement')) return 'agreements';
  if (route.name.startsWith('exchange')) return 'exchanges';
  if (route.name.startsWith('call')) return 'calls';
  if (route.name.startsWith('application')) return 'applications';
  return 'partners';
}

export function isListRoute(route: Route): boolean {
  return (
    route.name === 'partners' ||
    route.name === 'contacts' ||
    route.name === 'agreements' ||
    route.name === 'exchanges' ||
    route.name === 'calls' ||
    route.name === 'applications'
  );
}

/** The form of a new record of a section (Ctrl+N). */
export function newRouteOf(section: Section): Route {
  switch (section) {
    case 'partners':
      return { name: 'partnerNew' };
    case 'contacts':
      return { name: 'contactNew' };
    case 'agreements':
      return { name: 'agreementNew' };
    case 'exchanges':
      return { name: 'exchangeNew' };
    case 'calls':
      return { name: 'callNew' };
    case 'applications':
      return { name: 'applicationNew' };
  }
}

interface RouterValue {
  route: Route;
  /** Opens a route; the current one goes on the back stack. */
  navigate: (route: Route) => void;
  /** Replaces the current route (after a save: form → page). */
  replace: (route: Route) => void;
  /** After a save: back when the previous route is `route` (edit → its page), else replace (new → page). */
  finish: (route: Route) => void;
  /** Goes back; to the section's list when the stack is empty. */
  back: () => void;
  /** Opens a section's list, clearing the back stack. */
  openSection: (section: Section) => void;
  canGoBack: boolean;
}

const RouterContext = createContext<RouterValue | null>(null);

/** A tiny in-memory router: a stack of routes (no URLs: the app is a single window). */
export function RouterProvider({ initial = { name: 'partners' }, children }: { initial?: Route; children: ReactNode }) {
  const [stack, setStack] = useState<Route[]>([initial]);
  const navigate = useCallback((route: Route) => setStack((s) => [...s, route].slice(-50)), []);
  const replace = useCallback((route: Route) => setStack((s) => [...s.slice(0, -1), route]), []);
  const back = useCallback(
    () =>
      setStack((s) => {
        if (s.length > 1) return s.slice(0, -1);
        const current = s[0];
        return isListRoute(current) ? s : [{ name: sectionOf(current) }];
      }),
    [],
  );
  const finish = useCallback(
    (route: Route) =>
      setStack((s) => {
        const previous = s[s.length - 2];
        if (previous && JSON.stringify(previous) === JSON.stringify(route)) return s.slice(0, -1);
        return [...s.slice(0, -1), route];
      }),
    [],
  );
  const openSection = useCallback((section: Section) => setStack([{ name: section }]), []);
  const value = useMemo<RouterValue>(
    () => ({
      route: stack[stack.length - 1],
      navigate,
      replace,
      back,
      finish,
      openSection,
      canGoBack: stack.length > 1 || !isListRoute(stack[0]),
    }),
    [stack, navigate, replace, back, finish, openSection],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}
