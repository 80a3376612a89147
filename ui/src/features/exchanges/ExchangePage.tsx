import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import type { Exchange } from '../../bindings/Exchange';
import type { Label } from '../../bindings/Label';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeletionBanners } from '../../components/DeletionBanners';
import { Documents } from '../../components/Documents';
import { BackButton, ErrorBanner, PageSkeleton } from '../../components/Feedback';
import { History } from '../../components/History';
import { Name } from '../../components/Name';
import { IconArrowRight, IconEdit, IconTrash } from '../../components/icons';
import { Prop } from '../../components/Prop';
import { periodText } from '../../components/RelatedLists';
import { useDeleteWithUndo } from '../../hooks/useDeleteWithUndo';
import { currentLang } from '../../i18n';
import { api, toIpcError } from '../../ipc';
import { academicYearLabel } from '../../lib/enums';
import { FieldName } from '../../lib/fields';
import { formatMoney } from '../../lib/format';
import { languageName } from '../../lib/geo';
import { useRouter, type Route } from '../../router';
import { conditionLabel } from '../../lib/agreements';
import { ExchangeStatusBadge } from './ExchangeStatusBadge';

/** A link to a record, "pending sync" when its name is not known here, nothing without an id. */
function RecordLink({
  id,
  name,
  label,
  route,
  testId,
}: {
  id: string | null;
  name: string | null;
  /** The organisation's name for the UI language, when the core gave one. */
  label?: Label;
  route: (id: string) => Route;
  testId: string;
}) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  if (!id) return null;
  if (!name) {
    return (
      <span className="pending" data-testid={testId}>
        {t('common.pendingSync')}
      </span>
    );
  }
  return (
    <button type="button" className="link" data-testid={testId} onClick={() => navigate(route(id))}>
      {label ? <Name label={label} /> : name}
    </button>
  );
}

const partnerRoute = (id: string): Route => ({ name: 'partner', id });

export function ExchangePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const { data: exchange, error, isPending, refetch } = useQuery({
    queryKey: ['exchange', id],
    queryFn: () => api.exchangeGet(id),
  });
  const { confirming, setConfirming, remove, restore } = useDeleteWithUndo({
    remove: () => api.exchangeDelete(id),
    restore: () => api.exchangeRestore(id),
    section: 'exchanges',
    messages: { deleted: 'exchange.deleted', restored: 'exchange.restored' },
  });

  if (isPending) return <PageSkeleton />;
  if (error || !exchange) {
    return (
      <div className="page">
        <BackButton onClick={back} />
        <ErrorBanner error={toIpcError(error)} onRetry={() => void refetch()} />
      </div>
    );
  }

  const name = exchange.person_name ?? t('common.pendingSync');

  return (
    <div className="page page-record">
      <BackButton onClick={back} />
      <header className="record-head">
        <div className="record-title-block">
          <p className="eyebrow">
            {t(`enums.direction.${exchange.direction}`)} · {t(`enums.category.${exchange.category}`)}
            {exchange.academic_year !== null && <> · {academicYearLabel(exchange.academic_year)}</>}
          </p>
          <h1 className={`page-title${exchange.person_name ? '' : ' pending'}`} data-testid="exchange-title">
            {name}
          </h1>
          <div className="record-badges">
            <ExchangeStatusBadge status={exchange.status} testId="exchange-status" />
            <span className="badge badge-muted">{t(`enums.programme.${exchange.programme}`)}</span>
            {exchange.cohort && <span className="badge badge-outline-soft">{exchange.cohort}</span>}
          </div>
          <p className="route-line" data-testid="exchange-route">
            <RecordLink id={exchange.home_id} name={exchange.home_name} label={exchange.home_labels?.[currentLang()]} route={partnerRoute} testId="exchange-home" />
            {!exchange.home_id && <span className="muted">{t('exchange.noHome')}</span>}
            <IconArrowRight className="route-arrow" />
            <span className="sr-only">{t('agreement.to')}</span>
            <RecordLink id={exchange.host_id} name={exchange.host_name} label={exchange.host_labels?.[currentLang()]} route={partnerRoute} testId="exchange-host" />
            {!exchange.host_id && <span className="muted">{t('exchange.noHost')}</span>}
          </p>
        </div>
        <div className="record-actions">
          <button type="button" className="btn" data-testid="exchange-edit" onClick={() => navigate({ name: 'exchangeEdit', id })}>
            <IconEdit />
            {t('common.edit')}
          </button>
          <button type="button" className="btn btn-danger-ghost" data-testid="exchange-delete" onClick={() => setConfirming(true)}>
            <IconTrash />
            {t('common.delete')}
          </button>
        </div>
      </header>

      <DeletionBanners deleted={exchange.deleted} remove={remove} restore={restore} />

      <div className="record-grid">
        <div className="record-main">
          <Details exchange={exchange} />
          <Documents owner={id} />
        </div>
        <div className="record-side">
          <History id={id} />
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t('exchange.deleteTitle')}
          message={t('exchange.deleteText', { name })}
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

function ConditionText({ agreementId, conditionId }: { agreementId: string; conditionId: string }) {
  const { t } = useTranslation();
  const { data, isPending, isError } = useQuery({
    queryKey: ['agreement', agreementId],
    queryFn: () => api.agreementGet(agreementId),
    retry: false,
  });
  if (isPending) return <span className="muted">…</span>;
  const condition = data?.conditions_read.find((c) => c.id === conditionId);
  if (isError || !condition) return <span className="pending">{t('common.pendingSync')}</span>;
  return <span data-testid="exchange-condition">{conditionLabel(t, condition)}</span>;
}

function Details({ exchange: e }: { exchange: Exchange }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section className="card">
      <h2 className="card-title">{t('partner.details')}</h2>
      <dl className="props">
        <Prop label={t('exchange.person')}>
          {e.person_id && (
            <RecordLink id={e.person_id} name={e.person_name} route={(id) => ({ name: 'contact', id })} testId="exchange-person" />
          )}
        </Prop>
        <Prop label={t('exchange.direction')}>{t(`enums.direction.${e.direction}`)}</Prop>
        <Prop label={t('exchange.category')}>{t(`enums.category.${e.category}`)}</Prop>
        <Prop label={t('exchange.programme')}>{t(`enums.programme.${e.programme}`)}</Prop>
        <Prop label={t('exchange.home')}>
          {e.home_id && (
            <RecordLink id={e.home_id} name={e.home_name} label={e.home_labels?.[currentLang()]} route={partnerRoute} testId="exchange-home-link" />
          )}
        </Prop>
        <Prop label={t('exchange.host')}>
          {e.host_id && (
            <RecordLink id={e.host_id} name={e.host_name} label={e.host_labels?.[currentLang()]} route={partnerRoute} testId="exchange-host-link" />
          )}
        </Prop>
        <Prop label={t('exchange.unit')}>
          {e.unit_id && (
            <RecordLink id={e.unit_id} name={e.unit_name} label={e.unit_labels?.[currentLang()]} route={partnerRoute} testId="exchange-unit" />
          )}
        </Prop>
        <Prop label={t('exchange.agreement')}>
          {e.agreement_id && (
            <RecordLink id={e.agreement_id} name={e.agreement_title} route={(id) => ({ name: 'agreement', id })} testId="exchange-agreement" />
          )}
        </Prop>
        {e.agreement_id && e.condition_id && (
          <Prop label={t('exchange.condition')}>
            <ConditionText agreementId={e.agreement_id} conditionId={e.condition_id} />
          </Prop>
        )}
        <Prop label={t('exchange.academicYear')}>
          {e.academic_year !== null && <span data-testid="exchange-year">{e.academic_year_label ?? academicYearLabel(e.academic_year)}</span>}
        </Prop>
        <Prop label={t('exchange.planned')}>{periodText(t, lang, e.planned_start, e.planned_end)}</Prop>
        <Prop label={t('exchange.actual')}>{periodText(t, lang, e.actual_start, e.actual_end)}</Prop>
        <Prop label={t('exchange.level')}>{e.level && t(`enums.level.${e.level}`)}</Prop>
        <Prop label={t('exchange.field')}>{e.field && <span title={e.field}><FieldName code={e.field} /></span>}</Prop>
        <Prop label={t('exchange.language')}>
          {(e.language || e.cefr) && (
            <span>
              {e.language && <span title={e.language}>{languageName(e.language, lang)}</span>}
              {e.cefr && <span className="badge badge-muted cefr">{e.cefr}</span>}
            </span>
          )}
        </Prop>
        <Prop label={t('exchange.funding')}>{e.funding}</Prop>
        <Prop label={t('exchange.amount')}>
          {e.amount !== null && <span data-testid="exchange-amount">{formatMoney(e.amount, e.currency, lang)}</span>}
        </Prop>
        <Prop label={t('exchange.status')}>{t(`enums.exchangeStatus.${e.status}`)}</Prop>
        <Prop label={t('exchange.cohort')}>{e.cohort}</Prop>
        <Prop label={t('exchange.notes')}>{e.notes && <p className="notes">{e.notes}</p>}</Prop>
      </dl>
    </section>
  );
}
