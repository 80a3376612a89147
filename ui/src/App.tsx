import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from './components/ConfirmDialog';
import { ErrorBanner, Spinner } from './components/Feedback';
import { Header } from './components/Header';
import { JobsProvider } from './components/Jobs';
import { Sidebar } from './components/Sidebar';
import { ToastProvider } from './components/Toasts';
import { AgreementForm } from './features/agreements/AgreementForm';
import { AgreementPage } from './features/agreements/AgreementPage';
import { AgreementsList } from './features/agreements/AgreementsList';
import { ApplicationForm } from './features/applications/ApplicationForm';
import { ApplicationPage } from './features/applications/ApplicationPage';
import { ApplicationsList } from './features/applications/ApplicationsList';
import { CallForm } from './features/calls/CallForm';
import { CallPage } from './features/calls/CallPage';
import { CallsList } from './features/calls/CallsList';
import { ContactForm } from './features/contacts/ContactForm';
import { ContactPage } from './features/contacts/ContactPage';
import { ContactsList } from './features/contacts/ContactsList';
import { Dashboard } from './features/dashboard/Dashboard';
import { EventForm } from './features/events/EventForm';
import { EventPage } from './features/events/EventPage';
import { EventsList } from './features/events/EventsList';
import { ExchangeForm } from './features/exchanges/ExchangeForm';
import { ExchangePage } from './features/exchanges/ExchangePage';
import { ExchangesList } from './features/exchanges/ExchangesList';
import { FirstRun } from './features/FirstRun';
import { PartnerForm } from './features/partners/PartnerForm';
import { PartnerPage } from './features/partners/PartnerPage';
import { PartnersList } from './features/partners/PartnersList';
import { ProjectForm } from './features/projects/ProjectForm';
import { ProjectPage } from './features/projects/ProjectPage';
import { ProjectsList } from './features/projects/ProjectsList';
import { RemindersPage } from './features/reminders/RemindersPage';
import { ReportsPage } from './features/reports/ReportsPage';
import { SyncPage } from './features/sync/SyncPage';
import { isEditable, useWindowKeydown } from './hooks/useHotkeys';
import { ImportPage } from './features/import/ImportPage';
import { api, onChanged, onImportDropped, onSyncDropped, toIpcError } from './ipc';
import { RulesProvider, useRulesQuery } from './lib/rules';
import { useTheme } from './lib/theme';
import { newRouteOf, RECORD_ROUTES, RouterProvider, sectionOf, useRouter, type Route } from './router';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

export function App({ client, initialRoute }: { client?: QueryClient; initialRoute?: Route }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider initial={initialRoute}>
        <ToastProvider>
          <JobsProvider>
            <Workspace />
          </JobsProvider>
        </ToastProvider>
      </RouterProvider>
    </QueryClientProvider>
  );
}

/** Waits for the workspace status: first-run screen, or the app. */
function Workspace() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['workspace'], queryFn: api.workspaceStatus, staleTime: Infinity });
  const rules = useRulesQuery();

  // Every write (here or by sync) emits `changed`: whatever is on screen refetches (the rules never change).
  useEffect(
    () => onChanged(() => void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'rules' })),
    [queryClient],
  );

  if (status.isPending || rules.isPending) {
    return (
      <div className="boot">
        <Spinner label={t('common.loading')} />
      </div>
    );
  }
  if (status.isError || rules.isError) {
    return (
      <div className="boot">
        <ErrorBanner
          error={toIpcError(status.error ?? rules.error)}
          onRetry={() => {
            if (status.isError) void status.refetch();
            if (rules.isError) void rules.refetch();
          }}
        />
      </div>
    );
  }
  if (!status.data.initialised) return <FirstRun />;
  return (
    <RulesProvider rules={rules.data}>
      <Shell replicaName={status.data.replica_name} />
    </RulesProvider>
  );
}

function focusSearch(which: 'global' | 'section') {
  const section = document.querySelector<HTMLInputElement>('[data-section-search]');
  const global = document.querySelector<HTMLInputElement>('[data-global-search]');
  const target = which === 'section' ? (section ?? global) : global;
  target?.focus();
  target?.select();
}

function Shell({ replicaName }: { replicaName: string | null }) {
  const { t } = useTranslation();
  const [theme, setTheme] = useTheme();
  const router = useRouter();
  const { route } = router;
  const mainRef = useRef<HTMLElement>(null);

  // Each route starts at the top (lists keep their own scroll position inside the table).
  useEffect(() => {
    if (mainRef.current) mainRef.current.scrollTop = 0;
  }, [route]);

  useWindowKeydown((e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'k') {
      e.preventDefault();
      focusSearch('global');
    } else if (e.key === '/' && !mod && !isEditable(e.target)) {
      e.preventDefault();
      focusSearch('section');
    } else if (mod && key === 'n' && !e.shiftKey) {
      e.preventDefault();
      if (/New$|Edit$/.test(route.name)) return; // not from inside a form: it would drop the edits
      const next = newRouteOf(sectionOf(route));
      if (next) router.navigate(next);
    } else if (e.altKey && e.key === 'ArrowLeft') {
      e.preventDefault();
      router.back();
    } else if (e.key === 'Escape' && RECORD_ROUTES.includes(route.name) && !isEditable(e.target)) {
      // Forms handle Esc themselves (cancel); on a record page it goes back.
      e.preventDefault();
      router.back();
    }
  });

  // A file dropped on the window opens the import with it (the shell holds the file; the page gets a token).
  const { navigate } = router;
  useEffect(() => onImportDropped((chosen) => navigate({ name: 'import', token: chosen.token, file: chosen.file })), [navigate]);
  useEffect(() => onSyncDropped((dropped) => navigate({ name: 'sync', dropped })), [navigate]);

  useEffect(() => {
    // The mouse's back button.
    const onMouseUp = (e: MouseEvent) => {
      if (e.button === 3) router.back();
    };
    window.addEventListener('mouseup', onMouseUp);
    return () => window.removeEventListener('mouseup', onMouseUp);
  }, [router]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Sidebar replicaName={replicaName} />
      <div className="app-main">
        <Header theme={theme} onTheme={setTheme} />
        <main id="main" ref={mainRef} className="main" tabIndex={-1}>
          <RouteView route={route} />
        </main>
      </div>
      {router.blocked?.unsaveable && (
        <ConfirmDialog
          title={t('leave.importTitle')}
          message={t('leave.importMessage')}
          cancelLabel={t('leave.stay')}
          confirmLabel={t('leave.leave')}
          onConfirm={router.blocked.discard}
          onCancel={router.blocked.stay}
        />
      )}
      {router.blocked && !router.blocked.unsaveable && (
        <ConfirmDialog
          title={t('leave.title')}
          message={t('leave.message')}
          cancelLabel={t('leave.stay')}
          confirmLabel={router.blocked.saving ? t('common.saving') : t('common.save')}
          confirmTone="primary"
          busy={router.blocked.saving}
          alternative={{ label: t('leave.discard'), testId: 'leave-discard', onClick: router.blocked.discard }}
          onConfirm={router.blocked.save}
          onCancel={router.blocked.stay}
        />
      )}
    </div>
  );
}

/** A list's key: a route bringing other filters (from the dashboard) mounts it afresh. */
const presetKey = (preset: object | undefined) => (preset ? JSON.stringify(preset) : 'list');

function RouteView({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <Dashboard />;
    case 'reminders':
      return <RemindersPage />;
    case 'reports':
      return <ReportsPage key={presetKey(route.preset)} preset={route.preset} />;
    case 'sync':
      return <SyncPage key={route.dropped?.token ?? 'sync'} dropped={route.dropped} />;
    case 'import':
      return <ImportPage key={route.token ?? route.kind ?? 'import'} kind={route.kind} chosen={route.token && route.file ? { token: route.token, file: route.file } : null} />;
    case 'partners':
      return <PartnersList key={presetKey(route.preset)} preset={route.preset} />;
    case 'partner':
      return <PartnerPage key={route.id} id={route.id} />;
    case 'partnerNew':
      return <PartnerForm key="new" />;
    case 'partnerEdit':
      return <PartnerForm key={route.id} id={route.id} />;
    case 'contacts':
      return <ContactsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'contact':
      return <ContactPage key={route.id} id={route.id} />;
    case 'contactNew':
      return <ContactForm key={`new-${route.partnerId ?? ''}`} partnerId={route.partnerId} />;
    case 'contactEdit':
      return <ContactForm key={route.id} id={route.id} />;
    case 'agreements':
      return <AgreementsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'agreement':
      return <AgreementPage key={route.id} id={route.id} />;
    case 'agreementNew':
      return (
        <AgreementForm key={`new-${route.partnerId ?? ''}-${route.parentId ?? ''}`} partnerId={route.partnerId} parentId={route.parentId} />
      );
    case 'agreementEdit':
      return <AgreementForm key={route.id} id={route.id} />;
    case 'exchanges':
      return <ExchangesList key={presetKey(route.preset)} preset={route.preset} />;
    case 'exchange':
      return <ExchangePage key={route.id} id={route.id} />;
    case 'exchangeNew':
      return (
        <ExchangeForm
          key={`new-${route.personId ?? ''}-${route.agreementId ?? ''}`}
          personId={route.personId}
          agreementId={route.agreementId}
        />
      );
    case 'exchangeEdit':
      return <ExchangeForm key={route.id} id={route.id} />;
    case 'projects':
      return <ProjectsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'project':
      return <ProjectPage key={route.id} id={route.id} />;
    case 'projectNew':
      return <ProjectForm key="new" />;
    case 'projectEdit':
      return <ProjectForm key={route.id} id={route.id} />;
    case 'events':
      return <EventsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'event':
      return <EventPage key={route.id} id={route.id} />;
    case 'eventNew':
      return <EventForm key={`new-${route.projectId ?? ''}`} projectId={route.projectId} />;
    case 'eventEdit':
      return <EventForm key={route.id} id={route.id} />;
    case 'calls':
      return <CallsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'call':
      return <CallPage key={route.id} id={route.id} />;
    case 'callNew':
      return <CallForm key="new" />;
    case 'callEdit':
      return <CallForm key={route.id} id={route.id} />;
    case 'applications':
      return <ApplicationsList key={presetKey(route.preset)} preset={route.preset} />;
    case 'application':
      return <ApplicationPage key={route.id} id={route.id} />;
    case 'applicationNew':
      return <ApplicationForm key={`new-${route.callId ?? ''}`} callId={route.callId} />;
    case 'applicationEdit':
      return <ApplicationForm key={route.id} id={route.id} />;
  }
}
