import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import type { Agreement } from '../../bindings/Agreement';
import type { AgreementInput } from '../../bindings/AgreementInput';
import type { AgreementKind } from '../../bindings/AgreementKind';
import type { AgreementStatus } from '../../bindings/AgreementStatus';
import type { Cefr } from '../../bindings/Cefr';
import type { FieldError } from '../../bindings/FieldError';
import type { Level } from '../../bindings/Level';
import type { MobilityType } from '../../bindings/MobilityType';
import type { Rules } from '../../bindings/Rules';
import { AgreementPicker } from '../../components/AgreementPicker';
import { ContactPicker } from '../../components/ContactPicker';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { DateInput } from '../../components/DateInput';
import { DateField, Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker } from '../../components/PartnerPicker';
import type { Picked } from '../../components/SearchPicker';
import { compact, items, rowKey, StringList, type Item } from '../../components/StringList';
import { YearInput } from '../../components/YearInput';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { api, toIpcError } from '../../ipc';
import { useRules } from '../../lib/rules';
import { remapIndex, type FieldErrors } from '../../lib/errors';
import { FieldOptions, useFieldHint } from '../../lib/fields';
import { blankToNull, toInt } from '../../lib/format';
import { COMMON_LANGUAGE_TAGS, languageName } from '../../lib/geo';
import { useRouter } from '../../router';
import { labelText } from '../../components/Name';

interface PartyRow {
  key: number;
  id?: string;
  partner: Picked | null;
  unit: Picked | null;
  role: string;
  signatory: Picked | null;
  signed: string;
}

interface LangRow {
  key: number;
  lang: string;
  cefr: Cefr;
}

interface ConditionRow {
  key: number;
  id?: string;
  mobility: MobilityType;
  /** Partner ids, among the parties (empty: none chosen). */
  sending: string;
  receiving: string;
  places: string;
  months: string;
  levels: Level[];
  languages: LangRow[];
  first: string;
  last: string;
}

interface Draft {
  code: string;
  title: string;
  kind: AgreementKind;
  status: AgreementStatus;
  signed: string;
  start: string;
  end: string;
  autoRenewal: boolean;
  notice: string;
  fields: Item[];
  parties: PartyRow[];
  conditions: ConditionRow[];
  parent: Picked | null;
  notes: string;
}

const emptyParty = (partner: Picked | null = null): PartyRow => ({
  key: rowKey(),
  partner,
  unit: null,
  role: '',
  signatory: null,
  signed: '',
});

const emptyCondition = (): ConditionRow => ({
  key: rowKey(),
  mobility: 'student_study',
  sending: '',
  receiving: '',
  places: '',
  months: '',
  levels: [],
  languages: [],
  first: '',
  last: '',
});

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function draftOf(agreement: Agreement | undefined, presetPartner: Picked | null, presetParent: Picked | null): Draft {
  if (!agreement) {
    return {
      code: '',
      title: '',
      kind: presetParent ? 'student_exchange' : 'framework',
      status: 'negotiation',
      signed: '',
      start: '',
      end: '',
      autoRenewal: false,
      notice: '',
      fields: [],
      // Two parties at least: the form starts with two rows.
      parties: [emptyParty(presetPartner), emptyParty()],
      conditions: [],
      parent: presetParent,
      notes: '',
    };
  }
  const parties = agreement.parties_read.map(
    (p): PartyRow => ({
      key: rowKey(),
      id: p.id,
      partner: p.partner_id ? { id: p.partner_id, name: labelText(p.partner_labels, p.partner_name) } : null,
      unit: p.unit_id ? { id: p.unit_id, name: labelText(p.unit_labels, p.unit_name) } : null,
      role: p.role ?? '',
      signatory: p.signatory_id ? { id: p.signatory_id, name: p.signatory_name } : null,
      signed: p.signed_date ?? '',
    }),
  );
  while (parties.length < 2) parties.push(emptyParty());
  return {
    code: agreement.code ?? '',
    title: agreement.title,
    kind: agreement.kind,
    status: agreement.status,
    signed: agreement.signed_date ?? '',
    start: agreement.start_date ?? '',
    end: agreement.end_date ?? '',
    autoRenewal: agreement.auto_renewal,
    notice: text(agreement.notice_months),
    fields: items(agreement.fields),
    parties,
    conditions: agreement.conditions_read.map((c) => ({
      key: rowKey(),
      id: c.id,
      mobility: c.mobility,
      sending: c.sending_id ?? '',
      receiving: c.receiving_id ?? '',
      places: text(c.places),
      months: text(c.months),
      levels: c.levels,
      languages: c.languages.map((l) => ({ key: rowKey(), lang: l.lang, cefr: l.cefr })),
      first: text(c.first_year),
      last: text(c.last_year),
    })),
    parent: agreement.parent_id ? { id: agreement.parent_id, name: agreement.parent_title } : null,
    notes: agreement.notes ?? '',
  };
}

/** The input the core expects, and how to map its error paths back to the form's rows. */
function inputOf(d: Draft, rules: Rules): { input: AgreementInput; remap: (errors: FieldError[]) => FieldError[] } {
  const fieldCodes = compact(d.fields);
  // Empty language rows are not sent: per condition, the form index of each language sent.
  const langIndex: number[][] = [];
  const input: AgreementInput = {
    code: blankToNull(d.code),
    title: d.title.trim(),
    kind: d.kind,
    parent_id: d.parent?.id ?? null,
    status: d.status,
    signed_date: d.signed || null,
    start_date: d.start || null,
    end_date: d.end || null,
    auto_renewal: d.autoRenewal,
    notice_months: toInt(d.notice),
    fields: fieldCodes.values,
    // Every party row is sent, empty ones too: the core says which one lacks its organisation.
    parties: d.parties.map((p) => ({
      ...(p.id ? { id: p.id } : {}),
      partner_id: p.partner?.id ?? null,
      unit_id: p.unit?.id ?? null,
      role: blankToNull(p.role),
      signatory_id: p.signatory?.id ?? null,
      signed_date: p.signed || null,
    })),
    conditions: d.conditions.map((c) => {
      const index: number[] = [];
      const languages = c.languages.flatMap((l, j) => {
        if (!l.lang.trim()) return [];
        index.push(j);
        return [{ lang: l.lang.trim(), cefr: l.cefr }];
      });
      langIndex.push(index);
      return {
        ...(c.id ? { id: c.id } : {}),
        mobility: c.mobility,
        sending_id: c.sending || null,
        receiving_id: c.receiving || null,
        places: toInt(c.places),
        months: toInt(c.months),
        levels: rules.levels.filter((l) => c.levels.includes(l)),
        languages,
        first_year: toInt(c.first),
        last_year: toInt(c.last),
      };
    }),
    notes: blankToNull(d.notes),
  };
  const langPath = /^conditions\[(\d+)\]\.languages\[(\d+)\]/;
  const remap = (errors: FieldError[]) =>
    remapIndex(errors, 'fields', fieldCodes.index).map((f) => {
      const m = langPath.exec(f.field);
      const formJ = m ? langIndex[Number(m[1])]?.[Number(m[2])] : undefined;
      const moved = m && formJ !== undefined ? { ...f, field: f.field.replace(langPath, `conditions[${m[1]}].languages[${formJ}]`) } : f;
      // Codes whose generic text speaks of something else (organisations, dates): said for agreements.
      if (moved.code === 'cycle' && moved.field === 'parent_id') return { ...moved, code: 'agreement_cycle' };
      if (moved.code === 'end_before_start' && moved.field.endsWith('.last_year')) return { ...moved, code: 'last_before_first' };
      return moved;
    });
  return { input, remap };
}

export function AgreementForm({ id, partnerId, parentId }: { id?: string; partnerId?: string; parentId?: string }) {
  const { back } = useRouter();
  const agreement = useQuery({
    queryKey: ['agreement', id],
    queryFn: () => api.agreementGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  const partner = useQuery({
    queryKey: ['partner', partnerId],
    queryFn: () => api.partnerGet(partnerId as string),
    enabled: Boolean(partnerId),
  });
  const parent = useQuery({
    queryKey: ['agreement', parentId],
    queryFn: () => api.agreementGet(parentId as string),
    enabled: Boolean(parentId),
  });
  if ((id && agreement.isPending) || (partnerId && partner.isPending) || (parentId && parent.isPending)) return <PageSkeleton />;
  if (id && (agreement.error || !agreement.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(agreement.error)} onRetry={() => void agreement.refetch()} />
      </div>
    );
  }
  return (
    <AgreementFormBody
      agreement={id ? agreement.data : undefined}
      presetPartner={partnerId ? { id: partnerId, name: labelText(partner.data?.labels, partner.data?.name ?? null) } : null}
      presetParent={parentId ? { id: parentId, name: parent.data?.title ?? null } : null}
    />
  );
}

function AgreementFormBody({
  agreement,
  presetPartner,
  presetParent,
}: {
  agreement?: Agreement;
  presetPartner: Picked | null;
  presetParent: Picked | null;
}) {
  const rules = useRules();
  const limits = rules.text_limits;
  const fieldHint = useFieldHint();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { back } = useRouter();
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(agreement, presetPartner, presetParent));

  const { errors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: AgreementInput) => (agreement ? api.agreementUpdate(agreement.id, input) : api.agreementCreate(input)),
    page: (saved) => ({ name: 'agreement', id: saved.id }),
  });
  const submit = () => {
    const { input, remap } = inputOf(draft, rules);
    return save(input, remap);
  };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setParty = (i: number, patch: Partial<PartyRow>) =>
    setDraft((d) => ({ ...d, parties: d.parties.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const setCondition = (i: number, patch: Partial<ConditionRow>) =>
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));

  // The organisations a condition can name: the parties chosen above.
  const partyChoices = draft.parties.flatMap((p) => (p.partner ? [{ id: p.partner.id, name: p.partner.name ?? t('common.pendingSync') }] : []));
  const choicesFor = (current: string) => {
    const seen = new Set<string>();
    const list = partyChoices.filter((c) => !seen.has(c.id) && seen.add(c.id));
    if (current && !seen.has(current)) {
      const known = agreement?.conditions_read.flatMap((c) => [
        { id: c.sending_id, name: labelText(c.sending_labels, c.sending_name) },
        { id: c.receiving_id, name: labelText(c.receiving_labels, c.receiving_name) },
      ]);
      const name = known?.find((k) => k.id === current)?.name;
      list.push({ id: current, name: t('agreement.notAParty', { name: name ?? t('common.pendingSync') }) });
    }
    return list;
  };

  const placed = new Set([
    'code',
    'title',
    'kind',
    'status',
    'parent_id',
    'signed_date',
    'start_date',
    'end_date',
    'auto_renewal',
    'notice_months',
    'notes',
    'fields',
    'parties',
    'conditions',
    ...draft.fields.map((_, i) => `fields[${i}]`),
    ...draft.parties.flatMap((_, i) =>
      ['partner_id', 'unit_id', 'role', 'signatory_id', 'signed_date'].map((f) => `parties[${i}].${f}`),
    ),
    ...draft.conditions.flatMap((c, i) => [
      ...['mobility', 'sending_id', 'receiving_id', 'places', 'months', 'levels', 'languages', 'first_year', 'last_year'].map(
        (f) => `conditions[${i}].${f}`,
      ),
      ...c.languages.flatMap((_, j) => [`conditions[${i}].languages[${j}].lang`, `conditions[${i}].languages[${j}].cefr`]),
    ]),
  ]);
  const title = agreement ? t('agreement.editTitle', { name: agreement.title }) : t('agreement.newTitle');

  return (
    <FormPage
      title={title}
      testId="agreement-form"
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
      <FormSection title={t('form.general')}>
        <Field label={t('agreement.title')} htmlFor={`${uid}-title`} path="title" errors={errors} required>
          <input
            id={`${uid}-title`}
            data-testid="field-title"
            maxLength={limits.line}
            className="input"
            value={draft.title}
            autoFocus={!agreement}
            aria-required="true"
            {...invalidProps('title', errors)}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label={t('agreement.code')} htmlFor={`${uid}-code`} path="code" errors={errors} hint={t('agreement.codeHint')} hintId={`${uid}-code-hint`}>
          <input
            id={`${uid}-code`}
            data-testid="field-code"
            maxLength={limits.line}
            className="input input-short mono"
            value={draft.code}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('code', errors, `${uid}-code-hint`)}
            onChange={(e) => set('code', e.target.value)}
          />
        </Field>
        <Field label={t('agreement.kind')} htmlFor={`${uid}-kind`} path="kind" errors={errors}>
          <select
            id={`${uid}-kind`}
            data-testid="field-kind"
            className="select"
            value={draft.kind}
            {...invalidProps('kind', errors)}
            onChange={(e) => set('kind', e.target.value as AgreementKind)}
          >
            {rules.agreement_kinds.map((k) => (
              <option key={k} value={k}>
                {t(`enums.agreementKind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('agreement.status')}
          htmlFor={`${uid}-status`}
          path="status"
          errors={errors}
          hint={t('agreement.statusHint')}
          hintId={`${uid}-status-hint`}
        >
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors, `${uid}-status-hint`)}
            onChange={(e) => set('status', e.target.value as AgreementStatus)}
          >
            {rules.agreement_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`enums.agreementStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('agreement.parent')}
          htmlFor={`${uid}-parent`}
          path="parent_id"
          errors={errors}
          hint={t('agreement.parentHint')}
          hintId={`${uid}-parent-hint`}
        >
          <AgreementPicker
            id={`${uid}-parent`}
            testId="field-parent"
            value={draft.parent}
            exclude={agreement ? [agreement.id] : []}
            invalid={Boolean(errors.parent_id)}
            describedBy={invalidProps('parent_id', errors, `${uid}-parent-hint`)['aria-describedby']}
            onChange={(v) => set('parent', v)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('agreement.datesSection')}>
        <DateField uid={uid} name="signed" path="signed_date" label={t('agreement.signedDate')} testId="field-signed-date" value={draft.signed} errors={errors} onChange={(v) => set('signed', v)} />
        <DateField uid={uid} name="start" path="start_date" label={t('agreement.startDate')} testId="field-start-date" value={draft.start} errors={errors} onChange={(v) => set('start', v)} />
        <DateField uid={uid} name="end" path="end_date" label={t('agreement.endDate')} testId="field-end-date" value={draft.end} errors={errors} onChange={(v) => set('end', v)} />
        <Field label={t('agreement.autoRenewal')} htmlFor={`${uid}-renewal`} path="auto_renewal" errors={errors}>
          <label className="checkbox">
            <input
              id={`${uid}-renewal`}
              type="checkbox"
              data-testid="field-auto-renewal"
              checked={draft.autoRenewal}
              {...invalidProps('auto_renewal', errors)}
              onChange={(e) => set('autoRenewal', e.target.checked)}
            />
            <span>{t('agreement.autoRenewalText')}</span>
          </label>
        </Field>
        <Field label={t('agreement.noticeMonths')} htmlFor={`${uid}-notice`} path="notice_months" errors={errors}>
          <input
            id={`${uid}-notice`}
            data-testid="field-notice"
            className="input input-number"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={draft.notice}
            {...invalidProps('notice_months', errors)}
            onChange={(e) => set('notice', e.target.value)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('agreement.fields')}>
        <FieldOptions id={`${uid}-fields`} />
        <p className="muted small">{t('agreement.fieldsHint')}</p>
        <StringList
          maxLength={limits.line}
          uid={`${uid}-field`}
          label={t('agreement.fields')}
          itemLabel={(n) => t('agreement.field', { n })}
          addLabel={t('agreement.addField')}
          path="fields"
          testId="agreement-field"
          list={draft.fields}
          errors={errors}
          datalist={`${uid}-fields`}
          placeholder="0731, health"
          describe={fieldHint}
          onChange={(v) => set('fields', v)}
        />
      </FormSection>

      <FormSection title={t('agreement.parties')}>
        <div className="repeat" role="group" aria-label={t('agreement.parties')}>
          {draft.parties.map((p, i) => {
            const path = `parties[${i}]`;
            return (
              <div className="sub-row" key={p.key} data-testid={`party-${i}`}>
                <div className="sub-grid">
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-party-org-${i}`}>
                      {t('agreement.partyOrganisation', { n: i + 1 })}
                      <span className="required" aria-hidden="true">
                        {' '}
                        *
                      </span>
                    </label>
                    <PartnerPicker
                      id={`${uid}-party-org-${i}`}
                      testId={`party-partner-${i}`}
                      value={p.partner}
                      required
                      invalid={Boolean(errors[`${path}.partner_id`])}
                      describedBy={invalidProps(`${path}.partner_id`, errors)['aria-describedby']}
                      onChange={(v) => setParty(i, { partner: v })}
                    />
                    <FieldErrorText path={`${path}.partner_id`} errors={errors} />
                  </div>
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-party-unit-${i}`}>
                      {t('agreement.unitOptional')}
                    </label>
                    <PartnerPicker
                      id={`${uid}-party-unit-${i}`}
                      testId={`party-unit-${i}`}
                      value={p.unit}
                      placeholder={t('agreement.unitPlaceholder')}
                      invalid={Boolean(errors[`${path}.unit_id`])}
                      describedBy={invalidProps(`${path}.unit_id`, errors)['aria-describedby']}
                      onChange={(v) => setParty(i, { unit: v })}
                    />
                    <FieldErrorText path={`${path}.unit_id`} errors={errors} />
                  </div>
                  <div className="aff-cell">
                    <label className="field-label" htmlFor={`${uid}-party-role-${i}`}>
                      {t('agreement.role')}
                    </label>
                    <input
                      id={`${uid}-party-role-${i}`}
                      data-testid={`party-role-${i}`}
                      maxLength={limits.line}
                      className="input"
                      value={p.role}
                      placeholder={t('agreement.rolePlaceholder')}
                      {...invalidProps(`${path}.role`, errors)}
                      onChange={(e) => setParty(i, { role: e.target.value })}
                    />
                    <FieldErrorText path={`${path}.role`} errors={errors} />
                  </div>
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-party-signatory-${i}`}>
                      {t('agreement.signatory')}
                    </label>
                    <ContactPicker
                      id={`${uid}-party-signatory-${i}`}
                      testId={`party-signatory-${i}`}
                      value={p.signatory}
                      invalid={Boolean(errors[`${path}.signatory_id`])}
                      describedBy={invalidProps(`${path}.signatory_id`, errors)['aria-describedby']}
                      onChange={(v) => setParty(i, { signatory: v })}
                    />
                    <FieldErrorText path={`${path}.signatory_id`} errors={errors} />
                  </div>
                  <div className="aff-cell">
                    <label className="field-label" htmlFor={`${uid}-party-signed-${i}`}>
                      {t('agreement.signedDate')}
                    </label>
                    <DateInput
                      id={`${uid}-party-signed-${i}`}
                      data-testid={`party-signed-${i}`}
                      value={p.signed}
                      {...invalidProps(`${path}.signed_date`, errors)}
                      onChange={(v) => setParty(i, { signed: v })}
                    />
                    <FieldErrorText path={`${path}.signed_date`} errors={errors} />
                  </div>
                </div>
                <button
                  type="button"
                  className="icon-btn"
                  data-testid={`party-remove-${i}`}
                  aria-label={t('agreement.removeParty', { n: i + 1 })}
                  title={t('agreement.removeParty', { n: i + 1 })}
                  disabled={draft.parties.length <= 2}
                  onClick={() => set('parties', draft.parties.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            );
          })}
          <FieldErrorText path="parties" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="party-add"
              onClick={() => set('parties', [...draft.parties, emptyParty()])}
            >
              <IconPlus />
              {t('agreement.addParty')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('agreement.conditions')}>
        <datalist id={`${uid}-langs`}>
          {COMMON_LANGUAGE_TAGS.map((tag) => (
            <option key={tag} value={tag}>
              {languageName(tag, lang)}
            </option>
          ))}
        </datalist>
        <div className="repeat" role="group" aria-label={t('agreement.conditions')}>
          {draft.conditions.length === 0 && <p className="muted small">{t('agreement.noConditions')}</p>}
          {draft.conditions.map((c, i) => (
            <ConditionEditor
              key={c.key}
              uid={uid}
              index={i}
              row={c}
              errors={errors}
              sendingChoices={choicesFor(c.sending)}
              receivingChoices={choicesFor(c.receiving)}
              langList={`${uid}-langs`}
              onChange={(patch) => setCondition(i, patch)}
              onRemove={() => set('conditions', draft.conditions.filter((_, j) => j !== i))}
            />
          ))}
          <FieldErrorText path="conditions" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="condition-add"
              onClick={() => set('conditions', [...draft.conditions, emptyCondition()])}
            >
              <IconPlus />
              {t('agreement.addCondition')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('agreement.notes')}>
        <Field label={t('agreement.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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

function ConditionEditor({
  uid,
  index: i,
  row: c,
  errors,
  sendingChoices,
  receivingChoices,
  langList,
  onChange,
  onRemove,
}: {
  uid: string;
  index: number;
  row: ConditionRow;
  errors: FieldErrors;
  sendingChoices: { id: string; name: string }[];
  receivingChoices: { id: string; name: string }[];
  langList: string;
  onChange: (patch: Partial<ConditionRow>) => void;
  onRemove: () => void;
}) {
  const rules = useRules();
  const limits = rules.text_limits;
  const { t, i18n } = useTranslation();
  const path = `conditions[${i}]`;
  const id = (what: string) => `${uid}-cond-${what}-${i}`;
  const partySelect = (side: 'sending' | 'receiving', choices: { id: string; name: string }[]) => {
    const p = `${path}.${side}_id`;
    return (
      <div className="aff-cell span-2">
        <label className="field-label" htmlFor={id(side)}>
          {t(`agreement.${side}`)}
        </label>
        <select
          id={id(side)}
          data-testid={`condition-${side}-${i}`}
          className="select"
          value={c[side]}
          {...invalidProps(p, errors)}
          onChange={(e) => onChange(side === 'sending' ? { sending: e.target.value } : { receiving: e.target.value })}
        >
          <option value="">{choices.length ? t('agreement.chooseParty') : t('agreement.choosePartiesFirst')}</option>
          {choices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        <FieldErrorText path={p} errors={errors} />
      </div>
    );
  };
  const numberCell = (what: 'places' | 'months', label: string) => {
    const p = `${path}.${what}`;
    return (
      <div className="aff-cell">
        <label className="field-label" htmlFor={id(what)}>
          {label}
        </label>
        <input
          id={id(what)}
          data-testid={`condition-${what}-${i}`}
          className="input input-number"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={c[what]}
          {...invalidProps(p, errors)}
          onChange={(e) => onChange(what === 'places' ? { places: e.target.value } : { months: e.target.value })}
        />
        <FieldErrorText path={p} errors={errors} />
      </div>
    );
  };
  const yearCell = (what: 'first' | 'last', p: string, label: string) => (
    <div className="aff-cell span-2">
      <label className="field-label" htmlFor={id(what)}>
        {label}
      </label>
      <YearInput id={id(what)} testId={`condition-${what}-${i}`} value={c[what]} path={p} errors={errors} onChange={(v) => onChange(what === 'first' ? { first: v } : { last: v })} />
      <FieldErrorText path={p} errors={errors} />
    </div>
  );
  const setLang = (j: number, patch: Partial<LangRow>) => onChange({ languages: c.languages.map((l, k) => (k === j ? { ...l, ...patch } : l)) });

  return (
    <div className="sub-row condition-row" data-testid={`condition-${i}`} role="group" aria-label={t('agreement.conditionN', { n: i + 1 })}>
      <div className="sub-grid">
        <div className="aff-cell span-2">
          <label className="field-label" htmlFor={id('mobility')}>
            {t('agreement.mobility')}
          </label>
          <select
            id={id('mobility')}
            data-testid={`condition-mobility-${i}`}
            className="select"
            value={c.mobility}
            {...invalidProps(`${path}.mobility`, errors)}
            onChange={(e) => onChange({ mobility: e.target.value as MobilityType })}
          >
            {rules.mobility_types.map((m) => (
              <option key={m} value={m}>
                {t(`enums.mobility.${m}`)}
              </option>
            ))}
          </select>
          <FieldErrorText path={`${path}.mobility`} errors={errors} />
        </div>
        {numberCell('places', t('agreement.placesPerYear'))}
        {numberCell('months', t('agreement.monthsPerYear'))}
        {partySelect('sending', sendingChoices)}
        {partySelect('receiving', receivingChoices)}
        {yearCell('first', `${path}.first_year`, t('agreement.firstYear'))}
        {yearCell('last', `${path}.last_year`, t('agreement.lastYear'))}
        <fieldset className="aff-cell span-all levels" aria-describedby={errors[`${path}.levels`] ? `error-${path}.levels` : undefined}>
          <legend className="field-label">{t('agreement.levels')}</legend>
          <div className="checks">
            {rules.levels.map((level) => (
              <label key={level} className="checkbox">
                <input
                  type="checkbox"
                  data-testid={`condition-level-${i}-${level}`}
                  checked={c.levels.includes(level)}
                  onChange={(e) =>
                    onChange({ levels: e.target.checked ? [...c.levels, level] : c.levels.filter((l) => l !== level) })
                  }
                />
                <span>{t(`enums.level.${level}`)}</span>
              </label>
            ))}
          </div>
          <FieldErrorText path={`${path}.levels`} errors={errors} />
        </fieldset>
        <div className="aff-cell span-all">
          <span className="field-label" id={id('langs')}>
            {t('agreement.languages')}
          </span>
          <div className="repeat" role="group" aria-labelledby={id('langs')}>
            {c.languages.map((l, j) => {
              const lp = `${path}.languages[${j}]`;
              const described = l.lang.trim() ? languageName(l.lang.trim(), i18n.language) : '';
              return (
                <div className="repeat-row" key={l.key}>
                  <div className="repeat-cell lang-cell">
                    <label className="sr-only" htmlFor={id(`lang-${j}`)}>
                      {t('agreement.language', { n: j + 1 })}
                    </label>
                    <input
                      id={id(`lang-${j}`)}
                      data-testid={`condition-lang-${i}-${j}`}
                      maxLength={limits.line}
                      className="input mono"
                      list={langList}
                      value={l.lang}
                      placeholder={t('form.langPlaceholder')}
                      spellCheck={false}
                      autoComplete="off"
                      {...invalidProps(`${lp}.lang`, errors)}
                      onChange={(e) => setLang(j, { lang: e.target.value })}
                    />
                    <FieldErrorText path={`${lp}.lang`} errors={errors} />
                  </div>
                  <div className="repeat-cell">
                    <label className="sr-only" htmlFor={id(`cefr-${j}`)}>
                      {t('agreement.cefrOf', { n: j + 1 })}
                    </label>
                    <select
                      id={id(`cefr-${j}`)}
                      data-testid={`condition-cefr-${i}-${j}`}
                      className="select"
                      value={l.cefr}
                      {...invalidProps(`${lp}.cefr`, errors)}
                      onChange={(e) => setLang(j, { cefr: e.target.value as Cefr })}
                    >
                      {rules.cefrs.map((x) => (
                        <option key={x} value={x}>
                          {t('agreement.minLevel', { level: x })}
                        </option>
                      ))}
                    </select>
                    <FieldErrorText path={`${lp}.cefr`} errors={errors} />
                  </div>
                  {described && described !== l.lang.trim() && <span className="muted small inline-hint">{described}</span>}
                  <button
                    type="button"
                    className="icon-btn"
                    data-testid={`condition-lang-remove-${i}-${j}`}
                    aria-label={t('contact.removeItem', { what: t('agreement.language', { n: j + 1 }) })}
                    title={t('contact.removeItem', { what: t('agreement.language', { n: j + 1 }) })}
                    onClick={() => onChange({ languages: c.languages.filter((_, k) => k !== j) })}
                  >
                    <IconX />
                  </button>
                </div>
              );
            })}
            <FieldErrorText path={`${path}.languages`} errors={errors} />
            <div>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid={`condition-lang-add-${i}`}
                onClick={() => onChange({ languages: [...c.languages, { key: rowKey(), lang: '', cefr: 'B2' }] })}
              >
                <IconPlus />
                {t('agreement.addLanguage')}
              </button>
            </div>
          </div>
        </div>
      </div>
      <button
        type="button"
        className="icon-btn"
        data-testid={`condition-remove-${i}`}
        aria-label={t('agreement.removeCondition', { n: i + 1 })}
        title={t('agreement.removeCondition', { n: i + 1 })}
        onClick={onRemove}
      >
        <IconX />
      </button>
    </div>
  );
}
