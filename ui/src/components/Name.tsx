import type { Label } from '../bindings/Label';
import type { Labels } from '../bindings/Labels';
import { currentLang } from '../i18n';

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

/** A partner's name for the UI language as one text, "Fudan University (复旦大学)"; `fallback` (its primary
 * name) when the core gave no labels. */
export function labelText(labels: Labels | null | undefined, fallback: string | null): string | null {
  const label = labels?.[currentLang()];
  if (!label) return fallback;
  return label.native ? `${label.name} (${label.native})` : label.name;
}

/** A partner's name for the UI language, each part marked with its language; `fallback` without labels. */
export function PartnerName({ labels, fallback }: { labels: Labels | null | undefined; fallback: string | null }) {
  const label = labels?.[currentLang()];
  return label ? <Name label={label} /> : <>{fallback}</>;
}

/** Several partners' names for the UI language as one text, "Tongji University (同济大学) · Université Lumière Lyon 2". */
export function labelsText(list: Labels[], separator = ' · '): string {
  return list.map((labels) => labelText(labels, null) ?? '').join(separator);
}

/** Several partners' names for the UI language, each part marked with its language. */
export function PartnerNames({ list, separator = ' · ' }: { list: Labels[]; separator?: string }) {
  return (
    <>
      {list.map((labels, i) => (
        <span key={i}>
          {i > 0 && separator}
          <PartnerName labels={labels} fallback={null} />
        </span>
      ))}
    </>
  );
}
