import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Application } from '../../bindings/Application';
import type { ApplicationInput } from '../../bindings/ApplicationInput';
import type { ApplicationStatus } from '../../bindings/ApplicationStatus';
import type { Criterion } from '../../bindings/Criterion';
import type { FieldError } from '../../bindings/FieldError';
import type { ReviewInput } from '../../bindings/ReviewInput';
import type { Score } from '../../bindings/Score';
import { ContactPicker } from '../../components/ContactPicker';
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
import { fieldErrorMap, type FieldErrors } from '../../lib/errors';
import { parseMajor, blankToNull, formatScore, minorToMajorText, toInt, toNumber } from '../../lib/format';
import { statusChoices, useReviewScore, useRules } from '../../lib/rules';
import { formatCallTime } from '../../lib/time';
import { useRouter } from '../../router';
import { useCallChoices } from './ApplicationsList';
import { formatPoints } from '../../components/Assessment';
import { labelText } from '../../components/Name';

interface PartnerRow {
  key: number;
  id?: string;
  partner: Picked | null;
  role: string;
}

interface ReviewRow {
  key: number;
  id?: string;
  reviewer: Picked | null;
  /** Typed scores by criterion id (a criterion left empty is not scored). */
  scores: Record<string, string>;
  comment: string;
}

interface Draft {
  callId: string;
  reference: string;
  acronym: string;
  title: string;
  pi: Picked | null;
  lead: Picked | null;
  partners: PartnerRow[];
  /** In major units, as typed. */
  requested: string;
  cofunding: string;
  duration: string;
  status: ApplicationStatus;
  reviews: ReviewRow[];
  notes: string;
}

const emptyPartner = (): PartnerRow => ({ key: rowKey(), partner: null, role: '' });
const emptyReview = (): ReviewRow => ({ key: rowKey(), reviewer: null, scores: {}, comment: '' });

function draftOf(a: Application | undefined, presetCallId: string | undefined, currency: string | null): Draft {
  return {
    callId: a?.call_id ?? presetCallId ?? '',
    reference: a?.reference ?? '',
    acronym: a?.acronym ?? '',
    title: a?.title ?? '',
    pi: a?.pi_id ? { id: a.pi_id, name: a.pi_name } : null,
    lead: a?.lead_id ? { id: a.lead_id, name: labelText(a.lead_labels, a.lead_name) } : null,
    partners: (a?.partners_read ?? []).map((p) => ({
      key: rowKey(),
      id: a?.partners.find((x) => x.partner_id === p.partner_id)?.id,
      partner: { id: p.partner_id, name: labelText(p.labels, p.name) },
      role: p.role ?? '',
    })),
    requested: minorToMajorText(a?.requested, currency),
    cofunding: minorToMajorText(a?.cofunding, currency),
    duration: a?.duration_months != null ? String(a.duration_months) : '',
    status: a?.status ?? 'draft',
    reviews: (a?.reviews_read ?? []).map((r) => ({
      key: rowKey(),
      id: r.id,
      reviewer: r.reviewer_id ? { id: r.reviewer_id, name: r.reviewer_name } : null,
      scores: Object.fromEntries(r.scores.map((s) => [s.criterion_id, String(s.score)])),
      comment: r.comment ?? '',
    })),
    notes: a?.notes ?? '',
  };
}

/** A review's scores as typed, those that are numbers (what the weighted score preview is asked about). */
function typedScores(criteria: Criterion[], scores: Record<string, string>): Score[] {
  return criteria.flatMap((k) => {
    const v = toNumber(scores[k.id] ?? '');
    return v === null || v === undefined ? [] : [{ criterion_id: k.id, score: v }];
  });
}

/** A review's weighted score as the core will keep it (asked of the core), or "incomplete". */
function ReviewWeighted({ criteria, scores, testId }: { criteria: Criterion[]; scores: Record<string, string>; testId: string }) {
  const { t, i18n } = useTranslation();
  const weighted = useReviewScore(criteria, typedScores(criteria, scores));
  return (
    <span className={weighted === null ? 'muted' : ''} data-testid={testId}>
      {weighted === null ? t('application.incomplete') : t('application.scoreOf', { score: formatScore(weighted, i18n.language) })}
    </span>
  );
}

const isEmptyReview = (r: ReviewRow) => !r.reviewer && !r.comment.trim() && Object.values(r.scores).every((v) => !v.trim());

/**
 * The input the core expects, the errors found before sending it (amounts and numbers that are not ones),
 * and how to map the core's error paths back to the form: empty reviews are not sent, and a review's
 * `scores[m]` is the m-th criterion it scores, shown under that criterion's input.
 */
function inputOf(
  d: Draft,
  criteria: Criterion[],
  currency: string | null,
): { input: ApplicationInput; local: FieldError[]; remap: (errors: FieldError[]) => FieldError[] } {
  const local: FieldError[] = [];
  const add = (field: string, code: string) => local.push({ field, code, message: code });
  const money = (value: string, field: string) => {
    const v = parseMajor(value, currency);
    if (v === undefined) add(field, 'amount');
    return v ?? null;
  };
  const duration = toNumber(d.duration);
  if (duration === undefined || (duration !== null && !Number.isInteger(duration))) add('duration_months', 'whole_number');
  const sentReviews: number[] = [];
  const scoreIndex: number[][] = [];
  const reviews: ReviewInput[] = d.reviews.flatMap((r, i) => {
    if (isEmptyReview(r)) return [];
    sentReviews.push(i);
    const index: number[] = [];
    const scores = criteria.flatMap((k, j) => {
      const v = toNumber(r.scores[k.id] ?? '');
      if (v === undefined) add(`reviews[${i}].scores[${j}].score`, 'number');
      if (v === null || v === undefined) return [];
      index.push(j);
      return [{ criterion_id: k.id, score: v }];
    });
    scoreIndex.push(index);
    return [{ ...(r.id ? { id: r.id } : {}), reviewer_id: r.reviewer?.id ?? null, scores, comment: blankToNull(r.comment) }];
  });
  const input: ApplicationInput = {
    call_id: d.callId || null,
    reference: blankToNull(d.reference),
    acronym: blankToNull(d.acronym),
    title: d.title.trim(),
    pi_id: d.pi?.id ?? null,
    lead_id: d.lead?.id ?? null,
    // Every partner row is sent, empty ones too: the core says which one lacks its organisation.
    partners: d.partners.map((p) => ({ ...(p.id ? { id: p.id } : {}), partner_id: p.partner?.id ?? null, role: blankToNull(p.role) })),
    requested: money(d.requested, 'requested'),
    cofunding: money(d.cofunding, 'cofunding'),
    duration_months: duration === undefined ? null : toInt(d.duration),
    status: d.status,
    reviews,
    notes: blankToNull(d.notes),
  };
  const reviewPath = /^reviews\[(\d+)\](?:\.scores\[(\d+)\](?:\.(score|criterion_id))?)?/;
  const remap = (errors: FieldError[]) =>
    errors.map((f) => {
      let moved = f;
      const m = reviewPath.exec(f.field);
      if (m) {
        const k = Number(m[1]);
        const formI = sentReviews[k] ?? k;
        const rest = f.field.slice(m[0].length);
        if (m[2] === undefined) moved = { ...f, field: `reviews[${formI}]${rest}` };
        else {
          const j = scoreIndex[k]?.[Number(m[2])] ?? Number(m[2]);
          // A score's criterion error is shown under that score's input too.
          moved = { ...f, field: `reviews[${formI}].scores[${j}].score${m[3] ? '' : rest}` };
        }
      }
      if (moved.code === 'duplicate' && /^partners\[\d+\]\.partner_id$/.test(moved.field)) return { ...moved, code: 'already_in_application' };
      return moved;
    });
  return { input, local, remap };
}

export function ApplicationForm({ id, callId }: { id?: string; callId?: string }) {
  const { back } = useRouter();
  const application = useQuery({
    queryKey: ['application', id],
    queryFn: () => api.applicationGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  const currentCallId = id ? application.data?.call_id : callId;
  // The call's currency, to show the stored amounts in its units.
  const call = useQuery({
    queryKey: ['call', currentCallId],
    queryFn: () => api.callGet(currentCallId as string),
    enabled: Boolean(currentCallId),
    retry: false,
  });
  if ((id && application.isPending) || (currentCallId && call.isPending)) return <PageSkeleton />;
  if (id && (application.error || !application.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(application.error)} onRetry={() => void application.refetch()} />
      </div>
    );
  }
  return <ApplicationFormBody application={id ? application.data : undefined} presetCallId={callId} currency={call.data?.currency ?? null} />;
}

function ApplicationFormBody({
  application,
  presetCallId,
  currency: initialCurrency,
}: {
  application?: Application;
  presetCallId?: string;
  currency: string | null;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { back } = useRouter();
  const uid = useId();
  const rules = useRules();
  const limits = rules.text_limits;
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(application, presetCallId, initialCurrency));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [localFailure, setLocalFailure] = useState(0);
  // The status the record has: the select offers it and the moves the workflow allows from it.
  const [fromStatus] = useState<ApplicationStatus>(() => application?.status ?? 'draft');

  const calls = useCallChoices();
  const call = useQuery({
    queryKey: ['call', draft.callId],
    queryFn: () => api.callGet(draft.callId),
    enabled: Boolean(draft.callId),
    retry: false,
  });
  const sameCall = application && application.call_id === draft.callId;
  const criteria: Criterion[] = draft.callId ? (call.data?.criteria_read ?? (sameCall ? application.criteria : [])) : [];
  const currency = call.data?.currency ?? (sameCall || draft.callId === presetCallId ? initialCurrency : null);

  const { errors: coreErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: ApplicationInput) => (application ? api.applicationUpdate(application.id, input) : api.applicationCreate(input)),
    page: (saved) => ({ name: 'application', id: saved.id }),
  });
  const errors: FieldErrors = { ...coreErrors, ...localErrors };
  const submit = () => {
    const { input, local, remap } = inputOf(draft, criteria, currency);
    setLocalErrors(fieldErrorMap(local));
    if (local.length) {
      setLocalFailure((n) => n + 1);
      return false;
    }
    return save(input, remap);
  };
  // A new object after each failed save, here or in the core: the first invalid field gets the focus.
  const failed = useMemo(() => (failure || localFailure ? {} : null), [failure, localFailure]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setPartner = (i: number, patch: Partial<PartnerRow>) =>
    setDraft((d) => ({ ...d, partners: d.partners.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const setReview = (i: number, patch: Partial<ReviewRow>) =>
    setDraft((d) => ({ ...d, reviews: d.reviews.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  const callOptions = (calls.data ?? []).map((c) => ({ id: c.id, label: c.code ? `${c.title} (${c.code})` : c.title }));
  if (draft.callId && !callOptions.some((o) => o.id === draft.callId)) {
    const name = call.data?.title ?? (sameCall ? application.call_title : null);
    callOptions.push({ id: draft.callId, label: name ?? (calls.isPending || call.isPending ? t('common.loading') : t('common.pendingSync')) });
  }

  const placed = new Set([
    'call_id',
    'reference',
    'acronym',
    'title',
    'pi_id',
    'lead_id',
    'partners',
    'requested',
    'cofunding',
    'duration_months',
    'status',
    'reviews',
    'notes',
    ...draft.partners.flatMap((_, i) => [`partners[${i}].partner_id`, `partners[${i}].role`]),
    ...draft.reviews.flatMap((_, i) => [
      `reviews[${i}].reviewer_id`,
      `reviews[${i}].comment`,
      `reviews[${i}].scores`,
      ...criteria.map((_k, j) => `reviews[${i}].scores[${j}].score`),
    ]),
  ]);
  const title = application ? t('application.editTitle', { name: application.title }) : t('application.newTitle');
  const amountHint = currency ? t('application.amountHint', { currency }) : t('application.amountHintNoCurrency');

  const amountField = (key: 'requested' | 'cofunding', label: string, testId: string) => (
    <Field label={label} htmlFor={`${uid}-${key}`} path={key} errors={errors} hint={amountHint} hintId={`${uid}-${key}-hint`}>
      <input
        id={`${uid}-${key}`}
        data-testid={testId}
        className="input input-short"
        type="text"
        inputMode="decimal"
        value={draft[key]}
        placeholder="50000.00"
        autoComplete="off"
        {...invalidProps(key, errors, `${uid}-${key}-hint`)}
        onChange={(e) => set(key, e.target.value)}
      />
      {currency && <span className="muted small inline-hint mono">{currency}</span>}
    </Field>
  );

  return (
    <FormPage
      title={title}
      testId="application-form"
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
      <FormSection title={t('application.general')}>
        <Field
          label={t('application.call')}
          htmlFor={`${uid}-call`}
          path="call_id"
          errors={errors}
          required
          hint={call.data?.deadline_at ? t('call.deadlineOn', { time: formatCallTime(call.data.deadline_at, call.data.time_zone, lang) }) : undefined}
          hintId={`${uid}-call-hint`}
        >
          <select
            id={`${uid}-call`}
            data-testid="field-call"
            className="select select-wide"
            value={draft.callId}
            aria-required="true"
            {...invalidProps('call_id', errors, call.data?.deadline_at ? `${uid}-call-hint` : undefined)}
            onChange={(e) => set('callId', e.target.value)}
          >
            <option value="">{calls.isPending ? t('common.loading') : t('application.chooseCall')}</option>
            {callOptions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('application.title')} htmlFor={`${uid}-title`} path="title" errors={errors} required>
          <input
            id={`${uid}-title`}
            data-testid="field-title"
            maxLength={limits.line}
            className="input"
            value={draft.title}
            autoFocus={!application}
            aria-required="true"
            {...invalidProps('title', errors)}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label={t('application.reference')} htmlFor={`${uid}-reference`} path="reference" errors={errors}>
          <input
            id={`${uid}-reference`}
            data-testid="field-reference"
            maxLength={limits.line}
            className="input input-short mono"
            value={draft.reference}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('reference', errors)}
            onChange={(e) => set('reference', e.target.value)}
          />
        </Field>
        <Field label={t('application.acronym')} htmlFor={`${uid}-acronym`} path="acronym" errors={errors}>
          <input
            id={`${uid}-acronym`}
            data-testid="field-acronym"
            maxLength={limits.line}
            className="input input-short"
            value={draft.acronym}
            spellCheck={false}
            autoComplete="off"
            {...invalidProps('acronym', errors)}
            onChange={(e) => set('acronym', e.target.value)}
          />
        </Field>
        <Field
          label={t('application.status')}
          htmlFor={`${uid}-status`}
          path="status"
          errors={errors}
          hint={t('application.statusHint')}
          hintId={`${uid}-status-hint`}
        >
          <select
            id={`${uid}-status`}
            data-testid="field-status"
            className="select"
            value={draft.status}
            {...invalidProps('status', errors, `${uid}-status-hint`)}
            onChange={(e) => set('status', e.target.value as ApplicationStatus)}
          >
            {statusChoices(rules, fromStatus).map((s) => (
              <option key={s} value={s}>
                {t(`enums.applicationStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('application.people')}>
        <Field label={t('application.pi')} htmlFor={`${uid}-pi`} path="pi_id" errors={errors}>
          <ContactPicker
            id={`${uid}-pi`}
            testId="field-pi"
            value={draft.pi}
            invalid={Boolean(errors.pi_id)}
            describedBy={invalidProps('pi_id', errors)['aria-describedby']}
            onChange={(v) => set('pi', v)}
          />
        </Field>
        <Field label={t('application.lead')} htmlFor={`${uid}-lead`} path="lead_id" errors={errors} required>
          <PartnerPicker
            id={`${uid}-lead`}
            testId="field-lead"
            value={draft.lead}
            required
            invalid={Boolean(errors.lead_id)}
            describedBy={invalidProps('lead_id', errors)['aria-describedby']}
            onChange={(v) => set('lead', v)}
          />
        </Field>
        <div className="field">
          <span className="field-label" id={`${uid}-partners-label`}>
            {t('application.partners')}
          </span>
          <div className="field-control">
            <div className="repeat" role="group" aria-labelledby={`${uid}-partners-label`}>
              {draft.partners.length === 0 && <p className="muted small">{t('application.noPartners')}</p>}
              {draft.partners.map((p, i) => {
                const path = `partners[${i}]`;
                return (
                  <div className="repeat-row" key={p.key} data-testid={`app-partner-row-${i}`}>
                    <div className="repeat-cell grow">
                      <label className="sr-only" htmlFor={`${uid}-partner-${i}`}>
                        {t('application.partnerN', { n: i + 1 })}
                      </label>
                      <PartnerPicker
                        id={`${uid}-partner-${i}`}
                        testId={`app-partner-${i}`}
                        value={p.partner}
                        required
                        exclude={draft.lead ? [draft.lead.id] : []}
                        invalid={Boolean(errors[`${path}.partner_id`])}
                        describedBy={invalidProps(`${path}.partner_id`, errors)['aria-describedby']}
                        onChange={(v) => setPartner(i, { partner: v })}
                      />
                      <FieldErrorText path={`${path}.partner_id`} errors={errors} />
                    </div>
                    <div className="repeat-cell">
                      <label className="sr-only" htmlFor={`${uid}-partner-role-${i}`}>
                        {t('application.roleOf', { n: i + 1 })}
                      </label>
                      <input
                        id={`${uid}-partner-role-${i}`}
                        data-testid={`app-partner-role-${i}`}
                        maxLength={limits.line}
                        className="input"
                        value={p.role}
                        placeholder={t('application.rolePlaceholder')}
                        {...invalidProps(`${path}.role`, errors)}
                        onChange={(e) => setPartner(i, { role: e.target.value })}
                      />
                      <FieldErrorText path={`${path}.role`} errors={errors} />
                    </div>
                    <button
                      type="button"
                      className="icon-btn"
                      data-testid={`app-partner-remove-${i}`}
                      aria-label={t('application.removePartner', { n: i + 1 })}
                      title={t('application.removePartner', { n: i + 1 })}
                      onClick={() => set('partners', draft.partners.filter((_, j) => j !== i))}
                    >
                      <IconX />
                    </button>
                  </div>
                );
              })}
              <FieldErrorText path="partners" errors={errors} />
              <div>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  data-testid="app-partner-add"
                  onClick={() => set('partners', [...draft.partners, emptyPartner()])}
                >
                  <IconPlus />
                  {t('application.addPartner')}
                </button>
              </div>
            </div>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('application.fundingSection')}>
        {amountField('requested', t('application.requested'), 'field-requested')}
        {amountField('cofunding', t('application.cofunding'), 'field-cofunding')}
        <Field label={t('application.duration')} htmlFor={`${uid}-duration`} path="duration_months" errors={errors}>
          <input
            id={`${uid}-duration`}
            data-testid="field-duration"
            className="input input-number"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={draft.duration}
            {...invalidProps('duration_months', errors)}
            onChange={(e) => set('duration', e.target.value)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('application.reviews')}>
        {!draft.callId ? (
          <p className="muted small">{t('application.chooseCallFirst')}</p>
        ) : criteria.length === 0 ? (
          <p className="muted small">{call.isPending ? t('common.loading') : t('application.noCriteria')}</p>
        ) : null}
        <div className="repeat" role="group" aria-label={t('application.reviews')}>
          {draft.reviews.map((r, i) => {
            const path = `reviews[${i}]`;
            return (
              <div className="sub-row" key={r.key} data-testid={`review-${i}`} role="group" aria-label={t('application.reviewN', { n: i + 1 })}>
                <div className="sub-grid">
                  <div className="aff-cell span-2">
                    <label className="field-label" htmlFor={`${uid}-reviewer-${i}`}>
                      {t('application.reviewer')}
                    </label>
                    <ContactPicker
                      id={`${uid}-reviewer-${i}`}
                      testId={`review-reviewer-${i}`}
                      value={r.reviewer}
                      invalid={Boolean(errors[`${path}.reviewer_id`])}
                      describedBy={invalidProps(`${path}.reviewer_id`, errors)['aria-describedby']}
                      onChange={(v) => setReview(i, { reviewer: v })}
                    />
                    <FieldErrorText path={`${path}.reviewer_id`} errors={errors} />
                  </div>
                  <div className="aff-cell span-2 review-weighted-cell">
                    <span className="field-label">{t('application.weighted')}</span>
                    <ReviewWeighted criteria={criteria} scores={r.scores} testId={`review-${i}-weighted`} />
                  </div>
                  {criteria.map((k, j) => {
                    const sp = `${path}.scores[${j}].score`;
                    return (
                      <div className="aff-cell score-cell" key={k.id}>
                        <label className="field-label" htmlFor={`${uid}-score-${i}-${j}`}>
                          {k.name}
                        </label>
                        <div className="score-input">
                          <input
                            id={`${uid}-score-${i}-${j}`}
                            data-testid={`review-${i}-score-${j}`}
                            className="input input-score"
                            type="number"
                            inputMode="decimal"
                            min={0}
                            max={k.max_score}
                            step="any"
                            value={r.scores[k.id] ?? ''}
                            {...invalidProps(sp, errors, `${uid}-score-${i}-${j}-max`)}
                            onChange={(e) => setReview(i, { scores: { ...r.scores, [k.id]: e.target.value } })}
                          />
                          <span className="muted score-max" id={`${uid}-score-${i}-${j}-max`}>
                            / {formatPoints(k.max_score, lang)}
                          </span>
                        </div>
                        <FieldErrorText path={sp} errors={errors} />
                      </div>
                    );
                  })}
                  <FieldErrorText path={`${path}.scores`} errors={errors} />
                  <div className="aff-cell span-all">
                    <label className="field-label" htmlFor={`${uid}-review-comment-${i}`}>
                      {t('application.comment')}
                    </label>
                    <textarea
                      id={`${uid}-review-comment-${i}`}
                      data-testid={`review-comment-${i}`}
                      maxLength={limits.notes}
                      className="textarea"
                      rows={2}
                      value={r.comment}
                      {...invalidProps(`${path}.comment`, errors)}
                      onChange={(e) => setReview(i, { comment: e.target.value })}
                    />
                    <FieldErrorText path={`${path}.comment`} errors={errors} />
                  </div>
                </div>
                <button
                  type="button"
                  className="icon-btn"
                  data-testid={`review-remove-${i}`}
                  aria-label={t('application.removeReview', { n: i + 1 })}
                  title={t('application.removeReview', { n: i + 1 })}
                  onClick={() => set('reviews', draft.reviews.filter((_, j) => j !== i))}
                >
                  <IconX />
                </button>
              </div>
            );
          })}
          <FieldErrorText path="reviews" errors={errors} />
          <div>
            <button type="button" className="btn btn-ghost btn-sm" data-testid="review-add" onClick={() => set('reviews', [...draft.reviews, emptyReview()])}>
              <IconPlus />
              {t('application.addReview')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('application.notes')}>
        <Field label={t('application.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
