// Times in the reader's own time zone, and deadlines as time left.
// dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are spelled out.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? dateTime.format(new Date(iso)) : '—';

/** A calendar date of the API (YYYY-MM-DD) as the reader writes dates; no time-zone shift. */
export const formatDate = (isoDate: string | null | undefined): string =>
  isoDate ? dateOnly.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`)) : '—';

const DAY_MS = 86_400_000;

function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

/** The instant one business day (Monday to Friday, UTC as the server counts) after `fromMs`. */
export function oneBusinessDayAfter(fromMs: number): number {
  let at = fromMs + DAY_MS;
  while (isWeekend(at)) at += DAY_MS;
  return at;
}

export type Urgency = 'overdue' | 'due_soon' | 'on_track';

export function urgencyOf(deadline: string, nowMs: number): Urgency {
  const at = Date.parse(deadline);
  if (at <= nowMs) return 'overdue';
  return at <= oneBusinessDayAfter(nowMs) ? 'due_soon' : 'on_track';
}

/** "3 d 4 h left", "5 h overdue", "12 min left". */
export function timeLeft(deadline: string, nowMs: number): string {
  const diff = Date.parse(deadline) - nowMs;
  const abs = Math.abs(diff);
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.floor((abs % DAY_MS) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span =
    days > 0
      ? `${String(days)} d ${String(hours)} h`
      : hours > 0
        ? `${String(hours)} h ${String(minutes)} min`
        : `${String(minutes)} min`;
  return diff > 0 ? `${span} left` : `${span} overdue`;
}

/** A duration in seconds as days or hours, for reports. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} d`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${String(Math.round(seconds / 60))} min`;
}
