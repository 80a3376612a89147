// Sorting in the fake backends, as the core's SQL sorts: a key per row, missing values last whatever the
// direction, then the next key; text compared without case or accents.

export type SortKey = string | number | null | undefined;

/** Lower case, accents removed, as the core's `fold`. */
export const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function compareKey(a: SortKey, b: SortKey): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const [x, y] = [fold(a), fold(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return (a as number) - (b as number);
}

/** Sorts `rows` by `keys` in turn; each key is `[value of a row, descending]`. Missing values come last. */
export function sortBy<T>(rows: T[], keys: [(row: T) => SortKey, boolean][]): T[] {
  return rows.sort((a, b) => {
    for (const [key, descending] of keys) {
      const [x, y] = [key(a), key(b)];
      const [xm, ym] = [x === null || x === undefined, y === null || y === undefined];
      if (xm || ym) {
        if (xm !== ym) return xm ? 1 : -1;
        continue;
      }
      const c = compareKey(x, y);
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}

/** A value's place in its vocabulary, for sorting statuses in workflow order. */
export const placeIn = (values: readonly string[]) => (v: string | null) => (v === null ? null : values.indexOf(v));
