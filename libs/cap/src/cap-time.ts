import { DateTime } from 'luxon';
import type { CapSourceVersion, CapTime } from './cap.types';

/** CAP 1.2 date-time: seconds precision and an explicit numeric offset, never "Z". */
const CAP_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;
const ZULU = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z$/;

export type CapTimeResult = { time: CapTime } | { error: string };

/**
 * Reads a CAP date-time. CAP 1.2 forbids "Z" and we refuse it rather than guess that the
 * sender follows the rest of the standard. CAP 1.1 (xs:dateTime) allows "Z": it is converted
 * to the CAP 1.2 spelling of UTC, "-00:00". Times without an offset and fractional seconds are
 * refused in both versions: the first has no instant, the second no CAP 1.2 form.
 */
export function parseCapTime(raw: string, version: CapSourceVersion): CapTimeResult {
  const zulu = ZULU.exec(raw);
  if (zulu) {
    if (version === '1.2') {
      return { error: `"${raw}": CAP 1.2 forbids "Z"; write UTC as -00:00` };
    }
    raw = `${zulu[1]}-00:00`;
  }
  if (!CAP_TIME.test(raw)) return { error: describeBadTime(raw) };
  // Luxon checks the calendar (29 February, hour 24, offsets) and turns the time into an instant.
  const parsed = DateTime.fromISO(raw, { setZone: true });
  // Before 1900 is a typo, not an alert (and year 0 does not exist for PostgreSQL).
  if (!parsed.isValid || Math.abs(parsed.offset) > 14 * 60 || parsed.toUTC().year < 1900) {
    return { error: `"${raw}" is not a real date and time` };
  }

  return { time: { text: raw, instant: parsed.toUTC().toISO() as string } };
}

function describeBadTime(raw: string): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  if (/T\d{2}:\d{2}:\d{2}\.\d+/.test(raw)) {
    return `"${shown}": fractional seconds are not allowed (CAP uses whole seconds)`;
  }
  if (/T\d{2}:\d{2}:\d{2}$/.test(raw)) return `"${shown}" has no explicit offset such as -05:00`;

  return `"${shown}" is not a CAP date-time (YYYY-MM-DDThh:mm:ss+hh:mm)`;
}

/**
 * Builds a CapTime from an instant, written with the given offset from UTC in minutes.
 * Without an offset the time is written in UTC as "-00:00", which is how CAP spells UTC.
 */
export function toCapTime(instant: Date | string, offsetMinutes?: number): CapTime {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(instant)}`);
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const offset = offsetMinutes ?? 0;
  const local = new Date(seconds.getTime() + offset * 60_000).toISOString().slice(0, 19);

  return { text: `${local}${formatOffset(offset)}`, instant: seconds.toISOString() };
}

function formatOffset(minutes: number): string {
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const pad = (n: number): string => String(n).padStart(2, '0');

  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The CAP 1.2 text of a time: its own text when that is valid CAP, else UTC as "-00:00". */
export function formatCapTime(time: CapTime): string {
  return CAP_TIME.test(time.text) ? time.text : toCapTime(time.instant).text;
}
