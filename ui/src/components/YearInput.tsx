import type { FieldErrors } from '../lib/errors';
import { academicYearLabel, currentAcademicYear } from '../lib/enums';
import { toInt } from '../lib/format';
import { useRules } from '../lib/rules';
import { invalidProps } from './Field';

/** An academic year typed as a number, with its label ("2025/2026") beside. */
export function YearInput({
  id,
  testId,
  value,
  path,
  errors,
  onChange,
}: {
  id: string;
  testId: string;
  value: string;
  path: string;
  errors: FieldErrors;
  onChange: (value: string) => void;
}) {
  const year = toInt(value);
  const [first, last] = useRules().academic_years;
  return (
    <div className="year-input">
      <input
        id={id}
        data-testid={testId}
        className="input input-number"
        type="number"
        inputMode="numeric"
        min={first}
        max={last}
        step={1}
        placeholder={String(currentAcademicYear())}
        value={value}
        {...invalidProps(path, errors, year !== null ? `${id}-label` : undefined)}
        onChange={(e) => onChange(e.target.value)}
      />
      {year !== null && year >= 1000 && (
        <span className="muted small year-label" id={`${id}-label`} data-testid={`${testId}-label`}>
          {academicYearLabel(year)}
        </span>
      )}
    </div>
  );
}
