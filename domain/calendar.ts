// Business-day arithmetic for deadlines: Monday to Friday, minus the policy's holidays, in UTC.

/** One calendar day in milliseconds (UTC: no daylight saving). */
export const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isBusinessDay(ms: number, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDate(ms));
}

/** The instant `days` business days after `fromMs`: weekends and holidays are skipped, the time of day kept. */
export function addBusinessDays(fromMs: number, days: number, holidays: readonly string[]): number {
  const closed = new Set(holidays);
  let at = fromMs;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    if (isBusinessDay(at, closed)) left -= 1;
  }
  return at;
}
