// Small visual vocabulary: phase, escalation level, money and time left. Colour is never the only
// signal: each badge says its meaning in words.
import { useEffect, useState, type ReactNode } from 'react';
import { formatMoney, type Money } from '../format/money';
import { formatDateTime, timeLeft, urgencyOf } from '../format/time';
import { escalationWords, phaseWords } from '../format/words';

export function PhaseBadge({ phase }: { phase: string }): ReactNode {
  return <span className={`badge phase-${phase}`}>{phaseWords(phase)}</span>;
}

export function EscalationBadge({ level }: { level: number }): ReactNode {
  if (level === 0) return <span className="muted">—</span>;
  return (
    <span className={`badge escalation escalation-${String(level)}`}>
      {`${String(level)} · ${escalationWords(level)}`}
    </span>
  );
}

export function MoneyText({ money }: { money: Money | null | undefined }): ReactNode {
  const negative = money?.amount.startsWith('-') ?? false;
  return <span className={`money${negative ? ' negative' : ''}`}>{formatMoney(money)}</span>;
}

/** The current time, re-read every 30 s so deadlines turn amber and red while the page is open. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function TimeLeft({ deadline }: { deadline: string | null }): ReactNode {
  const now = useNow();
  if (!deadline) return <span className="muted">No deadline</span>;
  const urgency = urgencyOf(deadline, now);
  const label =
    urgency === 'overdue' ? 'Overdue' : urgency === 'due_soon' ? 'Due within a business day' : '';
  return (
    <span className={`time-left ${urgency}`} title={formatDateTime(deadline)}>
      {label ? <span className="visually-hidden">{label}: </span> : null}
      {timeLeft(deadline, now)}
    </span>
  );
}
