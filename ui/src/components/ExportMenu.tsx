import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportList } from '../bindings/ExportList';
import type { JobEvent } from '../bindings/JobEvent';
import { useJobs } from '../hooks/useJobs';
import { useToast } from '../hooks/useToast';
import { currentLang } from '../i18n';
import { api, toIpcError } from '../ipc';
import { formatNumber } from '../lib/format';
import { IconChevronDown, IconDownload } from './icons';

const FORMATS: readonly ExportFormat[] = ['xlsx', 'csv', 'excel_csv', 'json'];

/**
 * The Export button of a list: a menu of formats; the file is chosen in the shell's native save dialog, then
 * the list as the screen queries it (`list`: its filters, search and sort, as sent to its list command) is
 * written by the core as a job with progress and Cancel, and a toast says how many records went to which
 * file, or what went wrong. The columns and the formats are the core's.
 */
export function ExportMenu({ list }: { list: ExportList }) {
  const { t, i18n } = useTranslation();
  const jobs = useJobs();
  const toast = useToast();
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const formats = list.kind === 'contacts' ? [...FORMATS, 'vcard' as const] : FORMATS;

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => all[(i + all.length) % all.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape') {
      // The menu closes, not the screen or a form behind it.
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  const exportAs = async (format: ExportFormat) => {
    close();
    setBusy(true);
    // Events that arrive before the job is shown (it starts once the file is chosen) wait here.
    const early: JobEvent[] = [];
    let forward: ((e: JobEvent) => void) | null = null;
    let rows = 0;
    const onEvent = (e: JobEvent) => {
      // The core's last progress before `done` counts the records written.
      if (e.event === 'progress') rows = e.done;
      if (forward) forward(e);
      else early.push(e);
    };
    try {
      const started = await api.listExport(list, format, currentLang(), onEvent);
      // Null: the save dialog was cancelled.
      if (!started) return;
      const outcome = await jobs.start(`export.job.${list.kind}`, (toPanel) => {
        forward = toPanel;
        early.splice(0).forEach(toPanel);
        return Promise.resolve(started.job);
      });
      if (outcome.outcome === 'done') {
        const formatted = formatNumber(rows, i18n.language);
        toast.show({ message: 'export.written', values: { count: rows, formatted, file: started.file }, tone: 'success' });
      } else if (outcome.outcome === 'cancelled') {
        toast.show({ message: 'export.cancelled' });
      } else {
        toast.show({ message: 'export.failed', values: { message: outcome.error?.message ?? '' }, tone: 'error' });
      }
    } catch (e) {
      toast.show({ message: 'export.failed', values: { message: toIpcError(e).message }, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu">
      <button
        ref={button}
        type="button"
        className="btn"
        data-testid="export"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${uid}-menu` : undefined}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <IconDownload />
        {t('export.button')}
        <IconChevronDown />
      </button>
      {open && (
        <ul ref={menu} id={`${uid}-menu`} className="menu" role="menu" aria-label={t('export.menu')} onKeyDown={onMenuKey}>
          {formats.map((f) => (
            <li key={f} role="none">
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                data-testid={`export-${f}`}
                tabIndex={-1}
                onClick={() => void exportAs(f)}
              >
                <span className="menu-item-label">{t(`export.formats.${f}`)}</span>
                <span className="menu-item-hint">{t(`export.hints.${f}`)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
