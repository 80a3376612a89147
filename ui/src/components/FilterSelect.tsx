import { useTranslation } from 'react-i18next';

/** A list's filter: a labelled select whose first choice is "any". */
export function FilterSelect({
  id,
  label,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  return (
    <div className={`filter${value ? ' is-set' : ''}`}>
      <label htmlFor={id} className="filter-label">
        {label}
      </label>
      <select id={id} data-testid={id} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
