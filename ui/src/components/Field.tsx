import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { DateInput } from './DateInput';
import { fieldErrorText, type FieldErrors } from '../lib/errors';

export function errorId(path: string): string {
  return `error-${path}`;
}

/** Accessibility props of an input whose field may have an error. */
export function invalidProps(path: string, errors: FieldErrors, hintId?: string) {
  const has = Boolean(errors[path]);
  const describedBy = [has ? errorId(path) : null, hintId].filter(Boolean).join(' ');
  return {
    'aria-invalid': has || undefined,
    'aria-describedby': describedBy || undefined,
  };
}

/** The inline message of a field error (`data-testid="error-names[0].value"`), nothing when the field is fine. */
export function FieldErrorText({ path, errors }: { path: string; errors: FieldErrors }) {
  const { t } = useTranslation();
  const error = errors[path];
  if (!error) return null;
  return (
    <p className="field-error" id={errorId(path)} data-testid={errorId(path)} role="alert">
      {fieldErrorText(t, error)}
    </p>
  );
}

interface FieldProps {
  label: string;
  htmlFor: string;
  path?: string;
  errors?: FieldErrors;
  hint?: string;
  hintId?: string;
  required?: boolean;
  children: ReactNode;
  className?: string;
}

/** A labelled form row: label, control, hint and inline error. */
export function Field({ label, htmlFor, path, errors, hint, hintId, required, children, className }: FieldProps) {
  return (
    <div className={`field ${className ?? ''}`}>
      <label className="field-label" htmlFor={htmlFor}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <div className="field-control">
        {children}
        {hint && (
          <p className="field-hint" id={hintId}>
            {hint}
          </p>
        )}
        {path && errors && <FieldErrorText path={path} errors={errors} />}
      </div>
    </div>
  );
}

/** A titled group of fields inside a form. */
export function FormSection({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="form-section">
      <header className="form-section-head">
        <h2>{title}</h2>
        {actions}
      </header>
      <div className="form-section-body">{children}</div>
    </section>
  );
}

/** A date input (`YYYY-MM-DD`, typed in the UI language's order) with its label and error; `required` marks it so. */
export function DateField({
  uid,
  name,
  path,
  label,
  testId,
  value,
  errors,
  onChange,
  required = false,
}: {
  uid: string;
  name: string;
  path: string;
  label: string;
  testId: string;
  value: string;
  errors: FieldErrors;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  return (
    <Field label={label} htmlFor={`${uid}-${name}`} path={path} errors={errors} required={required}>
      <DateInput
        id={`${uid}-${name}`}
        data-testid={testId}
        value={value}
        aria-required={required || undefined}
        {...invalidProps(path, errors)}
        onChange={onChange}
      />
    </Field>
  );
}
