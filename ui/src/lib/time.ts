// Times of a call: RFC 3339 strings with an offset ("2026-12-15T17:00:00+01:00"), announced in an IANA zone
// ("Europe/Paris"). Forms edit them as wall-clock times (datetime-local) in that zone; Intl gives the zone's
// offset at that moment, so the string sent carries the right one (+01:00 in winter, +02:00 in summer).

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** Zones offered in the time zone field (any IANA name is accepted). */
export const COMMON_TIME_ZONES: readonly string[] = [
  'Europe/Paris',
  'UTC',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'America/Sao_Paulo',
  'America/Toronto',
  'America/Montreal',
  'America/Vancouver',
  'Europe/Brussels',
  'Europe/London',
];

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter giving the wall-clock parts of an instant in `zone`; null when the zone is unknown. */
function partsFormatter(zone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(zone)) {
    try {
      formatters.set(
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
    } catch {
      formatters.set(zone, null);
    }
  }
  return formatters.get(zone) ?? null;
}

/** Is this an IANA time zone Intl knows ("Europe/Paris", "UTC")? */
export function isTimeZone(zone: string | null | undefined): zone is string {
  return Boolean(zone && zone.trim() && partsFormatter(zone.trim()));
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallIn(ms: number, zone: string): Wall | null {
  const f = partsFormatter(zone);
  if (!f) return null;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

const asUtc = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at an instant, in minutes (+120 for Paris in summer); null for an unknown zone. */
export function zoneOffsetMinutes(ms: number, zone: string): number | null {
  const seconds = Math.floor(ms / 1000) * 1000;
  const w = wallIn(seconds, zone);
  return w ? Math.round((asUtc(w) - seconds) / 60_000) : null;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** +120 → "+02:00", -180 → "-03:00", 0 → "+00:00". */
export function offsetText(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A wall-clock time typed in a datetime-local input ("2026-12-15T17:00") in `zone` → RFC 3339 with that
 * zone's offset at that time ("2026-12-15T17:00:00+01:00"); null when empty, undefined when the time or the
 * zone is not valid.
 */
export function localToRfc3339(local: string, zone: string): string | null | undefined {
  const v = local.trim();
  if (!v) return null;
  const m = LOCAL.exec(v);
  if (!m || !isTimeZone(zone)) return undefined;
  const wall: Wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  const guess = asUtc(wall);
  // The offset at the instant the wall time names (asked twice: the first guess may sit across a change).
  const first = zoneOffsetMinutes(guess, zone.trim()) ?? 0;
  const offset = zoneOffsetMinutes(guess - first * 60_000, zone.trim()) ?? first;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad(wall.second)}${offsetText(offset)}`;
}

/** The wall-clock time an RFC 3339 string is written in (its own offset), and that offset's text. */
export function writtenWall(rfc: string): { wall: Wall; offset: string } | null {
  const m = RFC3339.exec(rfc.trim());
  if (!m) return null;
  return {
    wall: {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
    },
    offset: m[7].toUpperCase() === 'Z' ? '+00:00' : m[7],
  };
}

const localText = (w: Wall) =>
  `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}${w.second ? `:${pad(w.second)}` : ''}`;

/**
 * An RFC 3339 time → the value of a datetime-local input showing it in `zone` ("2026-12-15T17:00"); in its
 * own offset when the zone is not known; empty when there is none.
 */
export function rfc3339ToLocal(rfc: string | null | undefined, zone: string | null | undefined): string {
  if (!rfc) return '';
  const ms = Date.parse(rfc);
  if (zone && isTimeZone(zone) && !Number.isNaN(ms)) {
    const w = wallIn(ms, zone.trim());
    if (w) return localText(w);
  }
  const written = writtenWall(rfc);
  return written ? localText(written.wall) : '';
}

function formatWall(w: Wall, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(asUtc(w)));
}

/**
 * A call's time for display, in the call's zone with its name: "15 Dec 2026, 17:00 (Europe/Paris)". Without a
 * known zone, as written, with its offset: "15 Dec 2026, 17:00 (UTC+01:00)". Empty without a time.
 */
export function formatCallTime(rfc: string | null | undefined, zone: string | null | undefined, lang: string): string {
  if (!rfc) return '';
  const ms = Date.parse(rfc);
  if (zone && isTimeZone(zone) && !Number.isNaN(ms)) {
    const text = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone.trim() }).format(new Date(ms));
    return `${text} (${zone.trim()})`;
  }
  const written = writtenWall(rfc);
  return written ? `${formatWall(written.wall, lang)} (UTC${written.offset})` : rfc;
}

/** A time as written (the call's zone when it was saved from a form): "15 Dec 2026, 17:00", and its offset. */
export function formatWrittenTime(rfc: string | null | undefined, lang: string): { text: string; offset: string } | null {
  if (!rfc) return null;
  const written = writtenWall(rfc);
  return written ? { text: formatWall(written.wall, lang), offset: `UTC${written.offset}` } : { text: rfc, offset: '' };
}
