// Issue 10's proof: random sequences of what people and systems do to disputes — opens, actions,
// concurrent pairs, payments, worker restarts (or, on the time-skipping server, days passing) —
// against the real stack (Temporal, SQLite, SMTP on loopback), with the invariants checked after
// every step:
// the ledger balances; credits on an invoice never exceed its overcharge and debits never its
// undercharge; no workflow fails; the read model equals the workflow's query; every email is sent
// once. `npm test` runs a fixed set of seeds; `npm run soak -- --runs N` runs more and prints the
// seeds that failed (SETTLE_MODEL_SEED=S reruns one).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { checkLedgerInDatabase } from '../../store/ledger/snapshot';
import { disputeQuery } from '../../workflows/messages';
import { customerBundle, disputeBody } from '../support/api-fixtures';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, startTimeSkippingEnv, waitFor } from '../support/temporal';

const runs = Number(process.env.SETTLE_MODEL_RUNS ?? 3);
const firstSeed = Number(process.env.SETTLE_MODEL_SEED ?? 1);
const commandsPerRun = Number(process.env.SETTLE_MODEL_COMMANDS ?? 20);
/**
 * The dev server by default: a worker there shuts down at once, so restarts can be part of every
 * sequence. SETTLE_MODEL_SERVER=time-skipping runs on the Java test server instead, where days
 * pass between steps but a restarted worker's shutdown waits out its long polls.
 */
const timeSkipping = process.env.SETTLE_MODEL_SERVER === 'time-skipping';

/** The invoices of one run: billed unit prices against a contract price of 100.00. */
const INVOICES = [
  { suffix: 'OVER', billed: '700.00', over: 60_000n, under: 0n }, // a person decides
  { suffix: 'AUTO', billed: '150.00', over: 5_000n, under: 0n }, // credit offered by policy
  { suffix: 'UNDER', billed: '40.00', over: 0n, under: 6_000n }, // undercharged
] as const;
type InvoiceIndex = 0 | 1 | 2;

const STEADY = new Set([
  'awaiting_review',
  'awaiting_decision',
  'awaiting_approval',
  'awaiting_customer',
  'mediation',
  'monitoring',
  'closed',
]);

interface Real {
  stack: Stack;
  run: string;
  /** Dispute ids opened per invoice index, oldest first. */
  disputes: string[][];
  payments: number;
}
/** What the commands need to know of the world: nothing beyond the real one (invariants only). */
type Model = Record<string, never>;
type Step = fc.AsyncCommand<Model, Real>;

const invoiceId = (r: Real, i: InvoiceIndex): string => `${r.run}-${INVOICES[i].suffix}`;
const money = (minor: bigint): { amount: string; currency: string } => ({
  amount: `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`,
  currency: 'USD',
});

/** Any answer but a server error: what a client sends never produces a 5xx. */
function expectHandled(status: number, what: string): void {
  expect(status, what).toBeLessThan(500);
}

type Act =
  /** `fitting`: the remedy the verdict calls for (a credit note for an overcharge). */
  | { kind: 'decide'; remedy: 'fitting' | 'contrary'; amount: 'exact' | 'over' | 'half' }
  | { kind: 'accept' }
  | { kind: 'reject' }
  | { kind: 'withdraw' }
  | { kind: 'approve' }
  | { kind: 'reverse' }
  | { kind: 'mediate' }
  | { kind: 'escalate' }
  | { kind: 'reopen' };

/** Steps that move a dispute on (a fitting decision, an acceptance) come more often. */
const actArb: fc.Arbitrary<Act> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constant<Act>({ kind: 'decide', remedy: 'fitting', amount: 'exact' }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      remedy: fc.constantFrom('fitting' as const, 'contrary' as const),
      amount: fc.constantFrom('exact' as const, 'over' as const, 'half' as const),
    }),
  },
  { weight: 5, arbitrary: fc.constant<Act>({ kind: 'accept' }) },
  { weight: 2, arbitrary: fc.constant<Act>({ kind: 'reverse' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Act>(
      { kind: 'reject' },
      { kind: 'withdraw' },
      { kind: 'approve' },
      { kind: 'mediate' },
      { kind: 'escalate' },
      { kind: 'reopen' },
    ),
  },
);

function errorOf(i: InvoiceIndex): bigint {
  const inv = INVOICES[i];
  return inv.over > 0n ? inv.over : inv.under;
}

/** Sends one action to the invoice's latest dispute (if any); answers the HTTP status. */
async function perform(r: Real, i: InvoiceIndex, act: Act): Promise<number | null> {
  const id = r.disputes[i]!.at(-1);
  if (!id) return null;
  const post = (path: string, body: unknown, role: 'agent' | 'manager' = 'manager') =>
    r.stack.call('POST', `/v1/disputes/${id}/${path}`, { role, body }).then((x) => x.status);
  switch (act.kind) {
    case 'decide': {
      const full = errorOf(i);
      const minor = act.amount === 'exact' ? full : act.amount === 'over' ? full + 1n : full / 2n;
      const overcharged = INVOICES[i].over > 0n;
      const resolution = overcharged === (act.remedy === 'fitting') ? 'credit_note' : 'debit_note';
      return post('decision', { resolution, amount: money(minor) }, 'agent');
    }
    case 'accept':
      return post('customer-response', { accepted: true }, 'agent');
    case 'reject':
      return post('customer-response', { accepted: false, comment: 'No' }, 'agent');
    case 'withdraw':
      return post('withdraw', { reason: 'customer withdrew' }, 'agent');
    case 'approve':
      return post('approval', { approved: true });
    case 'escalate':
      return post('escalate', { reason: 'chased' }, 'agent');
    case 'reopen':
      return post('reopen', { reason: 'new evidence' });
    case 'mediate': {
      const remedy = INVOICES[i].over > 0n ? 'credit_note' : 'debit_note';
      return post('mediation-outcome', {
        agreed: true,
        resolution: remedy,
        amount: money(errorOf(i)),
      });
    }
    case 'reverse': {
      const got = await r.stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
      const doc = (got.body.adjustments ?? []).find((a: { kind: string }) => a.kind !== 'reversal');
      return post('reverse', {
        documentNumber: doc?.documentNumber ?? 'CN-999999',
        reason: 'posted in error',
      });
    }
  }
}

class OpenCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: InvoiceIndex) {}
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    const got = await r.stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: disputeBody(r.run, invoiceId(r, this.i)),
    });
    expect([201, 409], JSON.stringify(got.body)).toContain(got.status);
    if (got.status === 201) r.disputes[this.i]!.push(got.body.id);
  }
  toString = (): string => `open(${INVOICES[this.i].suffix})`;
}

class ActCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly i: InvoiceIndex,
    readonly act: Act,
  ) {}
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    const status = await perform(r, this.i, this.act);
    if (status !== null) expectHandled(status, this.toString());
  }
  toString = (): string => `${JSON.stringify(this.act)}(${INVOICES[this.i].suffix})`;
}

/** Two people at once on the same dispute. */
class PairCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly i: InvoiceIndex,
    readonly a: Act,
    readonly b: Act,
  ) {}
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    const statuses = await Promise.all([perform(r, this.i, this.a), perform(r, this.i, this.b)]);
    for (const s of statuses) if (s !== null) expectHandled(s, this.toString());
  }
  toString = (): string =>
    `pair(${JSON.stringify(this.a)}, ${JSON.stringify(this.b)})(${INVOICES[this.i].suffix})`;
}

/** A payment on the invoice arrives through an import. */
class PaymentCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: InvoiceIndex) {}
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    r.payments += 1;
    const got = await r.stack.call('POST', '/v1/import', {
      role: 'operations',
      body: {
        payments: [
          {
            id: `${r.run}-PAY-${r.payments}`,
            customerId: r.run,
            invoiceId: invoiceId(r, this.i),
            receivedAt: '2026-04-01',
            amount: '25.00',
            currency: 'USD',
          },
        ],
      },
    });
    expect(got.status, JSON.stringify(got.body)).toBe(200);
  }
  toString = (): string => `payment(${INVOICES[this.i].suffix})`;
}

class RestartWorkerCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    await r.stack.restartWorker();
  }
  toString = (): string => 'restartWorker';
}

/** Three days pass: deadlines escalate, reminders go out. */
class DaysPassCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(_m: Model, r: Real): Promise<void> {
    await r.stack.env.sleep(3 * DAY_MS);
  }
  toString = (): string => 'daysPass(3)';
}

const invoiceArb: fc.Arbitrary<InvoiceIndex> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<InvoiceIndex>(0) },
  { weight: 2, arbitrary: fc.constantFrom<InvoiceIndex>(1, 2) },
);
/** Actions that move a dispute on come more often than the ones that only test its guards. */
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(invoiceArb, actArb).map(([i, a]) => new ActCommand(i, a)) },
  {
    weight: 2,
    arbitrary: fc.tuple(invoiceArb, actArb, actArb).map(([i, a, b]) => new PairCommand(i, a, b)),
  },
  { weight: 1, arbitrary: invoiceArb.map((i) => new OpenCommand(i)) },
  { weight: 1, arbitrary: invoiceArb.map((i) => new PaymentCommand(i)) },
  {
    weight: 1,
    arbitrary: fc.constant(timeSkipping ? new DaysPassCommand() : new RestartWorkerCommand()),
  },
);
const sequenceArb = fc.array(stepArb, {
  minLength: Math.min(6, commandsPerRun),
  maxLength: commandsPerRun,
});

/** A step that takes longer than this is stuck: the run fails naming it, rather than hanging. */
const STEP_TIMEOUT_MS = 120_000;

async function withinStepTimeout(what: string, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over 120 s`)), STEP_TIMEOUT_MS);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until every dispute of the run rests in a phase that waits, with nothing in flight. */
async function settle(r: Real): Promise<void> {
  for (const id of r.disputes.flat()) {
    const handle = r.stack.env.client.workflow.getHandle(`dispute-${id}`);
    await waitFor(
      async () => {
        const d = await handle.describe();
        if (d.status.name !== 'RUNNING') return true;
        if ((d.raw.pendingActivities ?? []).length > 0) return undefined;
        // A query finds no worker for a moment while a restarted one takes over: ask again.
        const view = await handle.query(disputeQuery).catch(() => undefined);
        return (view && STEADY.has(view.phase)) || undefined;
      },
      { what: `dispute ${id} to settle`, timeoutMs: 60_000, intervalMs: 100 },
    );
  }
}

async function checkInvariants(r: Real): Promise<void> {
  const { stack } = r;
  const db = stack.database.db;
  const report = await checkLedgerInDatabase(db);
  expect(report.violations, 'the ledger balances and its guard holds').toEqual([]);

  for (const i of [0, 1, 2] as const) {
    const rows = await db.adjustment.findMany({
      where: { dispute: { invoiceId: invoiceId(r, i) } },
      include: { reverses: { select: { kind: true } } },
    });
    const net = (kind: string): bigint =>
      rows.filter((a) => a.kind === kind).reduce((sum, a) => sum + a.amount, 0n) -
      rows
        .filter((a) => a.kind === 'reversal' && a.reverses?.kind === kind)
        .reduce((sum, a) => sum + a.amount, 0n);
    const credited = net('credit_note');
    const debited = net('debit_note');
    expect(credited, `credits on ${invoiceId(r, i)}`).toBeLessThanOrEqual(INVOICES[i].over);
    expect(debited, `debits on ${invoiceId(r, i)}`).toBeLessThanOrEqual(INVOICES[i].under);
    expect(credited >= 0n && debited >= 0n).toBe(true);
  }

  for (const id of r.disputes.flat()) {
    const handle = stack.env.client.workflow.getHandle(`dispute-${id}`);
    const { status } = await handle.describe();
    expect(['RUNNING', 'COMPLETED'], `workflow of ${id}`).toContain(status.name);
    if (status.name !== 'RUNNING') continue;
    const view = await waitFor(() => handle.query(disputeQuery).catch(() => undefined), {
      what: `the view of ${id}`,
      timeoutMs: 30_000,
    });
    const row = (await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' })).body;
    expect(
      {
        phase: row.phase,
        resolution: row.resolution,
        escalationLevel: row.escalationLevel,
        assignee: row.assignee,
        deadline: row.deadline,
        offerKind: row.offer?.kind ?? null,
      },
      `read model of ${id}`,
    ).toEqual({
      phase: view.phase,
      resolution: view.resolution,
      escalationLevel: view.escalationLevel,
      assignee: view.assignee,
      deadline: view.deadline,
      offerKind: view.offer?.kind ?? null,
    });
  }

  // Every email once: no Message-ID twice at the SMTP server, and no sent message missing there.
  const caught = stack.catcher.messages().map((m) => m.messageId);
  expect(new Set(caught).size, 'Message-IDs are unique').toBe(caught.length);
  const sent = await db.outboxMessage.findMany({
    where: { dispute: { customerId: r.run }, status: 'sent' },
    select: { id: true },
  });
  for (const { id } of sent)
    expect(
      caught.filter((m) => m?.includes(id)),
      `message ${id}`,
    ).toHaveLength(1);
}

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await (timeSkipping ? startTimeSkippingEnv() : startDevServerEnv());
  stack = await startStack(env, 'sqlite', { ...DEFAULT_POLICY, maxRounds: 2 });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
}, 300_000);

describe('random sequences of actions on the real stack', () => {
  const seeds = Array.from({ length: runs }, (_, n) => firstSeed + n);

  it.each(seeds)(
    'seed %i keeps every invariant after every step',
    { timeout: 900_000 },
    async (seed) => {
      let attempt = 0;
      await fc.assert(
        fc.asyncProperty(sequenceArb, async (steps) => {
          attempt += 1;
          const run = `M${seed}X${attempt}`;
          const real: Real = { stack, run, disputes: [[], [], []], payments: 0 };
          const imported = await stack.call('POST', '/v1/import', {
            role: 'operations',
            body: customerBundle(
              run,
              INVOICES.map((inv) => ({ id: `${run}-${inv.suffix}`, billed: inv.billed })),
            ),
          });
          expect(imported.status).toBe(200);
          // Every invoice starts with a dispute, so the first steps already have one to act on.
          const opening = [0, 1, 2].map((i) => new OpenCommand(i as InvoiceIndex));
          const done: string[] = [];
          for (const step of [...opening, ...steps]) {
            done.push(step.toString());
            try {
              await withinStepTimeout(
                step.toString(),
                (async () => {
                  await step.run({}, real);
                  await settle(real);
                  await checkInvariants(real);
                })(),
              );
            } catch (error) {
              throw new Error(`seed ${seed}, after ${done.join(' → ')}: ${String(error)}`, {
                cause: error,
              });
            }
          }
        }),
        // One sequence per seed, not shrunk: each step runs on the real stack.
        { numRuns: 1, seed, endOnFailure: true },
      );
    },
  );
});
