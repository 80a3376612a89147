import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import type { AgreementKind } from './bindings/AgreementKind';
import type { AgreementStatus } from './bindings/AgreementStatus';
import type { ApplicationStatus } from './bindings/ApplicationStatus';
import type { CallStatus } from './bindings/CallStatus';
import type { Direction } from './bindings/Direction';
import type { EventKind } from './bindings/EventKind';
import type { ExchangeStatus } from './bindings/ExchangeStatus';
import type { ImportKind } from './bindings/ImportKind';
import type { OrgKind } from './bindings/OrgKind';
import type { PartnerStatus } from './bindings/PartnerStatus';
import type { ProjectKind } from './bindings/ProjectKind';
import type { ProjectStatus } from './bindings/ProjectStatus';
import type { ReportKind } from './bindings/ReportKind';
import type { YearBasis } from './bindings/YearBasis';
import type { Zone } from './bindings/Zone';
import { closeWindow, onCloseRequested } from './ipc';

export type Section =
  | 'dashboard'
  | 'partners'
  | 'contacts'
  | 'agreements'
  | 'exchanges'
  | 'projects'
  | 'events'
  | 'calls'
  | 'applications'
  | 'reminders'
  | 'import'
  | 'reports'
  | 'sync';

// The filters a route can bring to a list (the dashboard's figures open filtered lists). A list applies them
// once, in place of the filters it remembers; the other filters start empty.
export interface PartnerPreset {
  zone?: Zone;
  country?: string;
  kind?: OrgKind;
  status?: PartnerStatus;
}
export interface ContactPreset {
  /** The people affiliated with this organisation (a partner page's "show in the contact list"). */
  partnerId?: string;
}
export interface AgreementPreset {
  zone?: Zone;
  kind?: AgreementKind;
  /** `in_force`: active or up for renewal, started and not ended, as the dashboard counts them. */
  status?: AgreementStatus | 'in_force';
}
export interface ExchangePreset {
  zone?: Zone;
  direction?: Direction;
  /** `counted`: every status but cancelled and withdrawn, as the dashboard counts. */
  status?: ExchangeStatus | 'counted';
  /** An academic year ("2025" for 2025/2026). */
  year?: string;
  /** A cohort's name ("Tongji urban planning 2026"). */
  cohort?: string;
}
export interface CallPreset {
  status?: CallStatus;
}
export interface ApplicationPreset {
  status?: ApplicationStatus;
  callId?: string;
  zone?: Zone;
}
export interface ProjectPreset {
  kind?: ProjectKind;
  status?: ProjectStatus;
}
export interface EventPreset {
  kind?: EventKind;
  zone?: Zone;
}
/** A report and its filters (a year as text, "2025"; a partner by id and name). */
export interface ReportPreset {
  kind?: ReportKind;
  year?: string;
  basis?: YearBasis;
  zone?: Zone;
  country?: string;
  partner?: { id: string; name: string | null };
}

export type Route =
  | { name: 'dashboard' }
  | { name: 'reminders' }
  | { name: 'reports'; preset?: ReportPreset }
  /** The Sync page; with sync files dropped on the window, which it reads at once. */
  | { name: 'sync'; dropped?: { token: string; files: string[] } }
  /** The import flow: the kind preselected (a list's Import), or a file the shell already holds (dropped). */
  | { name: 'import'; kind?: ImportKind; token?: string; file?: string }
  | { name: 'partners'; preset?: PartnerPreset }
  | { name: 'partner'; id: string }
  | { name: 'partnerNew' }
  | { name: 'partnerEdit'; id: string }
  | { name: 'contacts'; preset?: ContactPreset }
  | { name: 'contact'; id: string }
  | { name: 'contactNew'; partnerId?: string }
  | { name: 'contactEdit'; id: string }
  | { name: 'agreements'; preset?: AgreementPreset }
  | { name: 'agreement'; id: string }
  /** Presets: a first party, or the framework agreement this one comes under. */
  | { name: 'agreementNew'; partnerId?: string; parentId?: string }
  | { name: 'agreementEdit'; id: string }
  | { name: 'exchanges'; preset?: ExchangePreset }
  | { name: 'exchange'; id: string }
  /** Presets: the person, or the agreement the exchange comes under. */
  | { name: 'exchangeNew'; personId?: string; agreementId?: string }
  | { name: 'exchangeEdit'; id: string }
  | { name: 'projects'; preset?: ProjectPreset }
  | { name: 'project'; id: string }
  | { name: 'projectNew' }
  | { name: 'projectEdit'; id: string }
  | { name: 'events'; preset?: EventPreset }
  | { name: 'event'; id: string }
  /** Preset: the project the event is part of. */
  | { name: 'eventNew'; projectId?: string }
  | { name: 'eventEdit'; id: string }
  | { name: 'calls'; preset?: CallPreset }
  | { name: 'call'; id: string }
  | { name: 'callNew' }
  | { name: 'callEdit'; id: string }
  | { name: 'applications'; preset?: ApplicationPreset }
  | { name: 'application'; id: string }
  /** Preset: the call applied to. */
  | { name: 'applicationNew'; callId?: string }
  | { name: 'applicationEdit'; id: string };

/** The record pages (Esc goes back from them). */
export const RECORD_ROUTES: readonly Route['name'][] = [
  'partner',
  'contact',
  'agreement',
  'exchange',
  'project',
  'event',
  'call',
  'application',
];

export function sectionOf(route: Route): Section {
  const name = route.name;
  if (name === 'dashboard') return 'dashboard';
  if (name === 'reminders') return 'reminders';
  if (name === 'import') return 'import';
  if (name === 'reports') return 'reports';
  if (name === 'sync') return 'sync';
  if (name.startsWith('contact')) return 'contacts';
  if (name.startsWith('agreement')) return 'agreements';
  if (name.startsWith('exchange')) return 'exchanges';
  if (name.startsWith('project')) return 'projects';
  if (name.startsWith('event')) return 'events';
  if (name.startsWith('call')) return 'calls';
  if (name.startsWith('application')) return 'applications';
  return 'partners';
}

const SECTION_ROUTES: readonly string[] = [
  'dashboard',
  'reminders',
  'import',
  'reports',
  'sync',
  'partners',
  'contacts',
  'agreements',
  'exchanges',
  'projects',
  'events',
  'calls',
  'applications',
];

/** The first page of a section (a list, the dashboard, the reminders). */
export function isListRoute(route: Route): boolean {
  return SECTION_ROUTES.includes(route.name);
}

/** The form of a new record of a section (Ctrl+N); null for the sections without records. */
export function newRouteOf(section: Section): Route | null {
  switch (section) {
    case 'partners':
      return { name: 'partnerNew' };
    case 'contacts':
      return { name: 'contactNew' };
    case 'agreements':
      return { name: 'agreementNew' };
    case 'exchanges':
      return { name: 'exchangeNew' };
    case 'projects':
      return { name: 'projectNew' };
    case 'events':
      return { name: 'eventNew' };
    case 'calls':
      return { name: 'callNew' };
    case 'applications':
      return { name: 'applicationNew' };
    case 'dashboard':
    case 'reminders':
    case 'import':
    case 'reports':
    case 'sync':
      return null;
  }
}

/** What a form with changes registers (`useLeaveGuard`): whether it has changes, and how to save them. */
interface LeaveGuard {
  dirty: boolean;
  /** Saves; true once saved, false when the save failed (the form then shows why). */
  save: () => Promise<boolean>;
  /** Work in progress that cannot be saved (an import under way): the question is only leave or stay. */
  unsaveable?: boolean;
}

/**
 * A navigation held back by a form with changes (like React Router's blocker): save then go, go without
 * saving, or stay on the form.
 */
export interface Blocked {
  saving: boolean;
  /** Nothing to save: leave (discard) or stay. */
  unsaveable: boolean;
  save: () => void;
  discard: () => void;
  stay: () => void;
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
  /** A navigation waiting for the user's answer, when a form with changes is being left. */
  blocked: Blocked | null;
  /** For `useLeaveGuard`: registers the page's guard; returns its removal. */
  registerGuard: (guard: LeaveGuard) => () => void;
}

const RouterContext = createContext<RouterValue | null>(null);

/**
 * A tiny in-memory router: a stack of routes (no URLs: the app is a single window). Every way of leaving a
 * page (a link, the sidebar, a search result, Back, Esc, Cancel) goes through it, so a form with changes
 * (`useLeaveGuard`) is asked before any of them: save, discard or stay.
 */
export function RouterProvider({ initial = { name: 'partners' }, children }: { initial?: Route; children: ReactNode }) {
  const [stack, setStack] = useState<Route[]>([initial]);
  const guard = useRef<LeaveGuard | null>(null);
  const [pending, setPending] = useState<{ go: () => void; saving: boolean; unsaveable?: boolean } | null>(null);
  // While the guard saves before leaving, the save's own "open the saved record" gives way to the pending move.
  const leaving = useRef(false);

  const guarded = useCallback((go: () => void) => {
    if (guard.current?.dirty) setPending({ go, saving: false, unsaveable: guard.current.unsaveable });
    else go();
  }, []);

  const navigate = useCallback((route: Route) => guarded(() => setStack((s) => [...s, route].slice(-50))), [guarded]);
  const replace = useCallback((route: Route) => guarded(() => setStack((s) => [...s.slice(0, -1), route])), [guarded]);
  const back = useCallback(
    () =>
      guarded(() =>
        setStack((s) => {
          if (s.length > 1) return s.slice(0, -1);
          const current = s[0];
          return isListRoute(current) ? s : [{ name: sectionOf(current) } as Route];
        }),
      ),
    [guarded],
  );
  const finish = useCallback((route: Route) => {
    if (leaving.current) return;
    setStack((s) => {
      const previous = s[s.length - 2];
      if (previous && JSON.stringify(previous) === JSON.stringify(route)) return s.slice(0, -1);
      return [...s.slice(0, -1), route];
    });
  }, []);
  const openSection = useCallback((section: Section) => guarded(() => setStack([{ name: section } as Route])), [guarded]);

  // Closing the window is one more way of leaving the form: it asks the same question, then closes.
  useEffect(
    () =>
      onCloseRequested(() => {
        if (!guard.current?.dirty) return false;
        setPending({ go: () => void closeWindow(), saving: false, unsaveable: guard.current.unsaveable });
        return true;
      }),
    [],
  );

  const registerGuard = useCallback((own: LeaveGuard) => {
    guard.current = own;
    return () => {
      if (guard.current === own) guard.current = null;
    };
  }, []);

  const blocked = useMemo<Blocked | null>(() => {
    if (!pending) return null;
    return {
      saving: pending.saving,
      unsaveable: pending.unsaveable ?? false,
      stay: () => setPending(null),
      discard: () => {
        setPending(null);
        pending.go();
      },
      save: () => {
        const current = guard.current;
        if (!current || pending.saving) return;
        setPending({ ...pending, saving: true });
        leaving.current = true;
        void current
          .save()
          .catch(() => false)
          .then((saved) => {
            leaving.current = false;
            setPending(null);
            if (saved) pending.go();
          });
      },
    };
  }, [pending]);

  const value = useMemo<RouterValue>(
    () => ({
      route: stack[stack.length - 1],
      navigate,
      replace,
      back,
      finish,
      openSection,
      canGoBack: stack.length > 1 || !isListRoute(stack[0]),
      blocked,
      registerGuard,
    }),
    [stack, navigate, replace, back, finish, openSection, blocked, registerGuard],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/**
 * While `dirty`, leaving the page by any way asks first (Save / Discard / Stay); `save` saves the form and
 * says whether it worked (the form stays, showing why, when it did not).
 */
export function useLeaveGuard(dirty: boolean, save: () => Promise<boolean>, unsaveable = false): void {
  const { registerGuard } = useRouter();
  const latest = useRef<LeaveGuard>({ dirty, save, unsaveable });
  useEffect(() => {
    latest.current = { dirty, save, unsaveable };
  });
  useEffect(() => {
    const own: LeaveGuard = {
      get dirty() {
        return latest.current.dirty;
      },
      get unsaveable() {
        return latest.current.unsaveable;
      },
      save: () => latest.current.save(),
    };
    return registerGuard(own);
  }, [registerGuard]);
}
