import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { FieldError } from '../../bindings/FieldError';
import type { Project } from '../../bindings/Project';
import type { ProjectInput } from '../../bindings/ProjectInput';
import type { ProjectKind } from '../../bindings/ProjectKind';
import type { ProjectStatus } from '../../bindings/ProjectStatus';
import { AgreementPicker } from '../../components/AgreementPicker';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { DateField, Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker } from '../../components/PartnerPicker';
import type { Picked } from '../../components/SearchPicker';
import { compact, items, rowKey, StringList, type Item } from '../../components/StringList';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { api, toIpcError } from '../../ipc';
import { COMMON_CURRENCIES } from '../../lib/enums';
import { useRules } from '../../lib/rules';
import { fieldErrorMap, remapIndex, type FieldErrors } from '../../lib/errors';
import { FieldOptions, useFieldHint } from '../../lib/fields';
import { blankToNull, minorToMajorText, parseMajor } from '../../lib/format';
import { useRouter } from '../../router';
import { labelText } from '../../components/Name';

interface PartnerRow {
  key: number;
  partner: Picked | null;
  role: string;
}

interface AgreementRow {
  key: number;
  agreement: Picked | null;
}

interface Draft {
  code: string;
  title: string;
  kind: ProjectKind;
  status: ProjectStatus;
  start: string;
  end: string;
  /** In major units, as typed. */
  budget: string;
  currency: string;
  fields: Item[];
  partners: PartnerRow[];
  agreements: AgreementRow[];
  notes: string;
}

const emptyPartner = (): PartnerRow => ({ key: rowKey(), partner: null, role: '' });
const emptyAgreement = (): AgreementRow => ({ key: rowKey(), agreement: null });

function draftOf(project: Project | undefined): Draft {
  return {
    code: project?.code ?? '',
    title: project?.title ?? '',
    kind: project?.kind ?? 'flagship',
    status: project?.status ?? 'planned',
    start: project?.start_date ?? '',
    end: project?.end_date ?? '',
    budget: minorToMajorText(project?.budget, project?.currency),
    currency: project?.currency ?? 'EUR',
    fields: items(project?.fields ?? []),
    partners: project ? project.partners_read.map((p) => ({ key: rowKey(), partner: { id: p.id, name: labelText(p.labels, p.name) }, role: p.role ?? '' })) : [emptyPartner()],
    agreements: (project?.agreements_read ?? []).map((a) => ({ key: rowKey(), agreement: { id: a.id, name: a.name } })),
    notes: project?.notes ?? '',
  };
}

/**
 * The input the core expects, the errors found before sending it (an amount that is not one), and how to map
 * the core's error paths back to the form's rows (empty field and agreement rows are not sent).
 */
function inputOf(d: Draft): { input: ProjectInput; local: FieldError[]; remap: (errors: FieldError[]) => FieldError[] } {
  const local: FieldError[] = [];
  const fieldCodes = compact(d.fields);
  const agreementIndex: number[] = [];
  const agreementIds: string[] = [];
  d.agreements.forEach((a, i) => {
    if (a.agreement) {
      agreementIds.push(a.agreement.id);
      agreementIndex.push(i);
    }
  });
  const currency = blankToNull(d.currency)?.toUpperCase() ?? null;
  const budget = parseMajor(d.budget, currency);
  if (budget === undefined) local.push({ field: 'budget', code: 'amount', message: 'amount' });
  const input: ProjectInput = {
    code: blankToNull(d.code),
    title: d.title.trim(),
    kind: d.kind,
    status: d.status,
    start_date: d.start || null,
    end_date: d.end || null,
    budget: budget ?? null,
    // A currency without a budget says nothing: not sent.
    currency: budget === null ? null : currency,
    fields: fieldCodes.values,
    // Every partner row is sent, empty ones too: the core says which one lacks its organisation.
    partners: d.partners.map((p) => ({ partner_id: p.partner?.id ?? null, role: blankToNull(p.role) })),
    agreement_ids: agreementIds,
    notes: blankToNull(d.notes),
  };
  const remap = (errors: FieldError[]) =>
    remapIndex(remapIndex(errors, 'fields', fieldCodes.index), 'agreement_ids', agreementIndex).map((f) =>
      // "Already a party" speaks of agreements: said for a project's partners.
      f.code === 'duplicate' && /^partners\[\d+\]/.test(f.field) ? { ...f, code: 'already_listed' } : f,
    );
  return { input, local, remap };
}

export function ProjectForm({ id }: { id?: string }) {
  const { back } = useRouter();
  const project = useQuery({
    queryKey: ['project', id],
    queryFn: () => api.projectGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  if (id && project.isPending) return <PageSkeleton />;
  if (id && (project.error || !project.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(project.error)} onRetry={() => void project.refetch()} />
      </div>
    );
  }
  return <ProjectFormBody project={id ? project.data : undefined} />;
}

function ProjectFormBody({ project }: { project?: Project }) {
  const rules = useRules();
  const limits = rules.text_limits;
  const fieldHint = useFieldHint();
  const { t } = useTranslation();
  const { back } = useRouter();
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(project));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [localFailure, setLocalFailure] = useState(0);

  const { errors: coreErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: ProjectInput) => (project ? api.projectUpdate(project.id, input) : api.projectCreate(input)),
    page: (saved) => ({ name: 'project', id: saved.id }),
  });
  const errors: FieldErrors = { ...coreErrors, ...localErrors };
  const submit = () => {
    const { input, local, remap } = inputOf(draft);
    setLocalErrors(fieldErrorMap(local));
    if (local.length) {
      setLocalFailure((n) => n + 1);
      return false;
    }
    return save(input, remap);
  };
  const failed = useMemo(() => (failure || localFailure ? {} : null), [failure, localFailure]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setPartner = (i: number, patch: Partial<PartnerRow>) =>
    setDraft((d) => ({ ...d, partners: d.partners.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const setAgreement = (i: number, patch: Partial<AgreementRow>) =>
    setDraft((d) => ({ ...d, agreements: d.agreements.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));

  const placed = new Set([
    'code',
    'title',
    'kind',
    'status',
    'start_date',
    'end_date',
    'budget',
    'currency',
    'fields',
    'partners',
    'agreement_ids',
    'notes',
    ...draft.fields.map((_, i) => `fields[${i}]`),
    ...draft.partners.flatMap((_, i) => [`partners[${i}].partner_id`, `partners[${i}].role`]),
    ...draft.agreements.map((_, i) => `agreement_ids[${i}]`),
  ]);
  const title = project ? t('project.editTitle', { name: project.title }) : t('project.newTitle');
  const chosenPartners = draft.partners.flatMap((p) => (p.partner ? [p.partner.id] : []));
  const chosenAgreements = draft.agreements.flatMap((a) => (a.agreement ? [a.agreement.id] : []));

  return (
    <FormPage
      title={title}
      testId="project-form"
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
        <Field label={t('project.title')} htmlFor={`${uid}-title`} path="title" errors={errors} required>
          <input
            id={`${uid}-title`}
            data-testid="field-title"
            maxLength={limits.line}
            className="input"
            value={draft.title}
            autoFocus={!project}
            aria-required="true"
            {...invalidProps('title', errors)}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label={t('project.code')} htmlFor={`${uid}-code`} path="code" errors={errors} hint={t('project.codeHint')} hintId={`${uid}-code-hint`}>
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
        <Field label={t('project.kind')} htmlFor={`${uid}-kind`} path="kind" errors={errors}>
          <select
            id={`${uid}-kind`}
            data-testid="field-kind"
            className="select"
            value={draft.kind}
            {...invalidProps('kind', errors)}
            onChange={(e) => set('kind', e.target.value as ProjectKind)}
          >
            {rules.project_kinds.map((k) => (
              <option key={k} value={k}>
                {t(`enums.projectKind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('project.status')} htmlFor={`${uid}-status`} path="status" errors={errors}>
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors)}
            onChange={(e) => set('status', e.target.value as ProjectStatus)}
          >
            {rules.project_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`enums.projectStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('project.datesSection')}>
        <DateField uid={uid} name="start" path="start_date" label={t('project.startDate')} testId="field-start-date" value={draft.start} errors={errors} onChange={(v) => set('start', v)} />
        <DateField uid={uid} name="end" path="end_date" label={t('project.endDate')} testId="field-end-date" value={draft.end} errors={errors} onChange={(v) => set('end', v)} />
      </FormSection>

      <FormSection title={t('project.budgetSection')}>
        <Field label={t('project.currency')} htmlFor={`${uid}-currency`} path="currency" errors={errors}>
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
        <Field label={t('project.budget')} htmlFor={`${uid}-budget`} path="budget" errors={errors} hint={t('project.budgetHint')} hintId={`${uid}-budget-hint`}>
          <input
            id={`${uid}-budget`}
            data-testid="field-budget"
            className="input input-short"
            type="text"
            inputMode="decimal"
            value={draft.budget}
            placeholder="250000.00"
            autoComplete="off"
            {...invalidProps('budget', errors, `${uid}-budget-hint`)}
            onChange={(e) => set('budget', e.target.value)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('project.partners')}>
        <div className="repeat" role="group" aria-label={t('project.partners')}>
          {draft.partners.length === 0 && <p className="muted small">{t('project.noPartners')}</p>}
          {draft.partners.map((p, i) => {
            const path = `partners[${i}]`;
            return (
              <div className="sub-row" key={p.key} data-testid={`partner-${i}`} role="group" aria-label={t('project.partnerN', { n: i + 1 })}>
                <div className="sub-grid">
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-partner-${i}`}>
                      {t('project.partnerN', { n: i + 1 })}
                      <span className="required" aria-hidden="true">
                        {' '}
                        *
                      </span>
                    </label>
                    <PartnerPicker
                      id={`${uid}-partner-${i}`}
                      testId={`partner-partner-${i}`}
                      value={p.partner}
                      required
                      exclude={chosenPartners.filter((x) => x !== p.partner?.id)}
                      placeholder={t('project.partnerPlaceholder')}
                      invalid={Boolean(errors[`${path}.partner_id`])}
                      describedBy={invalidProps(`${path}.partner_id`, errors)['aria-describedby']}
                      onChange={(v) => setPartner(i, { partner: v })}
                    />
                    <FieldErrorText path={`${path}.partner_id`} errors={errors} />
                  </div>
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-role-${i}`}>
                      {t('project.role')}
                    </label>
                    <input
                      id={`${uid}-role-${i}`}
                      data-testid={`partner-role-${i}`}
                      maxLength={limits.line}
                      className="input"
                      value={p.role}
                      placeholder={t('project.rolePlaceholder')}
                      {...invalidProps(`${path}.role`, errors)}
                      onChange={(e) => setPartner(i, { role: e.target.value })}
                    />
                    <FieldErrorText path={`${path}.role`} errors={errors} />
                  </div>
                </div>
                <button
                  type="button"
                  className="icon-btn"
                  data-testid={`partner-remove-${i}`}
                  aria-label={t('project.removePartner', { n: i + 1 })}
                  title={t('project.removePartner', { n: i + 1 })}
                  onClick={() => set('partners', draft.partners.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            );
          })}
          <FieldErrorText path="partners" errors={errors} />
          <div>
            <button type="button" className="btn btn-ghost btn-sm" data-testid="partner-add" onClick={() => set('partners', [...draft.partners, emptyPartner()])}>
              <IconPlus />
              {t('project.addPartner')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('project.agreements')}>
        <p className="muted small">{t('project.agreementsHint')}</p>
        <div className="repeat" role="group" aria-label={t('project.agreements')}>
          {draft.agreements.map((a, i) => (
            <div className="repeat-row" key={a.key} data-testid={`agreement-${i}`}>
              <div className="repeat-cell grow">
                <label className="sr-only" htmlFor={`${uid}-agreement-${i}`}>
                  {t('project.agreementN', { n: i + 1 })}
                </label>
                <AgreementPicker
                  id={`${uid}-agreement-${i}`}
                  testId={`agreement-picker-${i}`}
                  value={a.agreement}
                  exclude={chosenAgreements.filter((x) => x !== a.agreement?.id)}
                  invalid={Boolean(errors[`agreement_ids[${i}]`])}
                  describedBy={invalidProps(`agreement_ids[${i}]`, errors)['aria-describedby']}
                  onChange={(v) => setAgreement(i, { agreement: v })}
                />
                <FieldErrorText path={`agreement_ids[${i}]`} errors={errors} />
              </div>
              <button
                type="button"
                className="icon-btn"
                data-testid={`agreement-remove-${i}`}
                aria-label={t('project.removeAgreement', { n: i + 1 })}
                title={t('project.removeAgreement', { n: i + 1 })}
                onClick={() => set('agreements', draft.agreements.filter((_, j) => j !== i))}
              >
                <IconX />
              </button>
            </div>
          ))}
          <FieldErrorText path="agreement_ids" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="agreement-add"
              onClick={() => set('agreements', [...draft.agreements, emptyAgreement()])}
            >
              <IconPlus />
              {t('project.addAgreement')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('project.fields')}>
        <FieldOptions id={`${uid}-fields`} />
        <p className="muted small">{t('agreement.fieldsHint')}</p>
        <StringList
          maxLength={limits.line}
          uid={`${uid}-field`}
          label={t('project.fields')}
          itemLabel={(n) => t('agreement.field', { n })}
          addLabel={t('agreement.addField')}
          path="fields"
          testId="project-field"
          list={draft.fields}
          errors={errors}
          datalist={`${uid}-fields`}
          placeholder="0731, health"
          describe={fieldHint}
          onChange={(v) => set('fields', v)}
        />
      </FormSection>

      <FormSection title={t('project.notes')}>
        <Field label={t('project.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
