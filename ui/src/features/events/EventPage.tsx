import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { Event } from '../../bindings/Event';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { PartnerName } from '../../components/Name';
import { IconEdit, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { dependantsSentence, useDependantsCheck } from '../../hooks/useDependants';
import { api, toIpcError } from '../../ipc';
import { formatDate, formatNumber } from '../../lib/format';
import { useRouter } from '../../router';

/** "18 May 2026", "18 May 2026 – 20 May 2026". */
export function eventDates(lang: string, start: string | null, end: string | null): string {
  if (start && end && end !== start) return `${formatDate(start, lang)} – ${formatDate(end, lang)}`;
  return formatDate(start ?? end, lang);
}

export function EventPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate, back } = useRouter();
  const { data: event, error, isPending, refetch } = useQuery({
    queryKey: ['event', id],
    queryFn: () => api.eventGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.eventDelete(id),
    restore: () => api.eventRestore(id),
    section: 'events',
    messages: { deleted: 'event.deleted', restored: 'event.restored' },
  });
  const dependants = useDependantsCheck(id);

  if (isPending) return <PageSkeleton />;
  if (error || !event) {
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
            {t(`enums.eventKind.${event.kind}`)} · {eventDates(lang, event.start_date, event.end_date)}
          </p>
          <h1 className="page-title" data-testid="event-title">
            {event.title}
          </h1>
          <div className="record-badges">
            {event.online && (
              <span className="badge badge-outline-soft" data-testid="event-online">
                {t('event.online')}
              </span>
            )}
            {event.zone && <span className="badge badge-muted">{t(`enums.zone.${event.zone}`)}</span>}
          </div>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="event-edit" onClick={() => navigate({ name: 'eventEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            data-testid="event-delete"
            aria-disabled={dependants.checking || undefined}
            aria-busy={dependants.checking || undefined}
            onClick={() => void askDelete()}
          >
            <IconTrash />
            {dependants.checking ? t('dependants.checking') : t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={event.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <Details event={event} />
          <Organisers event={event} />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('event.deleteTitle')}
          message={[t('event.deleteText', { name: event.title }), dependantsSentence(t, lang, dependants.result)].filter(Boolean).join(' ')}
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

function Details({ event }: { event: Event }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { navigate } = useRouter();
  const rate =
    event.registered && event.attended !== null
      ? new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(event.attended / event.registered)
      : null;
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('event.kind')}>{t(`enums.eventKind.${event.kind}`)}</Prop>
        <Prop label={t('event.dates')}>
          <span data-testid="event-dates">{eventDates(lang, event.start_date, event.end_date)}</span>
        </Prop>
        <Prop label={t('event.where')}>
          {(event.online || event.venue) && (
            <span data-testid="event-where">
              {event.online && t('event.online')}
              {event.online && event.venue && ' · '}
              {event.venue}
            </span>
          )}
        </Prop>
        <Prop label={t('event.zone')}>{event.zone && t(`enums.zone.${event.zone}`)}</Prop>
        <Prop label={t('event.project')}>
          {event.project_id &&
            (event.project_title ? (
              <button type="button" className="link" data-testid="event-project" onClick={() => navigate({ name: 'project', id: event.project_id as string })}>
                {event.project_title}
              </button>
            ) : (
              <span className="pending" data-testid="event-project">
                {t('common.pendingSync')}
              </span>
            ))}
        </Prop>
        <Prop label={t('event.registered')}>{event.registered !== null && <span data-testid="event-registered">{formatNumber(event.registered, lang)}</span>}</Prop>
        <Prop label={t('event.attended')}>
          {event.attended !== null && (
            <span data-testid="event-attended">
              {formatNumber(event.attended, lang)}
              {rate && <span className="muted small"> ({t('event.attendanceRate', { rate })})</span>}
            </span>
          )}
        </Prop>
        <Prop label={t('event.notes')}>{event.notes && <p className="notes">{event.notes}</p>}</Prop>
      </dl>
    </section>
  );
}

function Organisers({ event }: { event: Event }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <section className="card" aria-labelledby={`event-organisers-${event.id}`}>
      <h2 className="card-title" id={`event-organisers-${event.id}`}>
        {t('event.organisers')}
      </h2>
      {event.organisers_read.length === 0 ? (
        <p className="muted">{t('event.noOrganisers')}</p>
      ) : (
        <ul className="link-list" data-testid="event-organisers">
          {event.organisers_read.map((o) => (
            <li key={o.id}>
              {o.name ? (
                <button type="button" className="link-row" data-testid="event-organiser" onClick={() => navigate({ name: 'partner', id: o.id })}>
                  <span className="link-row-title">
                    <PartnerName labels={o.labels} fallback={o.name} />
                  </span>
                </button>
              ) : (
                <div className="link-row is-static" data-testid="event-organiser">
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
