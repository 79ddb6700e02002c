// renderEmail: one entry point from a typed message and a locale to subject, text and HTML.
import type { Draft } from './blocks';
import { createContext, type RenderContext, type RenderOptions } from './context';
import { layout, type RenderedEmail } from './layout';
import { acknowledgement } from './templates/acknowledgement';
import { approvalRequested } from './templates/approval-requested';
import { assignment } from './templates/assignment';
import { correctionConfirmation } from './templates/correction-confirmation';
import { correctionFailed } from './templates/correction-failed';
import { correctionReversed } from './templates/correction-reversed';
import { customerMessage } from './templates/customer-message';
import { customerRejected } from './templates/customer-rejected';
import { escalation } from './templates/escalation';
import { findings } from './templates/findings';
import { installmentOverdue } from './templates/installment-overdue';
import { mediationStarted } from './templates/mediation-started';
import { monitoringClosed } from './templates/monitoring-closed';
import { noErrorExplanation } from './templates/no-error-explanation';
import { offer } from './templates/offer';
import { paymentPlanSchedule } from './templates/payment-plan-schedule';
import { recurrenceFound } from './templates/recurrence-found';
import { reminder } from './templates/reminder';
import { audienceOf, type EmailMessage, type Locale } from '../domain/notifications';

function draft(message: EmailMessage, ctx: RenderContext): Draft {
  switch (message.kind) {
    case 'acknowledgement':
      return acknowledgement(message.data, ctx);
    case 'findings':
      return findings(message.data, ctx);
    case 'offer':
      return offer(message.data, ctx);
    case 'reminder':
      return reminder(message.data, ctx);
    case 'correction_confirmation':
      return correctionConfirmation(message.data, ctx);
    case 'no_error_explanation':
      return noErrorExplanation(message.data, ctx);
    case 'payment_plan_schedule':
      return paymentPlanSchedule(message.data, ctx);
    case 'monitoring_closed':
      return monitoringClosed(message.data, ctx);
    case 'correction_reversed':
      return correctionReversed(message.data, ctx);
    case 'installment_overdue':
      return installmentOverdue(message.data, ctx);
    case 'assignment':
      return assignment(message.data, ctx);
    case 'escalation':
      return escalation(message.data, ctx);
    case 'approval_requested':
      return approvalRequested(message.data, ctx);
    case 'customer_rejected':
      return customerRejected(message.data, ctx);
    case 'recurrence_found':
      return recurrenceFound(message.data, ctx);
    case 'mediation_started':
      return mediationStarted(message.data, ctx);
    case 'correction_failed':
      return correctionFailed(message.data, ctx);
    case 'customer_message':
      return customerMessage(message.data, ctx);
  }
}

/**
 * Pure: no I/O, no clock. Throws RangeError for data it cannot render honestly (a malformed amount
 * or date, an unsupported locale, a link that is not http(s)).
 */
export function renderEmail(
  message: EmailMessage,
  locale: Locale,
  options: RenderOptions = {},
): RenderedEmail {
  const ctx = createContext(locale, options);
  return layout({
    draft: draft(message, ctx),
    caseNumber: message.data.caseNumber,
    audience: audienceOf(message.kind),
    ctx,
  });
}
