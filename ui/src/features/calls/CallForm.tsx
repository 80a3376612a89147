import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Call } from '../../bindings/Call';
import type { CallInput } from '../../bindings/CallInput';
import type { CallStatus } from '../../bindings/CallStatus';
import type { FieldError } from '../../bindings/FieldError';
import type { Zone } from '../../bindings/Zone';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker } from '../../components/PartnerPicker';
import type { Picked } from '../../components/SearchPicker';
import { rowKey } from '../../components/StringList';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { api, toIpcError } from '../../ipc';
import { COMMON_CURRENCIES } from '../../lib/enums';
import { useRules } from '../../lib/rules';
import { fieldErrorMap, type FieldErrors } from '../../lib/errors';
import { parseMajor, blankToNull, minorToMajorText, toInt, toNumber } from '../../lib/format';
import { COMMON_TIME_ZONES, DEFAULT_TIME_ZONE, isTimeZone, localToRfc3339, rfc3339ToLocal } from '../../lib/time';
import { useRouter } from '../../router';
import { labelText } from '../../components/Name';

interface CriterionRow {
  key: number;
  id?: string;
  name: string;
  weight: string;
  max: string;
  threshold: string;
}

interface Draft {
  code: string;
  title: string;
  programme: string;
  funder: Picked | null;
  /** datetime-local values, wall-clock time in `timeZone`. */
  opens: string;
  deadline: string;
  results: string;
  timeZone: string;
  /** In major units, as typed. */
  budget: string;
  maxAward: string;
  currency: string;
  minPartners: string;
  minCountries: string;
  zones: Zone[];
  lyonLead: boolean;
  criteria: CriterionRow[];
  status: CallStatus;
  notes: string;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

const emptyCriterion = (): CriterionRow => ({ key: rowKey(), name: '', weight: '1', max: '10', threshold: '' });

function draftOf(call: Call | undefined): Draft {
  const zone = call?.time_zone ?? DEFAULT_TIME_ZONE;
  return {
    code: call?.code ?? '',
    title: call?.title ?? '',
    programme: call?.programme ?? '',
    funder: call?.funder_id ? { id: call.funder_id, name: labelText(call.funder_labels, call.funder_name) } : null,
    opens: rfc3339ToLocal(call?.opens_at, zone),
    deadline: rfc3339ToLocal(call?.deadline_at, zone),
    results: rfc3339ToLocal(call?.results_at, zone),
    timeZone: zone,
    budget: minorToMajorText(call?.budget, call?.currency),
    maxAward: minorToMajorText(call?.max_award, call?.currency),
    currency: call?.currency ?? 'EUR',
    minPartners: text(call?.rules.min_partners),
    minCountries: text(call?.rules.min_countries),
    zones: call?.rules.required_zones ?? [],
    lyonLead: call?.rules.lyon_lead_required ?? false,
    criteria: (call?.criteria_read ?? []).map((k) => ({
      key: rowKey(),
      id: k.id,
      name: k.name,
      weight: String(k.weight),
      max: String(k.max_score),
      threshold: text(k.threshold),
    })),
    status: call?.status ?? 'draft',
    notes: call?.notes ?? '',
  };
}

/**
 * The input the core expects, and the errors found before sending it (times, zone, amounts and numbers that
 * are not ones): when there are any, nothing is sent.
 */
function inputOf(d: Draft): { input: CallInput; local: FieldError[] } {
  const local: FieldError[] = [];
  const add = (field: string, code: string) => local.push({ field, code, message: code });
  const zone = d.timeZone.trim();
  const anyTime = Boolean(d.opens || d.deadline || d.results);
  const zoneOk = isTimeZone(zone);
  if (zone && !zoneOk) add('time_zone', 'time_zone');
  const time = (value: string, field: string) => {
    const rfc = localToRfc3339(value, zone || DEFAULT_TIME_ZONE);
    if (rfc === undefined && (zoneOk || !zone)) add(field, 'datetime');
    return rfc ?? null;
  };
  const currency = blankToNull(d.currency)?.toUpperCase() ?? null;
  const money = (value: string, field: string) => {
    const v = parseMajor(value, currency);
    if (v === undefined) add(field, 'amount');
    return v ?? null;
  };
  const count = (value: string, field: string) => {
    const n = toNumber(value);
    if (n === undefined || (n !== null && !Number.isInteger(n))) add(field, 'whole_number');
    return n === undefined ? null : toInt(value);
  };
  const input: CallInput = {
    code: blankToNull(d.code),
    title: d.title.trim(),
    programme: blankToNull(d.programme),
    funder_id: d.funder?.id ?? null,
    opens_at: time(d.opens, 'opens_at'),
    deadline_at: time(d.deadline, 'deadline_at'),
    results_at: time(d.results, 'results_at'),
    time_zone: zone || (anyTime ? DEFAULT_TIME_ZONE : null),
    budget: money(d.budget, 'budget'),
    max_award: money(d.maxAward, 'max_award'),
    currency,
    rules: {
      min_partners: count(d.minPartners, 'rules.min_partners'),
      min_countries: count(d.minCountries, 'rules.min_countries'),
      required_zones: d.zones,
      lyon_lead_required: d.lyonLead,
    },
    criteria: d.criteria.map((k, i) => {
      const at = (f: string) => `criteria[${i}].${f}`;
      const number = (value: string, field: string, required: boolean) => {
        const n = toNumber(value);
        if (n === undefined) add(at(field), 'number');
        else if (n === null && required) add(at(field), 'required');
        return n ?? null;
      };
      return {
        ...(k.id ? { id: k.id } : {}),
        name: k.name.trim(),
        weight: number(k.weight, 'weight', true) ?? 0,
        max_score: number(k.max, 'max_score', true) ?? 0,
        threshold: number(k.threshold, 'threshold', false),
      };
    }),
    status: d.status,
    notes: blankToNull(d.notes),
  };
  return { input, local };
}

/** The core's codes whose generic text speaks of something else, said for calls. */
function remap(errors: FieldError[]): FieldError[] {
  return errors.map((f) => {
    if (f.code === 'negative' && f.field.startsWith('rules.')) return { ...f, code: 'at_least_one' };
    if (f.code === 'above_max' && /^criteria\[\d+\]\.threshold$/.test(f.field)) return { ...f, code: 'threshold_range' };
    if (f.code === 'end_before_start' && f.field === 'deadline_at') return { ...f, code: 'deadline_before_opening' };
    if (f.code === 'end_before_start' && f.field === 'results_at') return { ...f, code: 'results_before_deadline' };
    return f;
  });
}

export function CallForm({ id }: { id?: string }) {
  const { back } = useRouter();
  const call = useQuery({
    queryKey: ['call', id],
    queryFn: () => api.callGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  if (id && call.isPending) return <PageSkeleton />;
  if (id && (call.error || !call.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(call.error)} onRetry={() => void call.refetch()} />
      </div>
    );
  }
  return <CallFormBody call={id ? call.data : undefined} />;
}

function CallFormBody({ call }: { call?: Call }) {
  const rules = useRules();
  const limits = rules.text_limits;
  const { t } = useTranslation();
  const { back } = useRouter();
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(call));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [localFailure, setLocalFailure] = useState(0);

  const { errors: coreErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: CallInput) => (call ? api.callUpdate(call.id, input) : api.callCreate(input)),
    page: (saved) => ({ name: 'call', id: saved.id }),
  });
  // Errors found here (a time, an amount, a number that is not one) are shown like the core's.
  const errors: FieldErrors = { ...coreErrors, ...localErrors };
  const submit = () => {
    const { input, local } = inputOf(draft);
    setLocalErrors(fieldErrorMap(local));
    if (local.length) {
      setLocalFailure((n) => n + 1);
      return false;
    }
    return save(input, remap);
  };
  // A new object after each failed save, here or in the core: the first invalid field gets the focus.
  const failed = useMemo(() => (failure || localFailure ? {} : null), [failure, localFailure]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const setCriterion = (i: number, patch: Partial<CriterionRow>) =>
    setDraft((d) => ({ ...d, criteria: d.criteria.map((k, j) => (j === i ? { ...k, ...patch } : k)) }));

  const zone = draft.timeZone.trim();
  const zoneOk = isTimeZone(zone);

  const placed = new Set([
    'code',
    'title',
    'programme',
    'funder_id',
    'opens_at',
    'deadline_at',
    'results_at',
    'time_zone',
    'budget',
    'max_award',
    'currency',
    'rules.min_partners',
    'rules.min_countries',
    'rules.required_zones',
    'rules.lyon_lead_required',
    'criteria',
    'status',
    'notes',
    ...draft.criteria.flatMap((_, i) => ['name', 'weight', 'max_score', 'threshold'].map((f) => `criteria[${i}].${f}`)),
  ]);
  const title = call ? t('call.editTitle', { name: call.title }) : t('call.newTitle');

  const timeField = (key: 'opens' | 'deadline' | 'results', path: string, label: string, testId: string) => {
    const rfc = zoneOk ? localToRfc3339(draft[key], zone) : undefined;
    return (
      <Field label={label} htmlFor={`${uid}-${key}`} path={path} errors={errors}>
        <input
          id={`${uid}-${key}`}
          data-testid={testId}
          className="input input-datetime"
          type="datetime-local"
          value={draft[key]}
          {...invalidProps(path, errors, rfc ? `${uid}-${key}-rfc` : undefined)}
          onChange={(e) => set(key, e.target.value)}
        />
        {rfc && (
          <span className="muted small inline-hint mono-soft" id={`${uid}-${key}-rfc`} data-testid={`${testId}-rfc`}>
            {rfc}
          </span>
        )}
      </Field>
    );
  };
  const amountField = (key: 'budget' | 'maxAward', path: string, label: string, testId: string) => (
    <Field label={label} htmlFor={`${uid}-${key}`} path={path} errors={errors} hint={t('call.amountHint')} hintId={`${uid}-${key}-hint`}>
      <input
        id={`${uid}-${key}`}
        data-testid={testId}
        className="input input-short"
        type="text"
        inputMode="decimal"
        value={draft[key]}
        placeholder="50000.00"
        autoComplete="off"
        {...invalidProps(path, errors, `${uid}-${key}-hint`)}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );
  const countField = (key: 'minPartners' | 'minCountries', path: string, label: string, testId: string, hint: string) => (
    <Field label={label} htmlFor={`${uid}-${key}`} path={path} errors={errors} hint={hint} hintId={`${uid}-${key}-hint`}>
      <input
        id={`${uid}-${key}`}
        data-testid={testId}
        className="input input-number"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={draft[key]}
        {...invalidProps(path, errors, `${uid}-${key}-hint`)}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );

  return (
    <FormPage
      title={title}
      testId="call-form"
      submit={submit}
      cancel={back}
      dirty={dirty}
      failure={failure}
      onDismiss={() => setFailure(null)}
      errors={errors}
      placed={placed}
      saving={saving}
      focusOn={failed}
    >
      <FormSection title={t('form.general')}>
        <Field label={t('call.title')} htmlFor={`${uid}-title`} path="title" errors={errors} required>
          <input
            id={`${uid}-title`}
            data-testid="field-title"
            maxLength={limits.line}
            className="input"
            value={draft.title}
            autoFocus={!call}
            aria-required="true"
            {...invalidProps('title', errors)}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label={t('call.code')} htmlFor={`${uid}-code`} path="code" errors={errors} hint={t('call.codeHint')} hintId={`${uid}-code-hint`}>
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
        <Field label={t('call.programme')} htmlFor={`${uid}-programme`} path="programme" errors={errors}>
          <input
            id={`${uid}-programme`}
            data-testid="field-programme"
            maxLength={limits.line}
            className="input"
            value={draft.programme}
            {...invalidProps('programme', errors)}
            onChange={(e) => set('programme', e.target.value)}
          />
        </Field>
        <Field label={t('call.funder')} htmlFor={`${uid}-funder`} path="funder_id" errors={errors}>
          <PartnerPicker
            id={`${uid}-funder`}
            testId="field-funder"
            value={draft.funder}
            invalid={Boolean(errors.funder_id)}
            describedBy={invalidProps('funder_id', errors)['aria-describedby']}
            onChange={(v) => set('funder', v)}
          />
        </Field>
        <Field label={t('call.status')} htmlFor={`${uid}-status`} path="status" errors={errors}>
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors)}
            onChange={(e) => set('status', e.target.value as CallStatus)}
          >
            {rules.call_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`enums.callStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('call.datesSection')}>
        <Field
          label={t('call.timeZone')}
          htmlFor={`${uid}-zone`}
          path="time_zone"
          errors={errors}
          hint={t('call.timeZoneHint')}
          hintId={`${uid}-zone-hint`}
        >
          <datalist id={`${uid}-zones`}>
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <input
            id={`${uid}-zone`}
            data-testid="field-time-zone"
            maxLength={limits.line}
            className="input input-short mono"
            list={`${uid}-zones`}
            value={draft.timeZone}
            placeholder={DEFAULT_TIME_ZONE}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('time_zone', errors, `${uid}-zone-hint`)}
            onChange={(e) => set('timeZone', e.target.value)}
          />
        </Field>
        {timeField('opens', 'opens_at', t('call.opensAt'), 'field-opens')}
        {timeField('deadline', 'deadline_at', t('call.deadlineAt'), 'field-deadline')}
        {timeField('results', 'results_at', t('call.resultsAt'), 'field-results')}
      </FormSection>

      <FormSection title={t('call.fundingSection')}>
        <Field label={t('call.currency')} htmlFor={`${uid}-currency`} path="currency" errors={errors}>
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
        {amountField('budget', 'budget', t('call.budget'), 'field-budget')}
        {amountField('maxAward', 'max_award', t('call.maxAward'), 'field-max-award')}
      </FormSection>

      <FormSection title={t('call.rules')}>
        {countField('minPartners', 'rules.min_partners', t('call.minPartners'), 'field-min-partners', t('call.minPartnersHint'))}
        {countField('minCountries', 'rules.min_countries', t('call.minCountries'), 'field-min-countries', t('call.minCountriesHint'))}
        <div className="field" role="group" aria-labelledby={`${uid}-zones-label`} aria-describedby={`${uid}-zones-hint`}>
          <span className="field-label" id={`${uid}-zones-label`}>
            {t('call.requiredZones')}
          </span>
          <div className="field-control">
            <div className="checks">
              {rules.zones.filter((z) => z !== 'other').map((zoneChoice) => (
                <label key={zoneChoice} className="checkbox">
                  <input
                    type="checkbox"
                    data-testid={`field-zone-${zoneChoice}`}
                    checked={draft.zones.includes(zoneChoice)}
                    onChange={(e) =>
                      set('zones', e.target.checked ? [...draft.zones, zoneChoice] : draft.zones.filter((z) => z !== zoneChoice))
                    }
                  />
                  <span>{t(`enums.zone.${zoneChoice}`)}</span>
                </label>
              ))}
            </div>
            <p className="field-hint" id={`${uid}-zones-hint`}>
              {t('call.requiredZonesHint')}
            </p>
            <FieldErrorText path="rules.required_zones" errors={errors} />
          </div>
        </div>
        <Field label={t('call.lyonLead')} htmlFor={`${uid}-lyon`} path="rules.lyon_lead_required" errors={errors}>
          <label className="checkbox">
            <input
              id={`${uid}-lyon`}
              type="checkbox"
              data-testid="field-lyon-lead"
              checked={draft.lyonLead}
              onChange={(e) => set('lyonLead', e.target.checked)}
            />
            <span>{t('call.lyonLeadText')}</span>
          </label>
        </Field>
      </FormSection>

      <FormSection title={t('call.criteria')}>
        <p className="muted small">{t('call.criteriaHint')}</p>
        <div className="repeat" role="group" aria-label={t('call.criteria')}>
          {draft.criteria.length === 0 && <p className="muted small">{t('call.noCriteria')}</p>}
          {draft.criteria.map((k, i) => {
            const path = `criteria[${i}]`;
            const cell = (what: 'weight' | 'max' | 'threshold', field: string, label: string, span = '') => (
              <div className={`aff-cell ${span}`}>
                <label className="field-label" htmlFor={`${uid}-crit-${what}-${i}`}>
                  {label}
                </label>
                <input
                  id={`${uid}-crit-${what}-${i}`}
                  data-testid={`criterion-${what}-${i}`}
                  className="input input-number"
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="any"
                  value={k[what]}
                  {...invalidProps(`${path}.${field}`, errors)}
                  onChange={(e) => setCriterion(i, { [what]: e.target.value })}
                />
                <FieldErrorText path={`${path}.${field}`} errors={errors} />
              </div>
            );
            return (
              <div className="sub-row" key={k.key} data-testid={`criterion-${i}`} role="group" aria-label={t('call.criterionN', { n: i + 1 })}>
                <div className="sub-grid">
                  <div className="aff-cell span-all">
                    <label className="field-label" htmlFor={`${uid}-crit-name-${i}`}>
                      {t('call.criterionName', { n: i + 1 })}
                      <span className="required" aria-hidden="true">
                        {' '}
                        *
                      </span>
                    </label>
                    <input
                      id={`${uid}-crit-name-${i}`}
                      data-testid={`criterion-name-${i}`}
                      maxLength={limits.line}
                      className="input"
                      value={k.name}
                      aria-required="true"
                      {...invalidProps(`${path}.name`, errors)}
                      onChange={(e) => setCriterion(i, { name: e.target.value })}
                    />
                    <FieldErrorText path={`${path}.name`} errors={errors} />
                  </div>
                  {cell('weight', 'weight', t('call.weight'))}
                  {cell('max', 'max_score', t('call.maxScore'))}
                  {cell('threshold', 'threshold', t('call.thresholdOptional'), 'span-2')}
                </div>
                <button
                  type="button"
                  className="icon-btn"
                  data-testid={`criterion-remove-${i}`}
                  aria-label={t('call.removeCriterion', { n: i + 1 })}
                  title={t('call.removeCriterion', { n: i + 1 })}
                  onClick={() => set('criteria', draft.criteria.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            );
          })}
          <FieldErrorText path="criteria" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="criterion-add"
              onClick={() => set('criteria', [...draft.criteria, emptyCriterion()])}
            >
              <IconPlus />
              {t('call.addCriterion')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('call.notes')}>
        <Field label={t('call.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
