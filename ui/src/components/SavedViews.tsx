import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useStoredState } from '../lib/persist';
import { IconPlus, IconX } from './icons';

export interface SavedView<F> {
  name: string;
  filters: F;
}

/** The same filters, whatever the order of their keys. */
function sameFilters(a: object, b: object): boolean {
  const norm = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

/**
 * The saved views of a list, as chips above its table: the current filters, sort and search saved under a
 * name, applied with a click, deleted with their ×. Kept in localStorage (`liaison.views.<list>`): they are
 * preferences of this computer, not synced data.
 */
export function SavedViews<F extends object>({
  list,
  initial,
  current,
  onApply,
}: {
  /** The list's name (`partners`, `exchanges`…). */
  list: string;
  /** The list's empty filters: a view saved before a filter existed gets its default. */
  initial: F;
  current: F;
  onApply: (filters: F) => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [views, setViews] = useStoredState<SavedView<F>[]>(`liaison.views.${list}`, []);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    setViews((vs) => [...vs.filter((v) => v.name !== trimmed), { name: trimmed, filters: current }]);
    setNaming(false);
    setName('');
  };
  const cancel = () => {
    setNaming(false);
    setName('');
  };

  return (
    <div className="saved-views" role="group" aria-labelledby={`${uid}-label`} data-testid="saved-views">
      <span className="saved-views-label" id={`${uid}-label`}>
        {t('views.title')}
      </span>
      {views.length > 0 && (
        <ul className="chips">
          {views.map((v) => {
            const filters = { ...initial, ...v.filters };
            const on = sameFilters(filters, current);
            return (
              <li key={v.name} className={`chip chip-view${on ? ' is-on' : ''}`} data-testid="saved-view">
                <button
                  type="button"
                  className="chip-apply"
                  data-testid="saved-view-apply"
                  aria-pressed={on}
                  title={t('views.apply', { name: v.name })}
                  onClick={() => onApply(filters)}
                >
                  {v.name}
                </button>
                <button
                  type="button"
                  className="chip-remove"
                  data-testid="saved-view-delete"
                  aria-label={t('views.delete', { name: v.name })}
                  title={t('views.delete', { name: v.name })}
                  onClick={() => setViews((vs) => vs.filter((x) => x.name !== v.name))}
                >
                  <IconX />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {naming ? (
        <form
          className="saved-view-form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label className="sr-only" htmlFor={`${uid}-name`}>
            {t('views.name')}
          </label>
          <input
            id={`${uid}-name`}
            className="input input-sm"
            data-testid="saved-view-name"
            placeholder={t('views.namePlaceholder')}
            value={name}
            autoFocus
            autoComplete="off"
            maxLength={60}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                cancel();
              }
            }}
          />
          <button type="submit" className="btn btn-primary btn-sm" data-testid="saved-view-confirm" disabled={!name.trim()}>
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={cancel}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn-ghost btn-sm" data-testid="saved-view-save" onClick={() => setNaming(true)}>
          <IconPlus />
          {views.length ? t('views.saveAnother') : t('views.save')}
        </button>
      )}
    </div>
  );
}
