// Review the findings (awaiting review): edit, add or remove them, and give the verdict.
import { useState, type ReactNode } from 'react';
import { api, unwrap, type Dispute } from '../../../server/client';
import {
  FINDING_RULES,
  VERDICTS,
  type FindingRule,
  type Verdict,
} from '../../../server/vocabulary';
import { SelectField, TextField } from '../../../components/fields';
import { fractionDigits, moneyInput } from '../../../format/money';
import { ruleWords, verdictWords } from '../../../format/words';
import { ActionCard } from './action-card';
import { serverFieldError, useAction } from './use-action';

interface Row {
  rule: FindingRule;
  invoiceId: string;
  lineId: string;
  expected: string;
  actual: string;
  delta: string;
  explanation: string;
}

const isRule = (rule: string): rule is FindingRule =>
  (FINDING_RULES as readonly string[]).includes(rule);

function signedAmountError(value: string, currency: string): string | undefined {
  const digits = fractionDigits(currency);
  const pattern =
    digits === 0 ? /^-?\d{1,15}$/ : new RegExp(`^-?\\d{1,15}(\\.\\d{1,${String(digits)}})?$`);
  return pattern.test(value.trim()) ? undefined : `An amount like -12.50 or 40 (${currency})`;
}

export function FindingsForm({ dispute }: { dispute: Dispute }): ReactNode {
  const mutation = useAction(dispute.id);
  const currency = dispute.currency;
  const [rows, setRows] = useState<Row[]>(() =>
    dispute.findings.map((f) => ({
      rule: isRule(f.rule) ? f.rule : 'arithmetic',
      invoiceId: f.invoiceId,
      lineId: f.lineId ?? '',
      expected: f.expected ?? '',
      actual: f.actual ?? '',
      delta: f.delta.amount,
      explanation: f.explanation,
    })),
  );
  const [verdict, setVerdict] = useState<Verdict>(
    (VERDICTS as readonly string[]).includes(dispute.verdict ?? '')
      ? (dispute.verdict as Verdict)
      : 'needs_review',
  );
  const [checked, setChecked] = useState(false);
  const change = (index: number, patch: Partial<Row>): void =>
    setRows((all) => all.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const problems = rows.map((r) => signedAmountError(r.delta, currency));

  return (
    <ActionCard
      title="Review the findings"
      testId="action-findings"
      open
      mutation={mutation}
      done="Review submitted."
      onSubmit={() => {
        setChecked(true);
        if (problems.some(Boolean) || rows.some((r) => !r.invoiceId.trim())) return;
        mutation.mutate((key) =>
          unwrap(
            api.POST('/v1/disputes/{id}/findings', {
              params: { path: { id: dispute.id }, header: { 'Idempotency-Key': key } },
              body: {
                verdict,
                findings: rows.map((r) => ({
                  rule: r.rule,
                  invoiceId: r.invoiceId.trim(),
                  lineId: r.lineId.trim() || null,
                  expected: r.expected.trim() || null,
                  actual: r.actual.trim() || null,
                  delta: moneyInput(r.delta.trim(), currency),
                  ...(r.explanation.trim() ? { explanation: r.explanation.trim() } : {}),
                })),
              },
            }),
          ),
        );
      }}
    >
      {rows.map((row, i) => (
        <fieldset key={i} className="finding-row">
          <legend>Finding {i + 1}</legend>
          <SelectField
            label="Rule"
            value={row.rule}
            onValue={(v) => change(i, { rule: v as FindingRule })}
            options={FINDING_RULES.map((r) => ({ value: r, label: ruleWords(r) }))}
          />
          <TextField
            label="Invoice"
            value={row.invoiceId}
            onValue={(v) => change(i, { invoiceId: v })}
            maxLength={64}
            error={
              (checked && !row.invoiceId.trim() ? 'Enter the invoice' : undefined) ??
              serverFieldError(mutation.error, `$.findings[${String(i)}].invoiceId`)
            }
          />
          <TextField
            label="Line (optional)"
            value={row.lineId}
            onValue={(v) => change(i, { lineId: v })}
            maxLength={64}
          />
          <TextField
            label="Expected"
            value={row.expected}
            onValue={(v) => change(i, { expected: v })}
            maxLength={200}
          />
          <TextField
            label="Billed"
            value={row.actual}
            onValue={(v) => change(i, { actual: v })}
            maxLength={200}
          />
          <TextField
            label={`Difference (${currency})`}
            hint="Positive when the customer was overcharged"
            inputMode="decimal"
            value={row.delta}
            onValue={(v) => change(i, { delta: v })}
            error={
              (checked ? problems[i] : undefined) ??
              serverFieldError(mutation.error, `$.findings[${String(i)}].delta`)
            }
          />
          <TextField
            label="Explanation"
            value={row.explanation}
            onValue={(v) => change(i, { explanation: v })}
            maxLength={2000}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => setRows((all) => all.filter((_, n) => n !== i))}
          >
            Remove finding {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() =>
          setRows((all) => [
            ...all,
            {
              rule: 'pricing',
              invoiceId: dispute.invoiceId,
              lineId: '',
              expected: '',
              actual: '',
              delta: '0',
              explanation: '',
            },
          ])
        }
      >
        Add a finding
      </button>
      <SelectField
        label="Verdict"
        value={verdict}
        onValue={(v) => setVerdict(v as Verdict)}
        options={VERDICTS.map((v) => ({ value: v, label: verdictWords(v) }))}
      />
      <button type="submit" disabled={mutation.isPending}>
        Submit review
      </button>
    </ActionCard>
  );
}
