import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { IdScheme } from '../../bindings/IdScheme';
import type { OrgKind } from '../../bindings/OrgKind';
import type { Partner } from '../../bindings/Partner';
import type { PartnerInput } from '../../bindings/PartnerInput';
import type { PartnerStatus } from '../../bindings/PartnerStatus';
import type { Rules } from '../../bindings/Rules';
import type { Zone } from '../../bindings/Zone';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker, type PickedPartner } from '../../components/PartnerPicker';
import { api, toIpcError } from '../../ipc';
import { SCHEME_EXAMPLES } from '../../lib/enums';
import { followRows, remapIndex } from '../../lib/errors';
import { blankToNull } from '../../lib/format';
import { COMMON_LANGUAGE_TAGS, countryOptions, languageName } from '../../lib/geo';
import { useRules, zoneOfCountry } from '../../lib/rules';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { useRouter } from '../../router';
import { labelText } from '../../components/Name';

interface NameRow {
  key: number;
  id?: string;
  value: string;
  lang: string;
  primary: boolean;
}

interface IdentRow {
  key: number;
  id?: string;
  scheme: IdScheme;
  value: string;
}

interface Draft {
  names: NameRow[];
  acronym: string;
  kind: OrgKind;
  parent: PickedPartner | null;
  country: string;
  city: string;
  zone: Zone;
  zoneTouched: boolean;
  website: string;
  status: PartnerStatus;
  identifiers: IdentRow[];
  tags: string;
  notes: string;
}

let nextKey = 1;
const key = () => nextKey++;

function draftOf(partner: Partner | undefined, lang: string, rules: Rules): Draft {
  if (!partner) {
    return {
      names: [{ key: key(), value: '', lang, primary: true }],
      acronym: '',
      kind: 'university',
      parent: null,
      country: '',
      city: '',
      zone: 'other',
      zoneTouched: false,
      website: '',
      status: 'active',
      identifiers: [],
      tags: '',
      notes: '',
    };
  }
  return {
    names: partner.names.map((n) => ({ key: key(), id: n.id, value: n.value, lang: n.lang, primary: n.primary })),
    acronym: partner.acronym ?? '',
    kind: partner.kind,
    parent: partner.parent_id ? { id: partner.parent_id, name: labelText(partner.parent_labels, partner.parent_name) } : null,
    country: partner.country ?? '',
    city: partner.city ?? '',
    zone: partner.zone ?? zoneOfCountry(rules, partner.country),
    zoneTouched: partner.zone !== null && partner.zone !== zoneOfCountry(rules, partner.country),
    website: partner.website ?? '',
    status: partner.status,
    identifiers: partner.identifiers.map((i) => ({ key: key(), id: i.id, scheme: i.scheme, value: i.value })),
    tags: partner.tags.join(', '),
    notes: partner.notes ?? '',
  };
}

/** The label of each of the input's fields. */
const FIELD_LABELS: Record<string, string> = {
  names: 'partner.names',
  acronym: 'partner.acronym',
  kind: 'partner.kind',
  country: 'partner.country',
  city: 'partner.city',
  zone: 'partner.zone',
  website: 'partner.website',
  status: 'partner.status',
  identifiers: 'partner.identifiers',
  tags: 'partner.tags',
  notes: 'partner.notes',
};

export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[,，、;]/)
    .map((s) => s.trim())
    .filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
}

/** The input the core expects, and where each sent identifier sits in the form (empty rows are not sent). */
function inputOf(d: Draft): { input: PartnerInput; identIndex: number[] } {
  const identIndex: number[] = [];
  const identifiers = d.identifiers.flatMap((row, i) => {
    if (!row.value.trim()) return [];
    identIndex.push(i);
    return [{ ...(row.id ? { id: row.id } : {}), scheme: row.scheme, value: row.value.trim() }];
  });
  return {
    input: {
      names: d.names.map((n) => ({ ...(n.id ? { id: n.id } : {}), value: n.value.trim(), lang: n.lang.trim(), primary: n.primary })),
      acronym: blankToNull(d.acronym),
      kind: d.kind,
      parent_id: d.parent?.id ?? null,
      country: d.country || null,
      city: blankToNull(d.city),
      zone: d.zone,
      website: blankToNull(d.website),
      status: d.status,
      identifiers,
      tags: splitTags(d.tags),
      notes: blankToNull(d.notes),
    },
    identIndex,
  };
}

export function PartnerForm({ id }: { id?: string }) {
  const { back } = useRouter();
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['partner', id],
    queryFn: () => api.partnerGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  if (id && isPending) return <PageSkeleton />;
  if (id && (error || !data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />
      </div>
    );
  }
  return <PartnerFormBody partner={id ? data : undefined} />;
}

function PartnerFormBody({ partner }: { partner?: Partner }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { back } = useRouter();
  const uid = useId();
  const rules = useRules();
  const limits = rules.text_limits;
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(partner, lang === 'fr' ? 'fr' : 'en', rules));

  const countries = useMemo(() => {
    const known = rules.countries.map((c) => c.code);
    return countryOptions(lang, draft.country && !known.includes(draft.country) ? [...known, draft.country] : known);
  }, [lang, draft.country, rules]);

  const { errors: savedErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: PartnerInput) => (partner ? api.partnerUpdate(partner.id, input) : api.partnerCreate(input)),
    page: (saved) => ({ name: 'partner', id: saved.id }),
  });
  // The rows as they were saved: a row's errors follow it when rows above it are removed, and go with it.
  const [savedRows, setSavedRows] = useState<{ names: number[]; identifiers: number[] }>({ names: [], identifiers: [] });
  const errors = useMemo(
    () =>
      followRows(
        followRows(savedErrors, 'names', savedRows.names, draft.names.map((n) => n.key)),
        'identifiers',
        savedRows.identifiers,
        draft.identifiers.map((r) => r.key),
      ),
    [savedErrors, savedRows, draft.names, draft.identifiers],
  );
  const submit = () => {
    const { input, identIndex } = inputOf(draft);
    setSavedRows({ names: draft.names.map((n) => n.key), identifiers: draft.identifiers.map((r) => r.key) });
    return save(input, (fields) => remapIndex(fields, 'identifiers', identIndex));
  };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setName = (i: number, patch: Partial<NameRow>) =>
    setDraft((d) => ({
      ...d,
      names: d.names.map((n, j) => (j === i ? { ...n, ...patch } : patch.primary ? { ...n, primary: false } : n)),
    }));
  const removeName = (i: number) =>
    setDraft((d) => {
      const names = d.names.filter((_, j) => j !== i);
      if (names.length && !names.some((n) => n.primary)) names[0] = { ...names[0], primary: true };
      return { ...d, names };
    });
  // The row just added takes the focus (typing goes into it, not into the Add button).
  const focusRow = useRef<number | null>(null);
  const focusIfNew = (rowKey: number) => (el: HTMLElement | null) => {
    if (el && focusRow.current === rowKey) {
      focusRow.current = null;
      el.focus();
    }
  };
  const addName = () => {
    const row = { key: key(), value: '', lang: '', primary: false };
    focusRow.current = row.key;
    set('names', [...draft.names, row]);
  };
  const addIdent = () => {
    const row: IdentRow = { key: key(), scheme: 'ror', value: '' };
    focusRow.current = row.key;
    set('identifiers', [...draft.identifiers, row]);
  };
  const setIdent = (i: number, patch: Partial<IdentRow>) =>
    setDraft((d) => ({ ...d, identifiers: d.identifiers.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  // Paths with a place in the form; other errors are listed at the top.
  const placed = new Set([
    'names',
    'acronym',
    'kind',
    'parent_id',
    'country',
    'city',
    'zone',
    'website',
    'status',
    'tags',
    'notes',
    ...draft.names.flatMap((_, i) => [`names[${i}].value`, `names[${i}].lang`]),
    ...draft.identifiers.flatMap((_, i) => [`identifiers[${i}].value`, `identifiers[${i}].scheme`]),
  ]);
  // What the error banner calls a field: its label, a row by its number.
  const labelOf = (path: string): string | undefined => {
    const row = /^(names|identifiers)\[(\d+)\]\.(\w+)$/.exec(path);
    if (row) {
      const n = Number(row[2]) + 1;
      if (row[1] === 'names') return row[3] === 'lang' ? t('form.nameLang', { n }) : t('form.nameValue', { n });
      return row[3] === 'scheme' ? t('form.identifierScheme', { n }) : t('form.identifierValue', { n });
    }
    const top = path.replace(/\[.*$/, '');
    return top === 'parent_id' ? t('partner.parent') : top in FIELD_LABELS ? t(FIELD_LABELS[top]) : undefined;
  };
  const title = partner ? t('partner.editTitle', { name: labelText(partner.labels, partner.name) }) : t('partner.newTitle');
  const tagsPreview = splitTags(draft.tags);

  return (
    <FormPage
      title={title}
      testId="partner-form"
      submit={submit}
      cancel={back}
      dirty={dirty}
      failure={failure}
      onDismiss={() => setFailure(null)}
      errors={errors}
      placed={placed}
      labelOf={labelOf}
      saving={saving}
      focusOn={failure}
    >
      <FormSection title={t('partner.names')}>
        <div className="repeat" role="group" aria-label={t('partner.names')}>
          <datalist id={`${uid}-langs`}>
            {COMMON_LANGUAGE_TAGS.map((tag) => (
              <option key={tag} value={tag}>
                {languageName(tag, lang)}
              </option>
            ))}
          </datalist>
          {draft.names.map((n, i) => (
            <div className="repeat-row name-row" key={n.key}>
              <div className="repeat-cell grow">
                <label className="sr-only" htmlFor={`${uid}-name-${i}`}>
                  {t('form.nameValue', { n: i + 1 })}
                </label>
                <input
                  ref={focusIfNew(n.key)}
                  id={`${uid}-name-${i}`}
                  data-testid={`name-value-${i}`}
                  maxLength={limits.line}
                  className="input"
                  value={n.value}
                  placeholder={t('form.nameValue', { n: i + 1 })}
                  autoFocus={i === 0 && !partner}
                  {...invalidProps(`names[${i}].value`, errors)}
                  onChange={(e) => setName(i, { value: e.target.value })}
                />
                <FieldErrorText path={`names[${i}].value`} errors={errors} />
              </div>
              <div className="repeat-cell lang-cell">
                <label className="sr-only" htmlFor={`${uid}-lang-${i}`}>
                  {t('form.nameLang', { n: i + 1 })}
                </label>
                <input
                  id={`${uid}-lang-${i}`}
                  data-testid={`name-lang-${i}`}
                  maxLength={limits.line}
                  className="input mono"
                  list={`${uid}-langs`}
                  value={n.lang}
                  placeholder={t('form.langPlaceholder')}
                  spellCheck={false}
                  autoComplete="off"
                  {...invalidProps(`names[${i}].lang`, errors)}
                  onChange={(e) => setName(i, { lang: e.target.value })}
                />
                <FieldErrorText path={`names[${i}].lang`} errors={errors} />
              </div>
              <label className="radio">
                <input
                  type="radio"
                  name={`${uid}-primary`}
                  data-testid={`name-primary-${i}`}
                  checked={n.primary}
                  onChange={() => setName(i, { primary: true })}
                />
                <span>{t('form.namePrimary')}</span>
              </label>
              <button
                type="button"
                className="icon-btn"
                data-testid={`name-remove-${i}`}
                aria-label={t('form.removeName', { n: i + 1 })}
                title={t('form.removeName', { n: i + 1 })}
                disabled={draft.names.length <= 1}
                onClick={() => removeName(i)}
              >
                <IconX />
              </button>
            </div>
          ))}
          <FieldErrorText path="names" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="name-add"
              onClick={addName}
            >
              <IconPlus />
              {t('form.addName')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('form.general')}>
        <Field label={t('partner.acronym')} htmlFor={`${uid}-acronym`} path="acronym" errors={errors}>
          <input
            id={`${uid}-acronym`}
            data-testid="field-acronym"
            className="input input-short"
            value={draft.acronym}
            maxLength={limits.line}
            {...invalidProps('acronym', errors)}
            onChange={(e) => set('acronym', e.target.value)}
          />
        </Field>
        <Field label={t('partner.kind')} htmlFor={`${uid}-kind`} path="kind" errors={errors}>
          <select
            id={`${uid}-kind`}
            data-testid="field-kind"
            className="select"
            value={draft.kind}
            {...invalidProps('kind', errors)}
            onChange={(e) => set('kind', e.target.value as OrgKind)}
          >
            {rules.org_kinds.map((k) => (
              <option key={k} value={k}>
                {t(`enums.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('partner.status')} htmlFor={`${uid}-status`} path="status" errors={errors}>
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors)}
            onChange={(e) => set('status', e.target.value as PartnerStatus)}
          >
            {rules.partner_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`enums.status.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('partner.parent')}
          htmlFor={`${uid}-parent`}
          path="parent_id"
          errors={errors}
          hint={t('form.parentHint')}
          hintId={`${uid}-parent-hint`}
        >
          <PartnerPicker
            id={`${uid}-parent`}
            testId="field-parent"
            value={draft.parent}
            exclude={partner ? [partner.id] : []}
            invalid={Boolean(errors.parent_id)}
            describedBy={invalidProps('parent_id', errors, `${uid}-parent-hint`)['aria-describedby']}
            onChange={(v) => set('parent', v)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('form.location')}>
        <Field label={t('partner.country')} htmlFor={`${uid}-country`} path="country" errors={errors}>
          <select
            id={`${uid}-country`}
            data-testid="field-country"
            className="select"
            value={draft.country}
            {...invalidProps('country', errors)}
            onChange={(e) => {
              const country = e.target.value;
              setDraft((d) => ({ ...d, country, zone: d.zoneTouched ? d.zone : zoneOfCountry(rules, country) }));
            }}
          >
            <option value="">{t('form.countryNone')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('partner.city')} htmlFor={`${uid}-city`} path="city" errors={errors}>
          <input
            id={`${uid}-city`}
            data-testid="field-city"
            maxLength={limits.line}
            className="input"
            value={draft.city}
            {...invalidProps('city', errors)}
            onChange={(e) => set('city', e.target.value)}
          />
        </Field>
        <Field
          label={t('partner.zone')}
          htmlFor={`${uid}-zone`}
          path="zone"
          errors={errors}
          hint={!draft.zoneTouched && draft.country ? t('form.zoneSuggested') : undefined}
          hintId={`${uid}-zone-hint`}
        >
          <select
            id={`${uid}-zone`}
            data-testid="field-zone"
            className="select"
            value={draft.zone}
            {...invalidProps('zone', errors)}
            onChange={(e) => setDraft((d) => ({ ...d, zone: e.target.value as Zone, zoneTouched: true }))}
          >
            {rules.zones.map((z) => (
              <option key={z} value={z}>
                {t(`enums.zone.${z}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('partner.website')} htmlFor={`${uid}-website`} path="website" errors={errors}>
          <input
            id={`${uid}-website`}
            data-testid="field-website"
            maxLength={limits.website}
            className="input mono"
            type="text"
            inputMode="url"
            placeholder="https://"
            spellCheck={false}
            autoComplete="off"
            value={draft.website}
            {...invalidProps('website', errors)}
            onChange={(e) => set('website', e.target.value)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('form.registry')}>
        <div className="field">
          <span className="field-label" id={`${uid}-idents`}>
            {t('partner.identifiers')}
          </span>
          <div className="field-control repeat" role="group" aria-labelledby={`${uid}-idents`}>
            {draft.identifiers.length === 0 && <p className="muted small">{t('form.noIdentifiers')}</p>}
            {draft.identifiers.map((row, i) => (
              <div className="repeat-row" key={row.key}>
                <div className="repeat-cell scheme-cell">
                  <label className="sr-only" htmlFor={`${uid}-scheme-${i}`}>
                    {t('form.identifierScheme', { n: i + 1 })}
                  </label>
                  <select
                    id={`${uid}-scheme-${i}`}
                    data-testid={`ident-scheme-${i}`}
                    className="select"
                    value={row.scheme}
                    {...invalidProps(`identifiers[${i}].scheme`, errors)}
                    onChange={(e) => setIdent(i, { scheme: e.target.value as IdScheme })}
                  >
                    {rules.id_schemes.map((s) => (
                      <option key={s} value={s}>
                        {t(`enums.scheme.${s}`)}
                      </option>
                    ))}
                  </select>
                  <FieldErrorText path={`identifiers[${i}].scheme`} errors={errors} />
                </div>
                <div className="repeat-cell grow">
                  <label className="sr-only" htmlFor={`${uid}-ident-${i}`}>
                    {t('form.identifierValue', { n: i + 1 })}
                  </label>
                  <input
                    ref={focusIfNew(row.key)}
                    id={`${uid}-ident-${i}`}
                    data-testid={`ident-value-${i}`}
                    maxLength={limits.line}
                    className="input mono"
                    value={row.value}
                    placeholder={SCHEME_EXAMPLES[row.scheme]}
                    spellCheck={false}
                    autoComplete="off"
                    {...invalidProps(`identifiers[${i}].value`, errors)}
                    onChange={(e) => setIdent(i, { value: e.target.value })}
                  />
                  <FieldErrorText path={`identifiers[${i}].value`} errors={errors} />
                </div>
                <button
                  type="button"
                  className="icon-btn"
                  data-testid={`ident-remove-${i}`}
                  aria-label={t('form.removeIdentifier', { n: i + 1 })}
                  title={t('form.removeIdentifier', { n: i + 1 })}
                  onClick={() => set('identifiers', draft.identifiers.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            ))}
            <div>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid="ident-add"
                onClick={addIdent}
              >
                <IconPlus />
                {t('form.addIdentifier')}
              </button>
            </div>
          </div>
        </div>
        <Field
          label={t('partner.tags')}
          htmlFor={`${uid}-tags`}
          path="tags"
          errors={errors}
          hint={t('form.tagsHint')}
          hintId={`${uid}-tags-hint`}
        >
          <input
            id={`${uid}-tags`}
            data-testid="field-tags"
            maxLength={limits.items * (limits.tag + 2)}
            className="input"
            value={draft.tags}
            placeholder="erasmus, double-degree"
            {...invalidProps('tags', errors, `${uid}-tags-hint`)}
            onChange={(e) => set('tags', e.target.value)}
          />
          {tagsPreview.length > 0 && (
            <ul className="chips chips-preview" aria-hidden="true">
              {tagsPreview.map((tag) => (
                <li key={tag} className="chip">
                  {tag}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field label={t('partner.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
          <textarea
            id={`${uid}-notes`}
            data-testid="field-notes"
            maxLength={limits.notes}
            className="textarea"
            rows={5}
            value={draft.notes}
            {...invalidProps('notes', errors)}
            onChange={(e) => set('notes', e.target.value)}
          />
        </Field>
      </FormSection>

    </FormPage>
  );
}
