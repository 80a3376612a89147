import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import type { Contact } from '../../bindings/Contact';
import type { ContactInput } from '../../bindings/ContactInput';
import type { IpcError } from '../../bindings/IpcError';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { DateInput } from '../../components/DateInput';
import { Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker, type PickedPartner } from '../../components/PartnerPicker';
import { compact, items, rowKey, StringList, type Item } from '../../components/StringList';
import { api, toIpcError } from '../../ipc';
import { remapIndex } from '../../lib/errors';
import { blankToNull } from '../../lib/format';
import { COMMON_LANGUAGE_TAGS, languageName } from '../../lib/geo';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { useRouter } from '../../router';
import { useRules } from '../../lib/rules';
import { labelText } from '../../components/Name';

interface AffRow {
  key: number;
  id?: string;
  partner: PickedPartner | null;
  role: string;
  start: string;
  end: string;
}

interface Draft {
  title: string;
  given: string;
  family: string;
  native: string;
  emails: Item[];
  phones: Item[];
  languages: Item[];
  affiliations: AffRow[];
  notes: string;
}

const key = rowKey;

function draftOf(contact: Contact | undefined, preset: PickedPartner | null): Draft {
  return {
    title: contact?.title ?? '',
    given: contact?.given_name ?? '',
    family: contact?.family_name ?? '',
    native: contact?.native_name ?? '',
    emails: items(contact?.emails.length ? contact.emails : ['']),
    phones: items(contact?.phones.length ? contact.phones : ['']),
    languages: items(contact?.languages ?? []),
    affiliations: contact
      ? contact.affiliations_read.map((a) => ({
          key: key(),
          id: a.id,
          partner: { id: a.partner_id, name: labelText(a.partner_labels, a.partner_name) },
          role: a.role ?? '',
          start: a.start_date ?? '',
          end: a.end_date ?? '',
        }))
      : preset
        ? [{ key: key(), partner: preset, role: '', start: '', end: '' }]
        : [],
    notes: contact?.notes ?? '',
  };
}

function inputOf(d: Draft) {
  const emails = compact(d.emails);
  const phones = compact(d.phones);
  const languages = compact(d.languages);
  const affIndex: number[] = [];
  const affiliations = d.affiliations.flatMap((a, i) => {
    if (!a.partner && !a.role.trim() && !a.start && !a.end) return [];
    affIndex.push(i);
    return [
      {
        ...(a.id ? { id: a.id } : {}),
        partner_id: a.partner?.id ?? null,
        role: blankToNull(a.role),
        start_date: a.start || null,
        end_date: a.end || null,
      },
    ];
  });
  const input: ContactInput = {
    title: blankToNull(d.title),
    given_name: blankToNull(d.given),
    family_name: blankToNull(d.family),
    native_name: blankToNull(d.native),
    emails: emails.values,
    phones: phones.values,
    languages: languages.values,
    affiliations,
    notes: blankToNull(d.notes),
  };
  const remap = (fields: IpcError['fields']) =>
    remapIndex(
      remapIndex(remapIndex(remapIndex(fields, 'emails', emails.index), 'phones', phones.index), 'languages', languages.index),
      'affiliations',
      affIndex,
    );
  return { input, remap };
}

export function ContactForm({ id, partnerId }: { id?: string; partnerId?: string }) {
  const { back } = useRouter();
  const contact = useQuery({
    queryKey: ['contact', id],
    queryFn: () => api.contactGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  const preset = useQuery({
    queryKey: ['partner', partnerId],
    queryFn: () => api.partnerGet(partnerId as string),
    enabled: Boolean(partnerId),
  });
  if ((id && contact.isPending) || (partnerId && preset.isPending)) return <PageSkeleton />;
  if (id && (contact.error || !contact.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(contact.error)} onRetry={() => void contact.refetch()} />
      </div>
    );
  }
  const presetPartner = partnerId ? { id: partnerId, name: labelText(preset.data?.labels, preset.data?.name ?? null) } : null;
  return <ContactFormBody contact={id ? contact.data : undefined} preset={presetPartner} />;
}

function ContactFormBody({ contact, preset }: { contact?: Contact; preset: PickedPartner | null }) {
  const limits = useRules().text_limits;
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { back } = useRouter();
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(contact, preset));

  const { errors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: ContactInput) => (contact ? api.contactUpdate(contact.id, input) : api.contactCreate(input)),
    page: (saved) => ({ name: 'contact', id: saved.id }),
  });
  const submit = () => {
    const { input, remap } = inputOf(draft);
    return save(input, remap);
  };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setAff = (i: number, patch: Partial<AffRow>) =>
    setDraft((d) => ({ ...d, affiliations: d.affiliations.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));

  const placed = new Set([
    'title',
    'given_name',
    'family_name',
    'native_name',
    'notes',
    'emails',
    'phones',
    'languages',
    'affiliations',
    ...draft.emails.map((_, i) => `emails[${i}]`),
    ...draft.phones.map((_, i) => `phones[${i}]`),
    ...draft.languages.map((_, i) => `languages[${i}]`),
    ...draft.affiliations.flatMap((_, i) => [
      `affiliations[${i}].partner_id`,
      `affiliations[${i}].role`,
      `affiliations[${i}].start_date`,
      `affiliations[${i}].end_date`,
    ]),
  ]);
  const title = contact ? t('contact.editTitle', { name: contact.name || contact.native_name || '' }) : t('contact.newTitle');

  const text = (
    field: 'title' | 'given' | 'family' | 'native',
    path: string,
    label: string,
    testId: string,
    extra: { placeholder?: string; autoFocus?: boolean; className?: string } = {},
  ) => (
    <Field label={label} htmlFor={`${uid}-${field}`} path={path} errors={errors}>
      <input
        id={`${uid}-${field}`}
        data-testid={testId}
        maxLength={limits.line}
        className={`input ${extra.className ?? ''}`}
        value={draft[field]}
        placeholder={extra.placeholder}
        autoFocus={extra.autoFocus}
        {...invalidProps(path, errors)}
        onChange={(e) => set(field, e.target.value)}
      />
    </Field>
  );

  return (
    <FormPage
      title={title}
      testId="contact-form"
      submit={submit}
      cancel={back}
      dirty={dirty}
      failure={failure}
      onDismiss={() => setFailure(null)}
      errors={errors}
      placed={placed}
      saving={saving}
      focusOn={failure}
    >
      <FormSection title={t('contact.identity')}>
        {text('title', 'title', t('contact.title'), 'field-title', { placeholder: t('contact.titlePlaceholder'), className: 'input-short' })}
        {text('given', 'given_name', t('contact.givenName'), 'field-given-name', { autoFocus: !contact })}
        {text('family', 'family_name', t('contact.familyName'), 'field-family-name')}
        {text('native', 'native_name', t('contact.nativeName'), 'field-native-name', { placeholder: t('contact.nativePlaceholder') })}
      </FormSection>

      <FormSection title={t('contact.reach')}>
        <StringList
          maxLength={limits.line}
          uid={`${uid}-email`}
          label={t('contact.emails')}
          itemLabel={(n) => t('contact.email', { n })}
          addLabel={t('contact.addEmail')}
          path="emails"
          testId="email"
          list={draft.emails}
          errors={errors}
          inputType="email"
          onChange={(v) => set('emails', v)}
        />
        <StringList
          maxLength={limits.line}
          uid={`${uid}-phone`}
          label={t('contact.phones')}
          itemLabel={(n) => t('contact.phone', { n })}
          addLabel={t('contact.addPhone')}
          path="phones"
          testId="phone"
          list={draft.phones}
          errors={errors}
          inputType="tel"
          placeholder="+86 21 6564 2222"
          onChange={(v) => set('phones', v)}
        />
        <datalist id={`${uid}-langs`}>
          {COMMON_LANGUAGE_TAGS.map((tag) => (
            <option key={tag} value={tag}>
              {languageName(tag, lang)}
            </option>
          ))}
        </datalist>
        <StringList
          maxLength={limits.line}
          uid={`${uid}-language`}
          label={t('contact.languages')}
          itemLabel={(n) => t('contact.language', { n })}
          addLabel={t('contact.addLanguage')}
          path="languages"
          testId="language"
          list={draft.languages}
          errors={errors}
          datalist={`${uid}-langs`}
          placeholder={t('form.langPlaceholder')}
          describe={(v) => (v.trim() ? languageName(v.trim(), lang) : '')}
          onChange={(v) => set('languages', v)}
        />
      </FormSection>

      <FormSection title={t('contact.affiliations')}>
        <div className="repeat" role="group" aria-label={t('contact.affiliations')}>
          {draft.affiliations.length === 0 && <p className="muted small">{t('contact.noAffiliations')}</p>}
          {draft.affiliations.map((a, i) => {
            const p = `affiliations[${i}]`;
            return (
              <div className="aff-row" key={a.key} data-testid={`aff-${i}`}>
                <div className="aff-cell aff-org">
                  <label className="field-label" htmlFor={`${uid}-aff-org-${i}`}>
                    {t('contact.organisation')}
                  </label>
                  <PartnerPicker
                    id={`${uid}-aff-org-${i}`}
                    testId={`aff-partner-${i}`}
                    value={a.partner}
                    invalid={Boolean(errors[`${p}.partner_id`])}
                    describedBy={invalidProps(`${p}.partner_id`, errors)['aria-describedby']}
                    required
                    onChange={(v) => setAff(i, { partner: v })}
                  />
                  <FieldErrorText path={`${p}.partner_id`} errors={errors} />
                </div>
                <div className="aff-cell aff-role">
                  <label className="field-label" htmlFor={`${uid}-aff-role-${i}`}>
                    {t('contact.role')}
                  </label>
                  <input
                    id={`${uid}-aff-role-${i}`}
                    data-testid={`aff-role-${i}`}
                    maxLength={limits.line}
                    className="input"
                    value={a.role}
                    {...invalidProps(`${p}.role`, errors)}
                    onChange={(e) => setAff(i, { role: e.target.value })}
                  />
                  <FieldErrorText path={`${p}.role`} errors={errors} />
                </div>
                <div className="aff-cell aff-date">
                  <label className="field-label" htmlFor={`${uid}-aff-start-${i}`}>
                    {t('contact.startDate')}
                  </label>
                  <DateInput
                    id={`${uid}-aff-start-${i}`}
                    data-testid={`aff-start-${i}`}
                    value={a.start}
                    {...invalidProps(`${p}.start_date`, errors)}
                    onChange={(v) => setAff(i, { start: v })}
                  />
                  <FieldErrorText path={`${p}.start_date`} errors={errors} />
                </div>
                <div className="aff-cell aff-date">
                  <label className="field-label" htmlFor={`${uid}-aff-end-${i}`}>
                    {t('contact.endDate')}
                  </label>
                  <DateInput
                    id={`${uid}-aff-end-${i}`}
                    data-testid={`aff-end-${i}`}
                    value={a.end}
                    {...invalidProps(`${p}.end_date`, errors)}
                    onChange={(v) => setAff(i, { end: v })}
                  />
                  <FieldErrorText path={`${p}.end_date`} errors={errors} />
                </div>
                <button
                  type="button"
                  className="icon-btn aff-remove"
                  data-testid={`aff-remove-${i}`}
                  aria-label={t('contact.removeAffiliation', { n: i + 1 })}
                  title={t('contact.removeAffiliation', { n: i + 1 })}
                  onClick={() => set('affiliations', draft.affiliations.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            );
          })}
          <FieldErrorText path="affiliations" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="aff-add"
              onClick={() => set('affiliations', [...draft.affiliations, { key: key(), partner: null, role: '', start: '', end: '' }])}
            >
              <IconPlus />
              {t('contact.addAffiliation')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('contact.notes')}>
        <Field label={t('contact.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
