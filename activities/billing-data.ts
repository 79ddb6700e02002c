// Bad billing data stops an investigation for good: the activity fails non-retryably with the
// reason on record (its type, message and details, and a warning in the worker's log) instead of
// retrying the same records forever.
import { ApplicationFailure, log } from '@temporalio/activity';
import { DecimalError } from '../domain/decimal';
import type { BillingDataProblem } from '../domain/investigation';
import { InvestigationInputError } from '../domain/investigation';
import { MoneyError } from '../domain/money';
import { MissingRecordError } from '../store/billing/records';

function problemOf(error: unknown): BillingDataProblem | null {
  if (error instanceof MissingRecordError) return 'MissingRecord';
  // Stored amounts, rates and currencies that cannot be read are bad data too.
  if (
    error instanceof InvestigationInputError ||
    error instanceof MoneyError ||
    error instanceof DecimalError
  )
    return 'InvalidBillingData';
  return null;
}

/**
 * Runs `work` on one invoice's records; a data problem becomes a non-retryable ApplicationFailure
 * whose type is one of BILLING_DATA_PROBLEMS, keeping the error as its cause.
 */
export async function onBillingData<T>(
  context: { activity: string; disputeId: string; invoiceId: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const type = problemOf(error);
    if (type === null) throw error;
    const reason = (error as Error).message;
    log.warn('billing data refused', { ...context, type, reason });
    throw ApplicationFailure.create({
      message: `${context.activity} cannot run on invoice ${context.invoiceId}: ${reason}`,
      type,
      nonRetryable: true,
      cause: error as Error,
      details: [{ invoiceId: context.invoiceId, reason }],
    });
  }
}
