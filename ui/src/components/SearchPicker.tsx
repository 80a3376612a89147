import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useDebounced } from '../hooks/useDebounced';
import { IconX } from './icons';

/** A record chosen in a picker: its id, and its name (null: pending sync). */
export interface Picked {
  id: string;
  name: string | null;
}

export interface PickerProps {
  id: string;
  testId: string;
  value: Picked | null;
  onChange: (value: Picked | null) => void;
  /** Ids that cannot be chosen (the record itself). */
  exclude?: string[];
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
}

interface Props<Option> extends PickerProps {
  /** Names the cached searches: `[queryKey, text]`. */
  queryKey: string;
  search: (text: string) => Promise<Option[]>;
  optionId: (option: Option) => string;
  optionName: (option: Option) => string;
  optionSub?: (option: Option) => ReactNode;
  /** How an option's name shows in the list, when more than its text (a name with its language). */
  optionLabel?: (option: Option) => ReactNode;
  placeholder: string;
  clearLabel: string;
  noMatches: string;
  /** Offered after the matches for typed text: a new record by that text ("Create “Wei Li”…"). */
  create?: { label: (text: string) => string; onCreate: (text: string) => void };
}

/**
 * A search-as-you-type combobox over records (a list command with `search`, 10 results): ↑/↓ move, Enter
 * picks, Esc closes (without reaching the form, which would cancel), the × clears.
 */
export function SearchPicker<Option>({
  id,
  testId,
  value,
  onChange,
  exclude = [],
  invalid,
  describedBy,
  required,
  queryKey,
  search,
  optionId,
  optionName,
  optionSub,
  optionLabel,
  placeholder,
  clearLabel,
  noMatches,
  create,
}: Props<Option>) {
  const { t } = useTranslation();
  const listId = useId();
  const selectedLabel = value ? (value.name ?? t('common.pendingSync')) : '';
  const [text, setText] = useState<string | null>(null); // null: showing the selection
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced((text ?? '').trim(), 120);

  const { data, isFetching } = useQuery({
    queryKey: [queryKey, query],
    queryFn: () => search(query),
    enabled: open,
    staleTime: 10_000,
  });
  const options: Option[] = (data ?? []).filter((o) => !exclude.includes(optionId(o)));
  const typed = (text ?? '').trim();
  const creatable = Boolean(create && typed);
  const last = options.length - (creatable ? 0 : 1);
  const offerCreate = () => {
    create?.onCreate(typed);
    setText(null);
    setOpen(false);
  };

  const choose = (option: Option) => {
    onChange({ id: optionId(option), name: optionName(option) });
    setText(null);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      setActive((a) => Math.min(last, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      const option = options[active];
      if (option) choose(option);
      else if (creatable && active === options.length) offerCreate();
    } else if (e.key === 'Escape' && (open || text !== null)) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      setText(null);
    }
  };

  const activeId = open && (options[active] || (creatable && active === options.length)) ? `${listId}-${active}` : undefined;

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
          placeholder={placeholder}
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
            aria-label={clearLabel}
            data-testid={`${testId}-clear`}
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
          {options.length === 0 && !isFetching && <li className="dropdown-empty">{noMatches}</li>}
          {options.map((option, i) => (
            <li
              key={optionId(option)}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`dropdown-item${i === active ? ' is-active' : ''}`}
              data-testid={`${testId}-option`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(option);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="dropdown-title">{optionLabel ? optionLabel(option) : optionName(option)}</span>
              {optionSub && <span className="dropdown-sub">{optionSub(option)}</span>}
            </li>
          ))}
          {creatable && !isFetching && (
            <li
              id={`${listId}-${options.length}`}
              role="option"
              aria-selected={active === options.length}
              className={`dropdown-item dropdown-create${active === options.length ? ' is-active' : ''}`}
              data-testid={`${testId}-create`}
              onMouseDown={(e) => {
                e.preventDefault();
                offerCreate();
              }}
              onMouseEnter={() => setActive(options.length)}
            >
              <span className="dropdown-title">{create?.label(typed)}</span>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
