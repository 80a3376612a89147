import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { PartnerRow } from '../bindings/PartnerRow';
import { api } from '../ipc';
import { countryName } from '../lib/geo';
import { useDebounced } from '../hooks/useDebounced';
import { IconX } from './icons';

export interface PickedPartner {
  id: string;
  name: string | null;
}

interface Props {
  id: string;
  testId: string;
  value: PickedPartner | null;
  onChange: (value: PickedPartner | null) => void;
  /** Ids that cannot be chosen (the partner itself). */
  exclude?: string[];
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
}

/** A search-as-you-type combobox over the partners (`partners_list` with `search`, 10 results). */
export function PartnerPicker({ id, testId, value, onChange, exclude = [], invalid, describedBy, required }: Props) {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const selectedLabel = value ? (value.name ?? t('common.pendingSync')) : '';
  const [text, setText] = useState<string | null>(null); // null: showing the selection
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced((text ?? '').trim(), 120);

  const { data, isFetching } = useQuery({
    queryKey: ['partnerPicker', query],
    queryFn: () => api.partnersList({ search: query || undefined, descending: false, offset: 0, limit: 10 }),
    enabled: open,
    staleTime: 10_000,
  });
  const options: PartnerRow[] = (data?.rows ?? []).filter((r) => !exclude.includes(r.id));

  const choose = (row: PartnerRow) => {
    onChange({ id: row.id, name: row.name });
    setText(null);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      setActive((a) => Math.min(options.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      const row = options[active];
      if (row) choose(row);
    } else if (e.key === 'Escape' && (open || text !== null)) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      setText(null);
    }
  };

  const activeId = open && options[active] ? `${listId}-${active}` : undefined;

  return (
    <div className="picker">
      <div className="picker-input-wrap">
        <input
          id={id}
          data-testid={testId}
          className="input"
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
          placeholder={t('form.parentPlaceholder')}
          value={text ?? selectedLabel}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
            if (e.target.value === '' && value) onChange(null);
          }}
          onFocus={() => setOpen(text !== null)}
          onBlur={() => {
            setOpen(false);
            setText(null);
          }}
          onKeyDown={onKeyDown}
        />
        {value && (
          <button
            type="button"
            className="icon-btn picker-clear"
            aria-label={t('form.clearParent')}
            onClick={() => {
              onChange(null);
              setText(null);
            }}
          >
            <IconX />
          </button>
        )}
      </div>
      {open && (
        <ul className="dropdown" id={listId} role="listbox">
          {options.length === 0 && !isFetching && <li className="dropdown-empty">{t('form.noMatches')}</li>}
          {options.map((row, i) => (
            <li
              key={row.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`dropdown-item${i === active ? ' is-active' : ''}`}
              data-testid={`${testId}-option`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(row);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="dropdown-title">{row.name}</span>
              <span className="dropdown-sub">
                {[row.acronym, row.city, countryName(row.country, i18n.language)].filter(Boolean).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
