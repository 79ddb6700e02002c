// The dispute's offer (a decision and its amount) as the API carries it: a loose record.
import type { Money } from './money';

export interface Offer {
  kind: string;
  amount: Money | null;
  installments: number | null;
  explanation: string | null;
  decidedBy: string | null;
  approvedBy: string | null;
  round: number | null;
}

const isMoney = (v: unknown): v is Money =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Money).amount === 'string' &&
  typeof (v as Money).currency === 'string';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function offerOf(raw: Record<string, unknown> | null | undefined): Offer | null {
  if (!raw || typeof raw.kind !== 'string') return null;
  return {
    kind: raw.kind,
    amount: isMoney(raw.amount) ? raw.amount : null,
    installments: num(raw.installments),
    explanation: text(raw.explanation),
    decidedBy: text(raw.decidedBy),
    approvedBy: text(raw.approvedBy),
    round: num(raw.round),
  };
}
