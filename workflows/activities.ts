// Activity proxies, one per group, each with explicit timeouts and retry policy.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

/** Database writes: short, retried quickly; a persistent failure surfaces in the UI, not silently. */
export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same short writes as local activities: run by the worker that runs the workflow task, with
 * no task dispatch between them (the timeline, the read model and the outbox are idempotent by key
 * and version, so running one again after a crash is harmless).
 */
export const localDb = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
  },
});

/** The ledger's dry run of a decision, which the person's action waits for: a local activity. */
export const localLedger = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    nonRetryableErrorTypes: ['MissingRecord', 'InvalidCorrection', 'UnjustifiedCorrection'],
  },
});

/** Investigation loads a customer's history; large invoices take longer. */
export const investigation = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['MissingRecord', 'InvalidBillingData'],
  },
});

/** SMTP may be down for a while: keep trying with backoff for up to three days. */
export const email = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Ledger postings are idempotent by key, so retrying for as long as it takes is safe. */
export const ledger = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['MissingRecord', 'InvalidCorrection', 'UnjustifiedCorrection'],
  },
});
