import { useTranslation } from 'react-i18next';

import type { ExchangeStatus } from '../../bindings/ExchangeStatus';

export function ExchangeStatusBadge({ status, testId }: { status: ExchangeStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status badge-exchange-${status}`} data-testid={testId} data-status={status}>
      {t(`enums.exchangeStatus.${status}`)}
    </span>
  );
}
