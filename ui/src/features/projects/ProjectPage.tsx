import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { Project } from '../../bindings/Project';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { PartnerName } from '../../components/Name';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { periodText, RelatedEvents } from '../../components/RelatedLists';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { api, toIpcError } from '../../ipc';
import { FieldName } from '../../lib/fields';
import { formatMoney } from '../../lib/format';
import { useRouter } from '../../router';
import { ProjectStatusBadge } from './ProjectStatusBadge';

export function ProjectPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: project, error, isPending, refetch } = useQuery({
    queryKey: ['project', id],
    queryFn: () => api.projectGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.projectDelete(id),
    restore: () => api.projectRestore(id),
    section: 'projects',
    messages: { deleted: 'project.deleted', restored: 'project.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !project) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />
      </div>
    );
  }

  const askDelete = async () => {
    if (dependants.checking) return;
    await dependants.check();
    setConfirming(true);
  };

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {t(`enums.projectKind.${project.kind}`)}
            {project.code && <> · {project.code}</>}
          </p>
          <h1 className="page-title" data-testid="project-title">
            {project.title}
          </h1>
          <div className="record-badges">
            <ProjectStatusBadge status={project.status} testId="project-status" />
            {(project.start_date || project.end_date) && (
              <span className="badge badge-muted">{periodText(t, lang, project.start_date, project.end_date)}</span>
            )}
          </div>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="project-new-event" onClick={() => navigate({ name: 'eventNew', projectId: id })}>
            <IconPlus />
            {t('project.newEvent')}
          </button>
          <button type="button" className="btn" data-testid="project-edit" onClick={() => navigate({ name: 'projectEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="project-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={project.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <Details project={project} />
          <Partners project={project} />
          <Agreements project={project} />
          <RelatedEvents
            filter={{ project_id: id }}
            testId="project-events"
            action={
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => navigate({ name: 'eventNew', projectId: id })}>
                <IconPlus />
                {t('project.newEvent')}
              </button>
            }
          />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('project.deleteTitle')}
          message={[t('project.deleteText', { name: project.title }), dependantsSentence(t, lang, dependants.result)].filter(Boolean).join(' ')}
          confirmLabel={remove.isPending ? t('common.deleting') : t('confirm.ok')}
          cancelLabel={t('confirm.cancel')}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

function Details({ project }: { project: Project }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('project.code')}>{project.code && <span className="mono selectable">{project.code}</span>}</Prop>
        <Prop label={t('project.kind')}>{t(`enums.projectKind.${project.kind}`)}</Prop>
        <Prop label={t('project.status')}>{t(`enums.projectStatus.${project.status}`)}</Prop>
        <Prop label={t('project.period')}>{periodText(t, lang, project.start_date, project.end_date)}</Prop>
        <Prop label={t('project.budget')}>
          {project.budget !== null && <span data-testid="project-budget">{formatMoney(project.budget, project.currency, lang)}</span>}
        </Prop>
        <Prop label={t('project.fields')}>
          {project.fields.length > 0 && (
            <ul className="chips" data-testid="project-fields">
              {project.fields.map((f) => (
                <li key={f} className="chip" title={f}>
                  <FieldName code={f} />
                </li>
              ))}
            </ul>
          )}
        </Prop>
        <Prop label={t('project.notes')}>{project.notes && <p className="notes">{project.notes}</p>}</Prop>
      </dl>
    </section>
  );
}

function Partners({ project }: { project: Project }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <section className="card" aria-labelledby={`project-partners-${project.id}`}>
      <h2 className="card-title" id={`project-partners-${project.id}`}>
        {t('project.partners')}
      </h2>
      {project.partners_read.length === 0 ? (
        <p className="muted">{t('project.noPartners')}</p>
      ) : (
        <ul className="link-list" data-testid="project-partners">
          {project.partners_read.map((p) => (
            <li key={p.id}>
              {p.name ? (
                <button type="button" className="link-row" data-testid="project-partner" onClick={() => navigate({ name: 'partner', id: p.id })}>
                  <span className="link-row-title">
                    <PartnerName labels={p.labels} fallback={p.name} />
                  </span>
                  {p.role && <span className="link-row-sub">{p.role}</span>}
                </button>
              ) : (
                <div className="link-row is-static" data-testid="project-partner">
                  <span className="link-row-title pending">{t('common.pendingSync')}</span>
                  {p.role && <span className="link-row-sub">{p.role}</span>}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Agreements({ project }: { project: Project }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <section className="card" aria-labelledby={`project-agreements-${project.id}`}>
      <h2 className="card-title" id={`project-agreements-${project.id}`}>
        {t('project.agreements')}
      </h2>
      {project.agreements_read.length === 0 ? (
        <p className="muted">{t('project.noAgreements')}</p>
      ) : (
        <ul className="link-list" data-testid="project-agreements">
          {project.agreements_read.map((a) => (
            <li key={a.id}>
              {a.name ? (
                <button type="button" className="link-row" data-testid="project-agreement" onClick={() => navigate({ name: 'agreement', id: a.id })}>
                  <span className="link-row-title">{a.name}</span>
                </button>
              ) : (
                <div className="link-row is-static" data-testid="project-agreement">
                  <span className="link-row-title pending">{t('common.pendingSync')}</span>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
