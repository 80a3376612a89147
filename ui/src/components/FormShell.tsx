import { useRef, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

import type { IpcError } from '../bindings/IpcError';
import { fieldErrorText, type FieldErrors } from '../lib/errors';
import { useFocusFirstInvalid, useFormShortcuts } from '../hooks/useFormShortcuts';
import { useLeaveGuard } from '../router';
import { BackButton, ErrorBanner } from './Feedback';

/**
 * Why the last save failed: for invalid input, a banner listing the field errors that have no input of their
 * own (`placed` lists the paths that have one); for any other failure, the generic error banner.
 */
export function FormFailureBanner({
  failure,
  errors,
  placed,
  labelOf,
  onDismiss,
}: {
  failure: IpcError | null;
  errors: FieldErrors;
  placed: ReadonlySet<string>;
  /** The words a user knows a field by (its label), for the errors listed here. */
  labelOf?: (path: string) => string | undefined;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  if (!failure) return null;
  if (failure.kind !== 'invalid') return <ErrorBanner error={failure} onDismiss={onDismiss} />;
  const unplaced = Object.values(errors).filter((e) => !placed.has(e.field));
  return (
    <div className="banner banner-error form-errors" role="alert" data-testid="form-errors">
      <div className="banner-body">
        <strong>{t('form.fieldErrors')}</strong>
        {unplaced.length > 0 && (
          <ul>
            {unplaced.map((e) => (
              <li key={e.field} data-testid={`error-${e.field}`}>
                {t('form.fieldError', { label: labelOf?.(e.field) ?? e.field, error: fieldErrorText(t, e) })}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** The save hint, Cancel and Save of a form. */
export function FormFooter({ saving, onCancel }: { saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <footer className="form-footer">
      <span className="muted small">{t('common.saveHint')}</span>
      <div className="form-footer-actions">
        <button type="button" className="btn" data-testid="form-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="form-save" disabled={saving}>
          {saving ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </footer>
  );
}

/**
 * Scrolls the page so that a field just focused (with Tab, say) sits above the sticky Save bar rather than
 * behind it; WebKit's own focus scrolling ignores the bar (and `scroll-padding`). Run after that scrolling.
 */
function keepAboveFooter(field: Element, form: HTMLFormElement) {
  const footer = form.querySelector('.form-footer');
  const scroller = form.closest('.main');
  if (!footer || !scroller || footer.contains(field)) return;
  const lift = () => {
    const hidden = field.getBoundingClientRect().bottom - footer.getBoundingClientRect().top;
    if (hidden > 0) scroller.scrollTop += hidden + 12;
  };
  // A date input reveals its focused part (day, month) a frame later, which can undo the first lift.
  requestAnimationFrame(() => {
    lift();
    requestAnimationFrame(lift);
  });
}

/**
 * A record's form page: Back, the title, the form with its shortcuts (Ctrl+Enter / Ctrl+S save, Esc cancels),
 * why the last save failed, the fields, and Cancel / Save. After a failed save (`focusOn` changes to a
 * value), the first invalid field is focused. While the form has changes (`dirty`), leaving it by any way asks
 * first: Save, Discard or Stay.
 */
export function FormPage({
  title,
  testId,
  submit,
  cancel,
  dirty,
  failure,
  onDismiss,
  errors,
  placed,
  labelOf,
  saving,
  focusOn,
  formRef,
  children,
}: {
  title: string;
  testId: string;
  /** Saves; says whether it worked (false or nothing when it did not). */
  submit: () => Promise<boolean> | boolean | void;
  cancel: () => void;
  /** The form differs from what it opened with. */
  dirty: boolean;
  failure: IpcError | null;
  onDismiss: () => void;
  errors: FieldErrors;
  placed: ReadonlySet<string>;
  labelOf?: (path: string) => string | undefined;
  saving: boolean;
  focusOn: unknown;
  /** For a form that also reaches into its own fields. */
  formRef?: RefObject<HTMLFormElement | null>;
  children: ReactNode;
}) {
  const ownRef = useRef<HTMLFormElement>(null);
  const ref = formRef ?? ownRef;
  const onKeyDown = useFormShortcuts(submit, cancel);
  useLeaveGuard(dirty, async () => (await submit()) === true);
  useFocusFirstInvalid(ref, focusOn);
  return (
    <div className="page page-form">
      <BackButton onClick={cancel} />
      <header className="page-head">
        <h1 className="page-title">{title}</h1>
      </header>
      <form
        ref={ref}
        className="form"
        noValidate
        aria-label={title}
        data-testid={testId}
        onKeyDown={onKeyDown}
        onFocus={(e) => keepAboveFooter(e.target, e.currentTarget)}
        // WebKitGTK sends no focus event when Tab enters a date input: its key-up on arrival does the same.
        onKeyUp={(e) => e.key === 'Tab' && keepAboveFooter(e.target as Element, e.currentTarget)}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <FormFailureBanner failure={failure} errors={errors} placed={placed} labelOf={labelOf} onDismiss={onDismiss} />
        {children}
        <FormFooter saving={saving} onCancel={cancel} />
      </form>
    </div>
  );
}
