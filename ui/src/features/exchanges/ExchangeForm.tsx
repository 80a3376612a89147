import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Cefr } from '../../bindings/Cefr';
import type { Direction } from '../../bindings/Direction';
import type { Exchange } from '../../bindings/Exchange';
import type { ExchangeCategory } from '../../bindings/ExchangeCategory';
import type { ExchangeInput } from '../../bindings/ExchangeInput';
import type { ExchangeStatus } from '../../bindings/ExchangeStatus';
import type { Level } from '../../bindings/Level';
import type { Programme } from '../../bindings/Programme';
import { AgreementPicker } from '../../components/AgreementPicker';
import { ContactPicker } from '../../components/ContactPicker';
import { NewPerson } from '../../components/NewPerson';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { DateField, Field, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { PartnerPicker } from '../../components/PartnerPicker';
import type { Picked } from '../../components/SearchPicker';
import { YearInput } from '../../components/YearInput';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { api, toIpcError } from '../../ipc';
import { COMMON_CURRENCIES, COMMON_FUNDINGS } from '../../lib/enums';
import { useRules } from '../../lib/rules';
import type { FieldErrors } from '../../lib/errors';
import { FieldOptions, useFieldHint } from '../../lib/fields';
import { parseMajor, blankToNull, minorToMajorText, toInt } from '../../lib/format';
import { COMMON_LANGUAGE_TAGS, languageName } from '../../lib/geo';
import { useRouter } from '../../router';
import { conditionLabel, yearsText } from '../../lib/agreements';
import { labelText } from '../../components/Name';

interface Draft {
  person: Picked | null;
  direction: Direction;
  category: ExchangeCategory;
  programme: Programme;
  home: Picked | null;
  host: Picked | null;
  unit: Picked | null;
  agreement: Picked | null;
  condition: string;
  year: string;
  plannedStart: string;
  plannedEnd: string;
  actualStart: string;
  actualEnd: string;
  level: Level | '';
  field: string;
  language: string;
  cefr: Cefr | '';
  funding: string;
  /** In major units, as typed ("1500.50"). */
  amount: string;
  currency: string;
  status: ExchangeStatus;
  cohort: string;
  notes: string;
}

const picked = (id: string | null, name: string | null): Picked | null => (id ? { id, name } : null);

function draftOf(e: Exchange | undefined, person: Picked | null, agreement: Picked | null): Draft {
  return {
    person: e ? picked(e.person_id, e.person_name) : person,
    direction: e?.direction ?? 'incoming',
    category: e?.category ?? 'student',
    programme: e?.programme ?? 'agreement',
    home: e ? picked(e.home_id, labelText(e.home_labels, e.home_name)) : null,
    host: e ? picked(e.host_id, labelText(e.host_labels, e.host_name)) : null,
    unit: e ? picked(e.unit_id, labelText(e.unit_labels, e.unit_name)) : null,
    agreement: e ? picked(e.agreement_id, e.agreement_title) : agreement,
    condition: e?.condition_id ?? '',
    year: e?.academic_year != null ? String(e.academic_year) : '',
    plannedStart: e?.planned_start ?? '',
    plannedEnd: e?.planned_end ?? '',
    actualStart: e?.actual_start ?? '',
    actualEnd: e?.actual_end ?? '',
    level: e?.level ?? '',
    field: e?.field ?? '',
    language: e?.language ?? '',
    cefr: e?.cefr ?? '',
    funding: e?.funding ?? '',
    amount: minorToMajorText(e?.amount, e?.currency),
    currency: e?.currency ?? '',
    status: e?.status ?? 'applied',
    cohort: e?.cohort ?? '',
    notes: e?.notes ?? '',
  };
}

/** The input the core expects; `amount` undefined when the typed amount is not one. */
function inputOf(d: Draft): { input: ExchangeInput; amountValid: boolean } {
  const currency = blankToNull(d.currency)?.toUpperCase() ?? null;
  const amount = parseMajor(d.amount, currency);
  return {
    amountValid: amount !== undefined,
    input: {
      person_id: d.person?.id ?? null,
      direction: d.direction,
      category: d.category,
      programme: d.programme,
      home_id: d.home?.id ?? null,
      host_id: d.host?.id ?? null,
      unit_id: d.unit?.id ?? null,
      agreement_id: d.agreement?.id ?? null,
      condition_id: d.agreement ? d.condition || null : null,
      academic_year: toInt(d.year),
      planned_start: d.plannedStart || null,
      planned_end: d.plannedEnd || null,
      actual_start: d.actualStart || null,
      actual_end: d.actualEnd || null,
      level: d.level || null,
      field: blankToNull(d.field),
      language: blankToNull(d.language),
      cefr: d.cefr || null,
      funding: blankToNull(d.funding),
      amount: amount ?? null,
      currency,
      status: d.status,
      cohort: blankToNull(d.cohort),
      notes: blankToNull(d.notes),
    },
  };
}

export function ExchangeForm({ id, personId, agreementId }: { id?: string; personId?: string; agreementId?: string }) {
  const { back } = useRouter();
  const exchange = useQuery({
    queryKey: ['exchange', id],
    queryFn: () => api.exchangeGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  const person = useQuery({
    queryKey: ['contact', personId],
    queryFn: () => api.contactGet(personId as string),
    enabled: Boolean(personId),
  });
  const agreement = useQuery({
    queryKey: ['agreement', agreementId],
    queryFn: () => api.agreementGet(agreementId as string),
    enabled: Boolean(agreementId),
  });
  if ((id && exchange.isPending) || (personId && person.isPending) || (agreementId && agreement.isPending)) return <PageSkeleton />;
  if (id && (exchange.error || !exchange.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(exchange.error)} onRetry={() => void exchange.refetch()} />
      </div>
    );
  }
  return (
    <ExchangeFormBody
      exchange={id ? exchange.data : undefined}
      presetPerson={personId ? { id: personId, name: person.data?.name ?? null } : null}
      presetAgreement={agreementId ? { id: agreementId, name: agreement.data?.title ?? null } : null}
    />
  );
}

function ExchangeFormBody({
  exchange,
  presetPerson,
  presetAgreement,
}: {
  exchange?: Exchange;
  presetPerson: Picked | null;
  presetAgreement: Picked | null;
}) {
  const rules = useRules();
  const limits = rules.text_limits;
  const fieldHint = useFieldHint();
  // The text typed in the person picker, while a new person is being created from it.
  const [newPerson, setNewPerson] = useState<string | null>(null);
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { back } = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(exchange, presetPerson, presetAgreement));
  const [amountError, setAmountError] = useState(false);

  const cohorts = useQuery({ queryKey: ['exchangeCohorts'], queryFn: api.exchangeCohorts, staleTime: 60_000 });
  const agreementId = draft.agreement?.id;
  const agreement = useQuery({
    queryKey: ['agreement', agreementId],
    queryFn: () => api.agreementGet(agreementId as string),
    enabled: Boolean(agreementId),
    retry: false,
  });
  const conditions = agreementId ? (agreement.data?.conditions_read ?? []) : [];

  const { errors: coreErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: ExchangeInput) => (exchange ? api.exchangeUpdate(exchange.id, input) : api.exchangeCreate(input)),
    page: (saved) => ({ name: 'exchange', id: saved.id }),
  });
  // An amount that is not one never reaches the core: its error is shown here, like the core's.
  const errors: FieldErrors = amountError
    ? { ...coreErrors, amount: { field: 'amount', code: 'amount', message: 'not an amount' } }
    : coreErrors;
  const submit = () => {
    const { input, amountValid } = inputOf(draft);
    setAmountError(!amountValid);
    if (!amountValid) {
      window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[data-testid="field-amount"]')?.focus(), 0);
      return false;
    }
    return save(input, (fields) => fields);
  };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  // A planned start fills an empty academic year (the one that date falls in); a year typed is kept.
  const setPlannedStart = (v: string) =>
    setDraft((d) => {
      const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(v);
      const year = d.year === '' && m ? String(Number(m[2]) >= 9 ? Number(m[1]) : Number(m[1]) - 1) : d.year;
      return { ...d, plannedStart: v, year };
    });

  const placed = new Set([
    'person_id',
    'direction',
    'category',
    'programme',
    'home_id',
    'host_id',
    'unit_id',
    'agreement_id',
    'condition_id',
    'academic_year',
    'planned_start',
    'planned_end',
    'actual_start',
    'actual_end',
    'level',
    'field',
    'language',
    'cefr',
    'funding',
    'amount',
    'currency',
    'status',
    'cohort',
    'notes',
  ]);
  const title = exchange
    ? t('exchange.editTitle', { name: exchange.person_name ?? t('common.pendingSync') })
    : t('exchange.newTitle');

  const picker = (
    kind: 'home' | 'host' | 'unit',
    path: string,
    label: string,
    testId: string,
    hint?: string,
  ) => (
    <Field label={label} htmlFor={`${uid}-${kind}`} path={path} errors={errors} hint={hint} hintId={`${uid}-${kind}-hint`}>
      <PartnerPicker
        id={`${uid}-${kind}`}
        testId={testId}
        value={draft[kind]}
        invalid={Boolean(errors[path])}
        describedBy={invalidProps(path, errors, hint ? `${uid}-${kind}-hint` : undefined)['aria-describedby']}
        onChange={(v) => set(kind, v)}
      />
    </Field>
  );

  return (
    <FormPage
      title={title}
      testId="exchange-form"
      submit={submit}
      cancel={back}
      dirty={dirty}
      failure={failure}
      onDismiss={() => setFailure(null)}
      errors={errors}
      placed={placed}
      saving={saving}
      focusOn={failure}
      formRef={formRef}
    >
      <FormSection title={t('exchange.who')}>
        <Field label={t('exchange.person')} htmlFor={`${uid}-person`} path="person_id" errors={errors} required>
          <ContactPicker
            id={`${uid}-person`}
            testId="field-person"
            value={draft.person}
            required
            invalid={Boolean(errors.person_id)}
            describedBy={invalidProps('person_id', errors)['aria-describedby']}
            onChange={(v) => set('person', v)}
            onCreate={setNewPerson}
          />
          {newPerson !== null && (
            <NewPerson
              text={newPerson}
              onCreated={(c) => {
                set('person', { id: c.id, name: c.name });
                setNewPerson(null);
              }}
              onCancel={() => setNewPerson(null)}
            />
          )}
        </Field>
        <Field label={t('exchange.direction')} htmlFor={`${uid}-direction`} path="direction" errors={errors}>
          <select
            id={`${uid}-direction`}
            data-testid="field-direction"
            className="select"
            value={draft.direction}
            {...invalidProps('direction', errors)}
            onChange={(e) => set('direction', e.target.value as Direction)}
          >
            {rules.directions.map((d) => (
              <option key={d} value={d}>
                {t(`enums.direction.${d}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.category')} htmlFor={`${uid}-category`} path="category" errors={errors}>
          <select
            id={`${uid}-category`}
            data-testid="field-category"
            className="select"
            value={draft.category}
            {...invalidProps('category', errors)}
            onChange={(e) => set('category', e.target.value as ExchangeCategory)}
          >
            {rules.exchange_categories.map((c) => (
              <option key={c} value={c}>
                {t(`enums.category.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.programme')} htmlFor={`${uid}-programme`} path="programme" errors={errors}>
          <select
            id={`${uid}-programme`}
            data-testid="field-programme"
            className="select"
            value={draft.programme}
            {...invalidProps('programme', errors)}
            onChange={(e) => set('programme', e.target.value as Programme)}
          >
            {rules.programmes.map((p) => (
              <option key={p} value={p}>
                {t(`enums.programme.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.status')} htmlFor={`${uid}-status`} path="status" errors={errors}>
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors)}
            onChange={(e) => set('status', e.target.value as ExchangeStatus)}
          >
            {rules.exchange_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`enums.exchangeStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.cohort')} htmlFor={`${uid}-cohort`} path="cohort" errors={errors} hint={t('exchange.cohortHint')} hintId={`${uid}-cohort-hint`}>
          <datalist id={`${uid}-cohorts`}>
            {(cohorts.data ?? []).map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <input
            id={`${uid}-cohort`}
            data-testid="field-cohort"
            maxLength={limits.line}
            className="input"
            list={`${uid}-cohorts`}
            value={draft.cohort}
            autoComplete="off"
            {...invalidProps('cohort', errors, `${uid}-cohort-hint`)}
            onChange={(e) => set('cohort', e.target.value)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('exchange.where')}>
        {picker('home', 'home_id', t('exchange.home'), 'field-home')}
        {picker('host', 'host_id', t('exchange.host'), 'field-host')}
        {picker('unit', 'unit_id', t('exchange.unit'), 'field-unit', t('exchange.unitHint'))}
        <Field label={t('exchange.agreement')} htmlFor={`${uid}-agreement`} path="agreement_id" errors={errors}>
          <AgreementPicker
            id={`${uid}-agreement`}
            testId="field-agreement"
            value={draft.agreement}
            invalid={Boolean(errors.agreement_id)}
            describedBy={invalidProps('agreement_id', errors)['aria-describedby']}
            onChange={(v) => setDraft((d) => ({ ...d, agreement: v, condition: v?.id === d.agreement?.id ? d.condition : '' }))}
          />
        </Field>
        <Field
          label={t('exchange.condition')}
          htmlFor={`${uid}-condition`}
          path="condition_id"
          errors={errors}
          hint={t('exchange.conditionHint')}
          hintId={`${uid}-condition-hint`}
        >
          <select
            id={`${uid}-condition`}
            data-testid="field-condition"
            className="select select-wide"
            value={draft.condition}
            disabled={!agreementId}
            {...invalidProps('condition_id', errors, `${uid}-condition-hint`)}
            onChange={(e) => {
              const condition = conditions.find((c) => c.id === e.target.value);
              setDraft((d) => ({
                ...d,
                condition: e.target.value,
                // The condition's sides fill the organisations still empty.
                home: d.home ?? (condition ? picked(condition.sending_id, labelText(condition.sending_labels, condition.sending_name)) : null),
                host: d.host ?? (condition ? picked(condition.receiving_id, labelText(condition.receiving_labels, condition.receiving_name)) : null),
              }));
            }}
          >
            <option value="">
              {!agreementId ? t('exchange.chooseAgreementFirst') : agreement.isPending ? t('common.loading') : t('exchange.noCondition')}
            </option>
            {conditions.map((c) => (
              <option key={c.id} value={c.id}>
                {[conditionLabel(t, c), yearsText(t, c.first_year, c.last_year), c.places !== null ? t('agreement.placesCount', { count: c.places }) : null]
                  .filter(Boolean)
                  .join(' · ')}
              </option>
            ))}
            {draft.condition && !conditions.some((c) => c.id === draft.condition) && (
              <option value={draft.condition}>{agreement.isPending ? t('common.loading') : t('common.pendingSync')}</option>
            )}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('exchange.when')}>
        <Field label={t('exchange.academicYear')} htmlFor={`${uid}-year`} path="academic_year" errors={errors} hint={t('exchange.yearHint')} hintId={`${uid}-year-hint`}>
          <YearInput id={`${uid}-year`} testId="field-year" value={draft.year} path="academic_year" errors={errors} onChange={(v) => set('year', v)} />
        </Field>
        <DateField uid={uid} name="plannedStart" path="planned_start" label={t('exchange.plannedStart')} testId="field-planned-start" value={draft.plannedStart} errors={errors} onChange={(v) => setPlannedStart(v)} />
        <DateField uid={uid} name="plannedEnd" path="planned_end" label={t('exchange.plannedEnd')} testId="field-planned-end" value={draft.plannedEnd} errors={errors} onChange={(v) => set('plannedEnd', v)} />
        <DateField uid={uid} name="actualStart" path="actual_start" label={t('exchange.actualStart')} testId="field-actual-start" value={draft.actualStart} errors={errors} onChange={(v) => set('actualStart', v)} />
        <DateField uid={uid} name="actualEnd" path="actual_end" label={t('exchange.actualEnd')} testId="field-actual-end" value={draft.actualEnd} errors={errors} onChange={(v) => set('actualEnd', v)} />
      </FormSection>

      <FormSection title={t('exchange.studies')}>
        <Field label={t('exchange.level')} htmlFor={`${uid}-level`} path="level" errors={errors}>
          <select
            id={`${uid}-level`}
            data-testid="field-level"
            className="select"
            value={draft.level}
            {...invalidProps('level', errors)}
            onChange={(e) => set('level', e.target.value as Level | '')}
          >
            <option value="">{t('common.none')}</option>
            {rules.levels.map((l) => (
              <option key={l} value={l}>
                {t(`enums.level.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('exchange.field')} htmlFor={`${uid}-field`} path="field" errors={errors} hint={t('agreement.fieldsHint')} hintId={`${uid}-field-hint`}>
          <FieldOptions id={`${uid}-fields`} />
          <input
            id={`${uid}-field`}
            data-testid="field-field"
            maxLength={limits.line}
            className="input input-short mono"
            list={`${uid}-fields`}
            value={draft.field}
            placeholder="0731"
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('field', errors, `${uid}-field-hint`)}
            onChange={(e) => set('field', e.target.value)}
          />
          {fieldHint(draft.field) && <span className="muted small inline-hint">{fieldHint(draft.field)}</span>}
        </Field>
        <Field label={t('exchange.language')} htmlFor={`${uid}-language`} path="language" errors={errors}>
          <datalist id={`${uid}-langs`}>
            {COMMON_LANGUAGE_TAGS.map((tag) => (
              <option key={tag} value={tag}>
                {languageName(tag, lang)}
              </option>
            ))}
          </datalist>
          <input
            id={`${uid}-language`}
            data-testid="field-language"
            maxLength={limits.line}
            className="input input-short mono"
            list={`${uid}-langs`}
            value={draft.language}
            placeholder={t('form.langPlaceholder')}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('language', errors)}
            onChange={(e) => set('language', e.target.value)}
          />
          {draft.language.trim() && languageName(draft.language.trim(), lang) !== draft.language.trim() && (
            <span className="muted small inline-hint">{languageName(draft.language.trim(), lang)}</span>
          )}
        </Field>
        <Field label={t('exchange.cefr')} htmlFor={`${uid}-cefr`} path="cefr" errors={errors}>
          <select
            id={`${uid}-cefr`}
            data-testid="field-cefr"
            className="select"
            value={draft.cefr}
            {...invalidProps('cefr', errors)}
            onChange={(e) => set('cefr', e.target.value as Cefr | '')}
          >
            <option value="">{t('common.none')}</option>
            {rules.cefrs.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('exchange.fundingSection')}>
        <Field label={t('exchange.funding')} htmlFor={`${uid}-funding`} path="funding" errors={errors}>
          <datalist id={`${uid}-fundings`}>
            {COMMON_FUNDINGS.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
          <input
            id={`${uid}-funding`}
            data-testid="field-funding"
            maxLength={limits.line}
            className="input input-short"
            list={`${uid}-fundings`}
            value={draft.funding}
            autoComplete="off"
            {...invalidProps('funding', errors)}
            onChange={(e) => set('funding', e.target.value)}
          />
        </Field>
        <Field label={t('exchange.amount')} htmlFor={`${uid}-amount`} path="amount" errors={errors} hint={t('exchange.amountHint')} hintId={`${uid}-amount-hint`}>
          <input
            id={`${uid}-amount`}
            data-testid="field-amount"
            className="input input-short"
            type="text"
            inputMode="decimal"
            value={draft.amount}
            placeholder="1500.00"
            autoComplete="off"
            {...invalidProps('amount', errors, `${uid}-amount-hint`)}
            onChange={(e) => {
              set('amount', e.target.value);
              setAmountError(false);
            }}
          />
        </Field>
        <Field label={t('exchange.currency')} htmlFor={`${uid}-currency`} path="currency" errors={errors}>
          <datalist id={`${uid}-currencies`}>
            {COMMON_CURRENCIES.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <input
            id={`${uid}-currency`}
            data-testid="field-currency"
            className="input input-currency mono"
            list={`${uid}-currencies`}
            value={draft.currency}
            placeholder="EUR"
            maxLength={3}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('currency', errors)}
            onChange={(e) => set('currency', e.target.value.toUpperCase())}
          />
        </Field>
      </FormSection>

      <FormSection title={t('exchange.notes')}>
        <Field label={t('exchange.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
