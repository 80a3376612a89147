import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { SearchHit } from '../bindings/SearchHit';
import { currentLang, setLang } from '../i18n';
import { api } from '../ipc';
import { useDebounced } from '../hooks/useDebounced';
import type { ThemeChoice } from '../lib/theme';
import { THEMES } from '../lib/theme';
import { useRules } from '../lib/rules';
import { useRouter, type Route } from '../router';
import { Kbd } from './Feedback';
import { labelOf, Name } from './Name';
import {
  IconAgreement,
  IconApplication,
  IconBuilding,
  IconExchange,
  IconCalendar,
  IconCall,
  IconMonitor,
  IconMoon,
  IconProject,
  IconSearch,
  IconSun,
  IconUsers,
} from './icons';

export function Header({ theme, onTheme }: { theme: ThemeChoice; onTheme: (t: ThemeChoice) => void }) {
  return (
    <header className="topbar">
      <GlobalSearch />
      <div className="topbar-actions">
        <LangSwitch />
        <ThemeSwitch theme={theme} onTheme={onTheme} />
      </div>
    </header>
  );
}

export function LangSwitch() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'fr' ? 'fr' : 'en';
  return (
    <button
      type="button"
      className="segmented"
      data-testid="lang-switch"
      aria-label={`${t('header.language')}: ${lang.toUpperCase()}. ${t('header.switchLanguage')}`}
      title={t('header.switchLanguage')}
      onClick={() => setLang(currentLang() === 'fr' ? 'en' : 'fr')}
    >
      <span className={lang === 'en' ? 'is-on' : ''} lang="en">
        EN
      </span>
      <span className={lang === 'fr' ? 'is-on' : ''} lang="fr">
        FR
      </span>
    </button>
  );
}

export function ThemeSwitch({ theme, onTheme }: { theme: ThemeChoice; onTheme: (t: ThemeChoice) => void }) {
  const { t } = useTranslation();
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  const Icon = theme === 'dark' ? IconMoon : theme === 'light' ? IconSun : IconMonitor;
  const label = t('header.theme.label', { theme: t(`header.theme.${theme}`) });
  return (
    <button
      type="button"
      className="btn btn-ghost theme-switch"
      data-testid="theme-switch"
      data-theme-choice={theme}
      aria-label={label}
      title={label}
      onClick={() => onTheme(next)}
    >
      <Icon />
      <span className="theme-switch-label">{t(`header.theme.${theme}`)}</span>
    </button>
  );
}

/** The page a search result opens. */
export function routeOfHit(hit: SearchHit): Route {
  switch (hit.entity) {
    case 'partner':
      return { name: 'partner', id: hit.id };
    case 'contact':
      return { name: 'contact', id: hit.id };
    case 'agreement':
      return { name: 'agreement', id: hit.id };
    case 'project':
      return { name: 'project', id: hit.id };
    case 'event':
      return { name: 'event', id: hit.id };
    case 'call':
      return { name: 'call', id: hit.id };
    case 'application':
      return { name: 'application', id: hit.id };
    case 'exchange':
      return { name: 'exchange', id: hit.id };
    case 'cohort':
      // A cohort is a name shared by exchanges: its hit opens the exchange list filtered to it.
      return { name: 'exchanges', preset: { cohort: hit.title } };
  }
}

function HitIcon({ entity }: { entity: SearchHit['entity'] }) {
  switch (entity) {
    case 'partner':
      return <IconBuilding />;
    case 'agreement':
      return <IconAgreement />;
    case 'call':
      return <IconCall />;
    case 'application':
      return <IconApplication />;
    case 'project':
      return <IconProject />;
    case 'event':
      return <IconCalendar />;
    case 'contact':
      return <IconUsers />;
    case 'exchange':
    case 'cohort':
      return <IconExchange />;
  }
}

function GlobalSearch() {
  const { t } = useTranslation();
  const rules = useRules();
  const { navigate } = useRouter();
  const listId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced(text.trim(), 120);

  const { data: hits = [], isFetching } = useQuery({
    queryKey: ['search', query, currentLang()],
    queryFn: () => api.search(query, 12, currentLang()),
    enabled: query.length > 0,
    staleTime: 10_000,
  });
  const shown = query.length > 0 ? hits : [];

  const openHit = (hit: SearchHit) => {
    navigate(routeOfHit(hit));
    setText('');
    setOpen(false);
    (document.activeElement as HTMLElement | null)?.blur();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(shown.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = shown[active] ?? shown[0];
      if (hit) openHit(hit);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (text) {
        setText('');
      } else {
        e.currentTarget.blur();
      }
      setOpen(false);
    }
  };

  const showList = open && text.trim().length > 0;
  return (
    <div className="global-search" role="search">
      <IconSearch className="global-search-icon" />
      <input
        type="search"
        className="input global-search-input"
        data-testid="global-search"
        data-global-search=""
        maxLength={rules.search_max_chars}
        role="combobox"
        aria-label={t('header.globalSearchLabel')}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && shown[active] ? `${listId}-${active}` : undefined}
        placeholder={t('header.globalSearch')}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {!text && <Kbd>Ctrl K</Kbd>}
      {showList && (
        <ul className="dropdown global-search-results" id={listId} role="listbox" aria-label={t('header.globalSearchLabel')}>
          {shown.length === 0 && (
            <li className="dropdown-empty">{isFetching || query !== text.trim() ? t('header.searching') : t('header.noHits', { query: text.trim() })}</li>
          )}
          {shown.map((hit, i) => (
            <li
              key={`${hit.entity}-${hit.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`dropdown-item${i === active ? ' is-active' : ''}`}
              data-testid="search-hit"
              onMouseDown={(e) => {
                e.preventDefault();
                openHit(hit);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className={`hit-icon hit-${hit.entity}`} aria-hidden="true">
                <HitIcon entity={hit.entity} />
              </span>
              <span className="hit-text">
                <span className="dropdown-title">
                  <Name label={labelOf(hit)} />
                </span>
                {hit.entity === 'cohort' && hit.count !== undefined ? (
                  <span className="dropdown-sub">{t('header.cohortCount', { count: hit.count })}</span>
                ) : (
                  hit.subtitle && <span className="dropdown-sub">{hit.subtitle}</span>
                )}
              </span>
              <span className="badge badge-muted">{t(`header.${hit.entity}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
