import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { sectionOf, useRouter, type Section } from '../router';
import { Kbd } from './Feedback';
import {
  IconAgreement,
  IconApplication,
  IconBell,
  IconBuilding,
  IconCalendar,
  IconCall,
  IconDashboard,
  IconExchange,
  IconProject,
  IconUsers,
} from './icons';

export function Sidebar({ replicaName }: { replicaName: string | null }) {
  const { t } = useTranslation();
  const { route, openSection } = useRouter();
  const current = sectionOf(route);
  const items: { section: Section; label: string; icon: ReactNode }[] = [
    { section: 'dashboard', label: t('nav.dashboard'), icon: <IconDashboard /> },
    { section: 'partners', label: t('nav.partners'), icon: <IconBuilding /> },
    { section: 'contacts', label: t('nav.contacts'), icon: <IconUsers /> },
    { section: 'agreements', label: t('nav.agreements'), icon: <IconAgreement /> },
    { section: 'exchanges', label: t('nav.exchanges'), icon: <IconExchange /> },
    { section: 'projects', label: t('nav.projects'), icon: <IconProject /> },
    { section: 'events', label: t('nav.events'), icon: <IconCalendar /> },
    { section: 'calls', label: t('nav.calls'), icon: <IconCall /> },
    { section: 'applications', label: t('nav.applications'), icon: <IconApplication /> },
    { section: 'reminders', label: t('nav.reminders'), icon: <IconBell /> },
  ];
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          L
        </span>
        <span className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
      </div>
      <nav aria-label={t('nav.label')}>
        <ul className="nav">
          {items.map((item) => (
            <li key={item.section}>
              <button
                type="button"
                className={`nav-item${current === item.section ? ' is-current' : ''}`}
                aria-current={current === item.section ? 'page' : undefined}
                data-testid={`nav-${item.section}`}
                onClick={() => openSection(item.section)}
              >
                {item.icon}
                <span>{item.label}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <dl className="shortcuts" aria-label={t('app.shortcuts')}>
          <div>
            <dt>
              <Kbd>Ctrl K</Kbd>
            </dt>
            <dd>{t('app.shortcutSearch')}</dd>
          </div>
          <div>
            <dt>
              <Kbd>Ctrl N</Kbd>
            </dt>
            <dd>{t('app.shortcutNew')}</dd>
          </div>
          <div>
            <dt>
              <Kbd>Esc</Kbd>
            </dt>
            <dd>{t('app.shortcutBack')}</dd>
          </div>
        </dl>
        {replicaName && <p className="replica">{t('app.replica', { name: replicaName })}</p>}
      </div>
    </aside>
  );
}
