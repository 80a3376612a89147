// A person created without leaving the form that needs them (an exchange's person): the names only; the
// contact page takes the rest later. The core validates and names the new contact.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contact } from '../bindings/Contact';
import { api, toIpcError } from '../ipc';
import type { FieldErrors } from '../lib/errors';
import { useRules } from '../lib/rules';
import { FieldErrorText, invalidProps } from './Field';

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/**
 * The names a typed search most likely means: text in Chinese, Japanese or Korean script is the native name;
 * otherwise the last word is the family name ("Wei LI": Wei, LI), a single word the family name.
 */
export function namesOf(text: string): { given: string; family: string; native: string } {
  const t = text.trim().replace(/\s+/g, ' ');
  if (CJK.test(t)) return { given: '', family: '', native: t };
  const words = t.split(' ').filter(Boolean);
  if (words.length < 2) return { given: '', family: t, native: '' };
  return { given: words.slice(0, -1).join(' '), family: words[words.length - 1], native: '' };
}

export function NewPerson({ text, onCreated, onCancel }: { text: string; onCreated: (c: Contact) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const max = useRules().text_limits.line;
  const queryClient = useQueryClient();
  const start = namesOf(text);
  const [given, setGiven] = useState(start.given);
  const [family, setFamily] = useState(start.family);
  const [native, setNative] = useState(start.native);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const creating = useMutation({
    mutationFn: () =>
      api.contactCreate({
        given_name: given.trim() || null,
        family_name: family.trim() || null,
        native_name: native.trim() || null,
        title: null,
        emails: [],
        phones: [],
        languages: [],
        affiliations: [],
        notes: null,
      }),
    onSuccess: (contact) => {
      void queryClient.invalidateQueries({ queryKey: ['contactPicker'] });
      onCreated(contact);
    },
    onError: (e) => {
      const error = toIpcError(e);
      setErrors(Object.fromEntries(error.fields.map((f) => [f.field, f])));
      setMessage(error.fields.length ? null : error.message);
    },
  });
  // Inside the exchange's form: Enter creates the person (not the exchange), Esc closes this (not the form).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      creating.mutate();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
  };
  const input = (path: string, label: string, value: string, set: (v: string) => void, autoFocus = false) => (
    <div className="new-person-field">
      <label className="field-label" htmlFor={`${uid}-${path}`}>
        {label}
      </label>
      <input
        id={`${uid}-${path}`}
        data-testid={`new-person-${path}`}
        className="input"
        value={value}
        maxLength={max}
        autoFocus={autoFocus}
        autoComplete="off"
        {...invalidProps(path, errors)}
        onChange={(e) => set(e.target.value)}
      />
      <FieldErrorText path={path} errors={errors} />
    </div>
  );
  return (
    <div className="new-person" role="group" aria-label={t('picker.newPerson')} data-testid="new-person" onKeyDown={onKeyDown}>
      <p className="new-person-title">{t('picker.newPerson')}</p>
      <div className="new-person-grid">
        {input('given_name', t('contact.givenName'), given, setGiven, !start.given)}
        {input('family_name', t('contact.familyName'), family, setFamily, Boolean(start.given))}
        {input('native_name', t('contact.nativeName'), native, setNative)}
      </div>
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
      <p className="muted small new-person-hint">{t('picker.newPersonHint')}</p>
      <div className="new-person-actions">
        <button type="button" className="btn btn-primary btn-sm" data-testid="new-person-create" disabled={creating.isPending} onClick={() => creating.mutate()}>
          {t('picker.createPerson')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" data-testid="new-person-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
