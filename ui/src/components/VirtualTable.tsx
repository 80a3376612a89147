import { keepPreviousData, useQueries, useQueryClient } from '@tanstack/react-query';
import { columnResizingFeature, columnSizingFeature, tableFeatures, useTable, type ColumnSizingState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type Ref,
  type RefObject,
} from 'react';
import { useTranslation } from 'react-i18next';

import { useWindowKeydown } from '../hooks/useHotkeys';
import { toIpcError } from '../ipc';
import { readPersistent, storage, writePersistent } from '../lib/persist';
import { useRules } from '../lib/rules';
import { ErrorBanner } from './Feedback';
import { IconChevronDown, IconChevronUp, IconSearch, IconSort } from './icons';

export const PAGE_SIZE = 100;
export const ROW_HEIGHT = 40;

export interface Column<Row> {
  key: string;
  label: string;
  /** Its narrowest (and first) width, as a CSS track: `minmax(240px, 3fr)`, `120px`; the user resizes it. */
  width: string;
  /**
   * Takes the room the other columns leave (they keep the width they are given). By default the first name
   * column (`cell-name`), else the first that is not a figure.
   */
  grow?: boolean;
  sortable?: boolean;
  render: (row: Row) => ReactNode;
  className?: string;
}

/** A column track's minimum in pixels (`minmax(120px, …)` or `120px`). */
function minimumOf(width: string): number {
  return Number(/^(?:minmax\()?\s*(\d+(?:\.\d+)?)px/.exec(width)?.[1] ?? 0);
}

/** The column that takes the room left. */
export function growingColumn(columns: readonly Pick<Column<unknown>, 'key' | 'grow' | 'className'>[]): string | undefined {
  return (
    columns.find((c) => c.grow) ??
    columns.find((c) => c.className?.split(' ').includes('cell-name')) ??
    columns.find((c) => !c.className?.split(' ').includes('cell-num'))
  )?.key;
}

const tableFeaturesUsed = tableFeatures({ columnSizingFeature, columnResizingFeature });
/** The narrowest a resized column gets. */
const MIN_COLUMN = 48;
const sizesKey = (list: string) => `liaison.columns.${list}`;

/** The widths the user gave a list's columns, remembered per list. */
function savedSizes(list: string): ColumnSizingState {
  try {
    const saved: unknown = JSON.parse(storage.get(sizesKey(list)) ?? '{}');
    if (!saved || typeof saved !== 'object') return {};
    return Object.fromEntries(Object.entries(saved).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0));
  } catch {
    return {};
  }
}

/**
 * A cell cut by its column shows its full text on hover (unless it already says something there): the
 * first element in it whose text overflows gives the cell a title.
 */
function titleIfCut(cell: HTMLElement) {
  if (cell.dataset.ownTitle || cell.querySelector('[title]')) {
    cell.dataset.ownTitle = '1';
    return;
  }
  const cut = [cell, ...Array.from(cell.querySelectorAll<HTMLElement>('*'))].some((el) => el.scrollWidth > el.clientWidth + 1);
  const parts = Array.from(cell.children)
    .map((c) => c.textContent?.trim())
    .filter(Boolean);
  const text = parts.length > 1 ? parts.join(' · ') : (cell.textContent ?? '').trim();
  if (cut && text) cell.title = text;
  else cell.removeAttribute('title');
}

/** The row's padding and the gap between columns, in pixels (as in app.css). */
const ROW_PADDING = 2 * 16;
const COLUMN_GAP = 12;

/**
 * The narrowest a row can be without clipping a column: the columns' minimums (`minmax(120px, …)` or
 * `120px`), the gaps and the padding. Narrower than that, the table scrolls sideways.
 */
export function minTableWidth(columns: readonly { width: string }[]): number {
  const minimum = (width: string) => Number(/^(?:minmax\()?\s*(\d+(?:\.\d+)?)px/.exec(width)?.[1] ?? 0);
  const sum = columns.reduce((total, c) => total + minimum(c.width), 0);
  return sum + COLUMN_GAP * Math.max(0, columns.length - 1) + ROW_PADDING;
}

export interface Page<Row> {
  total: number;
  /** The count stopped at `total` (there are more rows than it says). */
  total_capped?: boolean;
  rows: Row[];
}

/** The part of a (React or DOM) keyboard event the table reads. */
export interface KeyLike {
  key: string;
  preventDefault: () => void;
}

export interface SortState {
  key: string | null;
  descending: boolean;
  /** Sorting is ignored (search results are ranked by relevance). */
  disabled?: boolean;
  onSort: (key: string) => void;
}

/**
 * The sort of a list whose filters hold `sort` and `descending`. A click on a new column sorts by it in its
 * natural direction (descending for the keys in `descendingFirst`: dates and figures, latest or largest
 * first); a click on the same column reverses it. A search ranks by relevance instead. `onChange` hears each
 * change (the lists forget their selection).
 */
export function listSort<K extends string, F extends { sort: K; descending: boolean }>(
  filters: F,
  setFilters: (next: (prev: F) => F) => void,
  { search, onChange, descendingFirst = [] }: { search: string; onChange: () => void; descendingFirst?: readonly K[] },
): SortState {
  return {
    key: filters.sort,
    descending: filters.descending,
    disabled: Boolean(search),
    onSort: (key) => {
      onChange();
      setFilters((f) => ({
        ...f,
        sort: key as K,
        descending: f.sort === key ? !f.descending : descendingFirst.includes(key as K),
      }));
    },
  };
}

export interface TableHandle {
  /** Keys typed in the search box: arrows move the selection, Enter opens. Returns true when handled. */
  handleKey: (e: KeyLike) => boolean;
  focus: () => void;
}

interface Props<Row> {
  /** Identifies the query (filters, sort): pages are cached under it by index. */
  queryKey: readonly unknown[];
  fetchPage: (offset: number, limit: number) => Promise<Page<Row>>;
  columns: Column<Row>[];
  getRowId: (row: Row) => string;
  rowTestId: string;
  label: string;
  selected: number | null;
  onSelect: (index: number | null) => void;
  onOpen: (row: Row) => void;
  /** The first page's total (null while it loads), and whether the count stopped there. */
  onTotal?: (total: number | null, capped: boolean) => void;
  sort?: SortState;
  /** Remembers the scroll position under this key while the app runs. */
  persistKey: string;
  empty: ReactNode;
  /** Rows in groups (an application list by call): a row whose group differs from the one above starts one. */
  groupOf?: (row: Row) => string | null;
  ref?: Ref<TableHandle>;
}

function pageRange(from: number, to: number): number[] {
  const pages = [0];
  for (let p = Math.max(0, from); p <= to; p++) if (p !== 0) pages.push(p);
  return pages;
}

/**
 * A table of any length: rows are fetched by pages of 100 as they scroll into view (cached by page index,
 * the first page's `total` sizes the scroller) and only the visible rows are in the DOM.
 */
export function VirtualTable<Row>({
  queryKey,
  fetchPage,
  columns,
  getRowId,
  rowTestId,
  label,
  selected,
  onSelect,
  onOpen,
  onTotal,
  sort,
  persistKey,
  empty,
  groupOf,
  ref,
}: Props<Row>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const keyHash = JSON.stringify(queryKey);

  // Column widths (TanStack Table's sizing and resizing): each column starts at its minimum and keeps the
  // width the user drags it to, remembered per list; the growing column takes what is left.
  const grow = growingColumn(columns);
  const [sizing, setSizing] = useState<ColumnSizingState>(() => savedSizes(persistKey));
  const table = useTable({
    features: tableFeaturesUsed,
    data: [] as Record<string, unknown>[], // the rows are drawn by the virtualizer: the table sizes columns only
    columns: columns.map((c) => ({
      id: c.key,
      header: c.label,
      size: minimumOf(c.width) || 120,
      minSize: Math.min(MIN_COLUMN, minimumOf(c.width) || MIN_COLUMN),
      enableResizing: c.key !== grow,
    })),
    columnResizeMode: 'onChange',
    state: { columnSizing: sizing },
    onColumnSizingChange: (updater: Updater<ColumnSizingState>) =>
      setSizing((old) => {
        const next = typeof updater === 'function' ? updater(old) : updater;
        storage.set(sizesKey(persistKey), JSON.stringify(next));
        return next;
      }),
  });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const sizeOf = (key: string) => headers.find((h) => h.column.id === key)?.getSize() ?? minimumOf(columns.find((c) => c.key === key)?.width ?? '');
  const template = columns.map((c) => (c.key === grow ? `minmax(${sizeOf(c.key)}px, 1fr)` : `${sizeOf(c.key)}px`)).join(' ');
  const minWidth = minTableWidth(columns.map((c) => ({ width: `${sizeOf(c.key)}px` })));
  const resizeBy = (key: string, delta: number) =>
    table.setColumnSizing((old) => ({ ...old, [key]: Math.max(MIN_COLUMN, sizeOf(key) + delta) }));

  // The query whose pages were last shown: its rows stand in while a new filter's first page loads.
  const [shownKey, setShownKey] = useState<readonly unknown[] | null>(null);

  const [range, setRange] = useState<[number, number]>([0, 0]);
  const pages = useMemo(() => pageRange(range[0], range[1]), [range]);

  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: [...queryKey, 'page', page],
      queryFn: () => fetchPage(page * PAGE_SIZE, PAGE_SIZE),
      staleTime: 60_000,
      placeholderData:
        page === 0
          ? keepPreviousData
          : () => (shownKey ? queryClient.getQueryData<Page<Row>>([...shownKey, 'page', page]) : undefined),
    })),
  });

  const first = results[0];
  const total = first.data?.total ?? null;
  const capped = first.data?.total_capped ?? false;
  const stale = first.isPlaceholderData;
  const count = total ?? 0;

  useEffect(() => {
    if (first.data && !first.isPlaceholderData && JSON.stringify(shownKey) !== keyHash) {
      setShownKey(JSON.parse(keyHash) as unknown[]);
    }
  }, [first.data, first.isPlaceholderData, keyHash, shownKey]);

  useEffect(() => {
    onTotal?.(total, capped);
  }, [onTotal, total, capped]);

  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: () => readPersistent<number>(`${persistKey}.scroll`) ?? 0,
    getItemKey: (index) => index,
  });

  // Back to the top when the filters change (not on the first render: the position may be restored).
  const lastKey = useRef(keyHash);
  useEffect(() => {
    if (lastKey.current !== keyHash) {
      lastKey.current = keyHash;
      writePersistent(`${persistKey}.scroll`, 0);
      virtualizer.scrollToOffset(0);
    }
  }, [keyHash, persistKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items.length ? items[0].index : 0;
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  // Fetch the pages under the visible rows, plus half a page ahead, once scrolling pauses for a moment.
  const wantFrom = Math.floor(Math.max(0, firstIndex - PAGE_SIZE / 2) / PAGE_SIZE);
  const wantTo = Math.floor(Math.min(Math.max(count - 1, 0), lastIndex + PAGE_SIZE / 2) / PAGE_SIZE);
  useEffect(() => {
    if (range[0] === wantFrom && range[1] === wantTo) return;
    const timer = window.setTimeout(() => setRange([wantFrom, wantTo]), 50);
    return () => window.clearTimeout(timer);
  }, [wantFrom, wantTo, range]);

  const dataByPage = new Map<number, Page<Row>>();
  pages.forEach((page, i) => {
    const data = results[i].data;
    if (data) dataByPage.set(page, data);
  });
  const rowAt = (index: number): Row | undefined => dataByPage.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE];

  const moveTo = (index: number) => {
    if (count === 0) return;
    const next = Math.min(count - 1, Math.max(0, index));
    onSelect(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const handleKey = (e: KeyLike, fromGrid = false): boolean => {
    const view = virtualizer.range;
    const inView = selected !== null && (view === null || (selected >= view.startIndex && selected <= view.endIndex));
    // Without a selection, or with one scrolled out of view, moving starts at the first row in view.
    const firstInView = view?.startIndex ?? 0;
    const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight || 400) / ROW_HEIGHT) - 1);
    const step = (delta: number) => moveTo(inView && selected !== null ? selected + delta : firstInView);
    switch (e.key) {
      case 'ArrowDown':
        step(1);
        break;
      case 'ArrowUp':
        step(-1);
        break;
      case 'PageDown':
        step(visibleRows);
        break;
      case 'PageUp':
        step(-visibleRows);
        break;
      case 'Home':
        if (!fromGrid) return false;
        moveTo(0);
        break;
      case 'End':
        if (!fromGrid) return false;
        moveTo(count - 1);
        break;
      case 'Enter': {
        if (selected === null) return false;
        const row = rowAt(selected);
        if (!row) return false;
        onOpen(row);
        break;
      }
      default:
        return false;
    }
    e.preventDefault();
    return true;
  };

  // Nothing focused (after a click on blank space, which focuses <main>): the arrows still drive the list.
  useWindowKeydown((e) => {
    const idle = e.target === document.body || (e.target instanceof HTMLElement && e.target.id === 'main');
    if (!idle || e.altKey || e.ctrlKey || e.metaKey) return;
    if (handleKey(e, true)) gridRef.current?.focus();
  });

  useImperativeHandle(ref, () => ({
    handleKey: (e) => handleKey(e),
    focus: () => gridRef.current?.focus(),
  }));

  const rowDomId = (index: number) => `${baseId}-row-${index}`;
  // A stable click handler, so that rows already on screen do not re-render while scrolling.
  const clickRef = useRef<(index: number, row: Row) => void>(() => {});
  useLayoutEffect(() => {
    clickRef.current = (index, row) => {
      onSelect(index);
      onOpen(row);
    };
  });
  const onRowClick = useCallback((index: number, row: Row) => clickRef.current(index, row), []);
  const error = first.error ?? results.find((r) => r.error)?.error;
  const loadingFirst = first.isPending;

  return (
    <div
      ref={gridRef}
      className={`vt${stale ? ' is-stale' : ''}`}
      role="grid"
      aria-label={label}
      aria-rowcount={total === null || capped ? -1 : total + 1}
      aria-busy={loadingFirst || stale}
      tabIndex={0}
      aria-activedescendant={selected !== null && rowAt(selected) ? rowDomId(selected) : undefined}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        handleKey(e, true);
      }}
    >
      <div ref={headRef} className="vt-head" role="rowgroup">
        <div className="vt-row vt-header-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minWidth }}>
          {columns.map((c) => {
            const active = sort && !sort.disabled && sort.key === c.key;
            const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : c.sortable && sort && !sort.disabled ? 'none' : undefined;
            return (
              <div key={c.key} role="columnheader" aria-sort={ariaSort} className="vt-cell vt-th">
                {c.sortable && sort ? (
                  <button
                    type="button"
                    className={`vt-sort${active ? ' is-active' : ''}`}
                    data-testid={`sort-${c.key}`}
                    disabled={sort.disabled}
                    title={t('partners.sortBy', { column: c.label })}
                    onClick={() => sort.onSort(c.key)}
                  >
                    <span>{c.label}</span>
                    {active ? (
                      sort.descending ? (
                        <IconChevronDown className="vt-sort-icon" />
                      ) : (
                        <IconChevronUp className="vt-sort-icon" />
                      )
                    ) : (
                      <IconSort className="vt-sort-icon is-idle" />
                    )}
                  </button>
                ) : (
                  <span className="vt-th-label" title={c.label}>
                    {c.label}
                  </span>
                )}
                {c.key !== grow && (
                  <div
                    className={`vt-resize${headers.find((h) => h.column.id === c.key)?.column.getIsResizing() ? ' is-resizing' : ''}`}
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={t('list.resizeColumn', { column: c.label })}
                    aria-valuenow={Math.round(sizeOf(c.key))}
                    tabIndex={0}
                    data-testid={`resize-${c.key}`}
                    title={t('list.resizeHint')}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      headers.find((h) => h.column.id === c.key)?.getResizeHandler()(e);
                    }}
                    onDoubleClick={() => table.setColumnSizing((old) => Object.fromEntries(Object.entries(old).filter(([k]) => k !== c.key)))}
                    onKeyDown={(e) => {
                      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                        e.preventDefault();
                        e.stopPropagation();
                        resizeBy(c.key, e.key === 'ArrowRight' ? 16 : -16);
                      }
                    }}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {error && !first.data ? (
        <div className="vt-message">
          <ErrorBanner error={toIpcError(error)} onRetry={() => results.forEach((r) => r.error && void r.refetch())} />
        </div>
      ) : total === 0 ? (
        <div className="vt-message">{empty}</div>
      ) : (
        <div
          ref={scrollRef}
          className="vt-body"
          role="rowgroup"
          onScroll={(e) => {
            writePersistent(`${persistKey}.scroll`, e.currentTarget.scrollTop);
            // Narrower than its columns, the body scrolls sideways and the header follows it.
            if (headRef.current) headRef.current.scrollLeft = e.currentTarget.scrollLeft;
          }}
        >
          <div className="vt-spacer" style={{ height: loadingFirst ? ROW_HEIGHT * 12 : virtualizer.getTotalSize(), minWidth }}>
            {loadingFirst
              ? Array.from({ length: 12 }, (_, i) => (
                  <div key={i} className="vt-row vt-skeleton-row" role="row" style={{ top: i * ROW_HEIGHT, gridTemplateColumns: template }}>
                    {columns.map((c) => (
                      <div key={c.key} className="vt-cell" role="gridcell">
                        <span className="skeleton skeleton-text" />
                      </div>
                    ))}
                  </div>
                ))
              : items.map((item) => {
                  const row = rowAt(item.index);
                  const above = item.index > 0 ? rowAt(item.index - 1) : undefined;
                  const groupStart = Boolean(groupOf && row && above && groupOf(row) !== groupOf(above));
                  return (
                    <VirtualRow<Row>
                      key={item.key}
                      index={item.index}
                      start={item.start}
                      row={row}
                      rowId={row ? getRowId(row) : undefined}
                      domId={rowDomId(item.index)}
                      selected={selected === item.index}
                      groupStart={groupStart}
                      columns={columns}
                      template={template}
                      testId={rowTestId}
                      onClick={onRowClick}
                    />
                  );
                })}
          </div>
        </div>
      )}
    </div>
  );
}

interface RowProps<Row> {
  index: number;
  start: number;
  row: Row | undefined;
  rowId: string | undefined;
  domId: string;
  selected: boolean;
  groupStart: boolean;
  columns: Column<Row>[];
  template: string;
  testId: string;
  onClick: (index: number, row: Row) => void;
}

/** One row (or its placeholder while its page loads); memoised: scrolling only renders the rows that appear. */
function VirtualRowImpl<Row>({ index, start, row, rowId, domId, selected, groupStart, columns, template, testId, onClick }: RowProps<Row>) {
  if (!row) {
    return (
      <div
        className="vt-row vt-skeleton-row"
        role="row"
        aria-rowindex={index + 2}
        style={{ top: start, height: ROW_HEIGHT, gridTemplateColumns: template }}
      >
        {columns.map((c) => (
          <div key={c.key} className="vt-cell" role="gridcell">
            <span className="skeleton skeleton-text" />
          </div>
        ))}
      </div>
    );
  }
  return (
    <div
      id={domId}
      className={`vt-row vt-data-row${selected ? ' is-selected' : ''}${groupStart ? ' is-group-start' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid={testId}
      data-id={rowId}
      style={{ top: start, height: ROW_HEIGHT, gridTemplateColumns: template }}
      onClick={() => onClick(index, row)}
      onMouseOver={(e) => {
        const cell = (e.target as Element).closest<HTMLElement>('.vt-cell');
        if (cell) titleIfCut(cell);
      }}
    >
      {columns.map((c) => (
        <div key={c.key} className={`vt-cell ${c.className ?? ''}`} role="gridcell">
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}

const VirtualRow = memo(VirtualRowImpl) as typeof VirtualRowImpl;

/**
 * A list's search box: typing narrows the list, Esc clears it, and the arrows and Enter drive the table
 * (the selection moves and opens without leaving the box).
 */
export function ListSearch({
  testId,
  label,
  placeholder,
  value,
  onChange,
  table,
}: {
  testId: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  table: RefObject<TableHandle | null>;
}) {
  const rules = useRules();
  return (
    <div className="search-box">
      <IconSearch className="search-box-icon" />
      <input
        type="search"
        className="input"
        data-testid={testId}
        data-section-search=""
        maxLength={rules.search_max_chars}
        aria-label={label}
        placeholder={placeholder}
        title={placeholder}
        value={value}
        autoComplete="off"
        spellCheck={false}
        autoFocus
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            onChange('');
            return;
          }
          table.current?.handleKey(e);
        }}
      />
    </div>
  );
}
