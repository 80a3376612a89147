import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Event } from '../../bindings/Event';
import type { EventInput } from '../../bindings/EventInput';
import type { EventKind } from '../../bindings/EventKind';
import type { FieldError } from '../../bindings/FieldError';
import type { Zone } from '../../bindings/Zone';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { DateField, Field, FieldErrorText, FormSection, invalidProps } from '../../components/Field';
import { FormPage } from '../../components/FormShell';
import { IconPlus, IconX } from '../../components/icons';
import { PartnerPicker } from '../../components/PartnerPicker';
import { ProjectPicker } from '../../components/ProjectPicker';
import type { Picked } from '../../components/SearchPicker';
import { rowKey } from '../../components/StringList';
import { useDraft } from '../../hooks/useDraft';
import { useRecordSave } from '../../hooks/useRecordSave';
import { api, toIpcError } from '../../ipc';
import { useRules } from '../../lib/rules';
import { fieldErrorMap, remapIndex, type FieldErrors } from '../../lib/errors';
import { blankToNull, toNumber } from '../../lib/format';
import { useRouter } from '../../router';
import { labelText } from '../../components/Name';

interface OrganiserRow {
  key: number;
  partner: Picked | null;
}

interface Draft {
  title: string;
  kind: EventKind;
  start: string;
  end: string;
  online: boolean;
  venue: string;
  zone: Zone | '';
  project: Picked | null;
  organisers: OrganiserRow[];
  registered: string;
  attended: string;
  notes: string;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
const emptyOrganiser = (): OrganiserRow => ({ key: rowKey(), partner: null });

function draftOf(event: Event | undefined, presetProject: Picked | null): Draft {
  return {
    title: event?.title ?? '',
    kind: event?.kind ?? 'webinar',
    start: event?.start_date ?? '',
    end: event?.end_date ?? '',
    online: event?.online ?? false,
    venue: event?.venue ?? '',
    zone: event?.zone ?? '',
    project: event?.project_id ? { id: event.project_id, name: event.project_title } : presetProject,
    organisers: event ? event.organisers_read.map((o) => ({ key: rowKey(), partner: { id: o.id, name: labelText(o.labels, o.name) } })) : [emptyOrganiser()],
    registered: text(event?.registered),
    attended: text(event?.attended),
    notes: event?.notes ?? '',
  };
}

/** The input the core expects, the errors found before sending it (counts that are not whole numbers), and the remap of its paths. */
function inputOf(d: Draft): { input: EventInput; local: FieldError[]; remap: (errors: FieldError[]) => FieldError[] } {
  const local: FieldError[] = [];
  const count = (value: string, field: string) => {
    const n = toNumber(value);
    if (n === undefined || (n !== null && !Number.isInteger(n))) {
      local.push({ field, code: 'whole_number', message: 'whole_number' });
      return null;
    }
    return n;
  };
  // Empty organiser rows are not sent: the form index of each one sent.
  const index: number[] = [];
  const organisers: string[] = [];
  d.organisers.forEach((o, i) => {
    if (o.partner) {
      organisers.push(o.partner.id);
      index.push(i);
    }
  });
  const input: EventInput = {
    title: d.title.trim(),
    kind: d.kind,
    start_date: d.start || null,
    end_date: d.end || null,
    online: d.online,
    venue: blankToNull(d.venue),
    zone: d.zone || null,
    project_id: d.project?.id ?? null,
    organiser_ids: organisers,
    registered: count(d.registered, 'registered'),
    attended: count(d.attended, 'attended'),
    notes: blankToNull(d.notes),
  };
  return { input, local, remap: (errors) => remapIndex(errors, 'organiser_ids', index) };
}

export function EventForm({ id, projectId }: { id?: string; projectId?: string }) {
  const { back } = useRouter();
  const event = useQuery({
    queryKey: ['event', id],
    queryFn: () => api.eventGet(id as string),
    enabled: Boolean(id),
    staleTime: 0,
  });
  const project = useQuery({
    queryKey: ['project', projectId],
    queryFn: () => api.projectGet(projectId as string),
    enabled: Boolean(projectId),
  });
  if ((id && event.isPending) || (projectId && project.isPending)) return <PageSkeleton />;
  if (id && (event.error || !event.data)) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(event.error)} onRetry={() => void event.refetch()} />
      </div>
    );
  }
  return (
    <EventFormBody
      event={id ? event.data : undefined}
      presetProject={projectId ? { id: projectId, name: project.data?.title ?? null } : null}
    />
  );
}

function EventFormBody({ event, presetProject }: { event?: Event; presetProject: Picked | null }) {
  const rules = useRules();
  const limits = rules.text_limits;
  const { t } = useTranslation();
  const { back } = useRouter();
  const uid = useId();
  const [draft, setDraft, dirty] = useDraft<Draft>(() => draftOf(event, presetProject));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [localFailure, setLocalFailure] = useState(0);

  const { errors: coreErrors, failure, setFailure, saving, submit: save } = useRecordSave({
    save: (input: EventInput) => (event ? api.eventUpdate(event.id, input) : api.eventCreate(input)),
    page: (saved) => ({ name: 'event', id: saved.id }),
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
  const setOrganiser = (i: number, partner: Picked | null) =>
    setDraft((d) => ({ ...d, organisers: d.organisers.map((o, j) => (j === i ? { ...o, partner } : o)) }));

  const placed = new Set([
    'title',
    'kind',
    'start_date',
    'end_date',
    'online',
    'venue',
    'zone',
    'project_id',
    'organiser_ids',
    'registered',
    'attended',
    'notes',
    ...draft.organisers.map((_, i) => `organiser_ids[${i}]`),
  ]);
  const title = event ? t('event.editTitle', { name: event.title }) : t('event.newTitle');
  const chosen = draft.organisers.flatMap((o) => (o.partner ? [o.partner.id] : []));

  const countField = (key: 'registered' | 'attended', label: string, testId: string) => (
    <Field label={label} htmlFor={`${uid}-${key}`} path={key} errors={errors}>
      <input
        id={`${uid}-${key}`}
        data-testid={testId}
        className="input input-number"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        value={draft[key]}
        {...invalidProps(key, errors)}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );

  return (
    <FormPage
      title={title}
      testId="event-form"
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
        <Field label={t('event.title')} htmlFor={`${uid}-title`} path="title" errors={errors} required>
          <input
            id={`${uid}-title`}
            data-testid="field-title"
            maxLength={limits.line}
            className="input"
            value={draft.title}
            autoFocus={!event}
            aria-required="true"
            {...invalidProps('title', errors)}
            onChange={(e) => set('title', e.target.value)}
          />
        </Field>
        <Field label={t('event.kind')} htmlFor={`${uid}-kind`} path="kind" errors={errors}>
          <select
            id={`${uid}-kind`}
            data-testid="field-kind"
            className="select"
            value={draft.kind}
            {...invalidProps('kind', errors)}
            onChange={(e) => set('kind', e.target.value as EventKind)}
          >
            {rules.event_kinds.map((k) => (
              <option key={k} value={k}>
                {t(`enums.eventKind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('event.project')} htmlFor={`${uid}-project`} path="project_id" errors={errors} hint={t('event.projectHint')} hintId={`${uid}-project-hint`}>
          <ProjectPicker
            id={`${uid}-project`}
            testId="field-project"
            value={draft.project}
            invalid={Boolean(errors.project_id)}
            describedBy={invalidProps('project_id', errors, `${uid}-project-hint`)['aria-describedby']}
            onChange={(v) => set('project', v)}
          />
        </Field>
      </FormSection>

      <FormSection title={t('event.whenWhere')}>
        <DateField uid={uid} name="start" path="start_date" label={t('event.startDate')} testId="field-start-date" value={draft.start} errors={errors} onChange={(v) => set('start', v)} required />
        <DateField uid={uid} name="end" path="end_date" label={t('event.endDate')} testId="field-end-date" value={draft.end} errors={errors} onChange={(v) => set('end', v)} />
        <Field label={t('event.online')} htmlFor={`${uid}-online`} path="online" errors={errors}>
          <label className="checkbox">
            <input
              id={`${uid}-online`}
              type="checkbox"
              data-testid="field-online"
              checked={draft.online}
              onChange={(e) => set('online', e.target.checked)}
            />
            <span>{t('event.onlineText')}</span>
          </label>
        </Field>
        <Field label={t('event.venue')} htmlFor={`${uid}-venue`} path="venue" errors={errors} hint={t('event.venueHint')} hintId={`${uid}-venue-hint`}>
          <input
            id={`${uid}-venue`}
            data-testid="field-venue"
            maxLength={limits.line}
            className="input"
            value={draft.venue}
            placeholder={t('event.venuePlaceholder')}
            {...invalidProps('venue', errors, `${uid}-venue-hint`)}
            onChange={(e) => set('venue', e.target.value)}
          />
        </Field>
        <Field label={t('event.zone')} htmlFor={`${uid}-zone`} path="zone" errors={errors}>
          <select
            id={`${uid}-zone`}
            data-testid="field-zone"
            className="select"
            value={draft.zone}
            {...invalidProps('zone', errors)}
            onChange={(e) => set('zone', e.target.value as Zone | '')}
          >
            <option value="">{t('event.noZone')}</option>
            {rules.zones.map((z) => (
              <option key={z} value={z}>
                {t(`enums.zone.${z}`)}
              </option>
            ))}
          </select>
        </Field>
      </FormSection>

      <FormSection title={t('event.organisers')}>
        <div className="repeat" role="group" aria-label={t('event.organisers')}>
          {draft.organisers.length === 0 && <p className="muted small">{t('event.noOrganisers')}</p>}
          {draft.organisers.map((o, i) => (
            <div className="repeat-row" key={o.key} data-testid={`organiser-${i}`}>
              <div className="repeat-cell grow">
                <label className="sr-only" htmlFor={`${uid}-organiser-${i}`}>
                  {t('event.organiserN', { n: i + 1 })}
                </label>
                <PartnerPicker
                  id={`${uid}-organiser-${i}`}
                  testId={`organiser-partner-${i}`}
                  value={o.partner}
                  exclude={chosen.filter((x) => x !== o.partner?.id)}
                  placeholder={t('event.organiserPlaceholder')}
                  invalid={Boolean(errors[`organiser_ids[${i}]`])}
                  describedBy={invalidProps(`organiser_ids[${i}]`, errors)['aria-describedby']}
                  onChange={(v) => setOrganiser(i, v)}
                />
                <FieldErrorText path={`organiser_ids[${i}]`} errors={errors} />
              </div>
              <button
                type="button"
                className="icon-btn"
                data-testid={`organiser-remove-${i}`}
                aria-label={t('event.removeOrganiser', { n: i + 1 })}
                title={t('event.removeOrganiser', { n: i + 1 })}
                onClick={() => set('organisers', draft.organisers.filter((_, j) => j !== i))}
              >
                <IconX />
              </button>
            </div>
          ))}
          <FieldErrorText path="organiser_ids" errors={errors} />
          <div>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              data-testid="organiser-add"
              onClick={() => set('organisers', [...draft.organisers, emptyOrganiser()])}
            >
              <IconPlus />
              {t('event.addOrganiser')}
            </button>
          </div>
        </div>
      </FormSection>

      <FormSection title={t('event.participants')}>
        {countField('registered', t('event.registered'), 'field-registered')}
        {countField('attended', t('event.attended'), 'field-attended')}
      </FormSection>

      <FormSection title={t('event.notes')}>
        <Field label={t('event.notes')} htmlFor={`${uid}-notes`} path="notes" errors={errors}>
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
