import { useTranslation } from 'react-i18next';

import { FieldErrorText, invalidProps } from './Field';
import { IconPlus, IconX } from './icons';
import type { FieldErrors } from '../lib/errors';

/** One text of a repeatable list, with a stable React key. */
export interface Item {
  key: number;
  value: string;
}

let nextKey = 1;
/** Keys of form rows, unique across forms. */
export const rowKey = () => nextKey++;
export const items = (values: string[]): Item[] => values.map((value) => ({ key: rowKey(), value }));

/** Non-empty values, with the form index of each one sent. */
export function compact(list: Item[]): { values: string[]; index: number[] } {
  const values: string[] = [];
  const index: number[] = [];
  list.forEach((item, i) => {
    if (item.value.trim()) {
      values.push(item.value.trim());
      index.push(i);
    }
  });
  return { values, index };
}

interface StringListProps {
  uid: string;
  label: string;
  itemLabel: (n: number) => string;
  addLabel: string;
  path: string;
  testId: string;
  list: Item[];
  errors: FieldErrors;
  onChange: (list: Item[]) => void;
  inputType?: string;
  placeholder?: string;
  datalist?: string;
  describe?: (value: string) => string;
  /** The longest text an item takes (the core's `text_limits`). */
  maxLength?: number;
}

/** A repeatable list of text inputs (`email-0`, `email-1`… with `email-add`, `email-remove-0`). */
export function StringList({ uid, label, itemLabel, addLabel, path, testId, list, errors, onChange, inputType = 'text', placeholder, datalist, describe, maxLength }: StringListProps) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <span className="field-label" id={`${uid}-label`}>
        {label}
      </span>
      <div className="field-control repeat" role="group" aria-labelledby={`${uid}-label`}>
        {list.map((item, i) => (
          <div className="repeat-row" key={item.key}>
            <div className="repeat-cell grow">
              <label className="sr-only" htmlFor={`${uid}-${i}`}>
                {itemLabel(i + 1)}
              </label>
              <input
                id={`${uid}-${i}`}
                data-testid={`${testId}-${i}`}
                className={`input${datalist ? ' input-short mono' : ''}`}
                type={inputType}
                list={datalist}
                maxLength={maxLength}
                value={item.value}
                placeholder={placeholder}
                spellCheck={false}
                autoComplete="off"
                {...invalidProps(`${path}[${i}]`, errors)}
                onChange={(e) => onChange(list.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              />
              {describe && describe(item.value) && describe(item.value) !== item.value.trim() && (
                <span className="muted small inline-hint">{describe(item.value)}</span>
              )}
              <FieldErrorText path={`${path}[${i}]`} errors={errors} />
            </div>
            <button
              type="button"
              className="icon-btn"
              data-testid={`${testId}-remove-${i}`}
              aria-label={t('contact.removeItem', { what: itemLabel(i + 1) })}
              title={t('contact.removeItem', { what: itemLabel(i + 1) })}
              onClick={() => onChange(list.filter((_, j) => j !== i))}
            >
              <IconX />
            </button>
          </div>
        ))}
        <FieldErrorText path={path} errors={errors} />
        <div>
          <button type="button" className="btn btn-ghost btn-sm" data-testid={`${testId}-add`} onClick={() => onChange([...list, { key: rowKey(), value: '' }])}>
            <IconPlus />
            {addLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
