import type { Label } from '../bindings/Label';

/** A name as the core chose it for the reader (`label::pick`), each part marked with its language so the
 * right font draws it: "Tohoku University 東北大学". */
export function Name({ label, className }: { label: Label; className?: string }) {
  return (
    <>
      <span className={className} lang={label.lang || undefined}>
        {label.name}
      </span>
      {label.native && (
        <span className="name-native" lang={label.native_lang ?? undefined}>
          {label.native}
        </span>
      )}
    </>
  );
}

/** A list row's or search hit's name fields as a label. */
export function labelOf(row: { name?: string; title?: string; lang?: string | null; native?: string | null; native_lang?: string | null }): Label {
  return {
    name: row.name ?? row.title ?? '',
    lang: row.lang ?? '',
    native: row.native ?? null,
    native_lang: row.native_lang ?? null,
  };
}
