// One message of every kind for a given case, for tests that send the whole catalogue.
import {
  audienceOf,
  EMAIL_KINDS,
  type EmailDataOf,
  type EmailKind,
  type EmailMessage,
  type Money,
} from '../../domain/notifications';
import type { Contact } from '../../domain/dispute';

export interface FixtureCase {
  caseNumber: string;
  invoiceNumber: string;
  /** The customer's contact, greeted in customer mail. */
  contact: Contact;
  /** The staff member greeted in staff mail. */
  staff: Contact;
  /** The customer's company name as imported; staff mail shows it. */
  customerName: string;
}

const usd = (amount: string): Money => ({ amount, currency: 'USD' });

/** Typed per kind, so a new kind without a fixture does not compile. */
export function emailFixtures(c: FixtureCase): { [K in EmailKind]: EmailDataOf<K> } {
  const customer = {
    caseNumber: c.caseNumber,
    invoiceNumber: c.invoiceNumber,
    contactName: c.contact.name,
  };
  const staff = {
    caseNumber: c.caseNumber,
    invoiceNumber: c.invoiceNumber,
    recipientName: c.staff.name,
    customerName: c.customerName,
    caseUrl: `https://settle.example.com/disputes/${c.caseNumber}`,
  };
  const plan = [
    { dueOn: '2026-04-01', amount: usd('400.00') },
    { dueOn: '2026-05-01', amount: usd('400.00') },
    { dueOn: '2026-06-01', amount: usd('400.50') },
  ];
  const pricing = {
    rule: 'pricing',
    invoiceId: c.invoiceNumber,
    lineId: `${c.invoiceNumber}-2`,
    expected: '80.00',
    actual: '100.00',
    delta: usd('400.00'),
  };
  return {
    acknowledgement: {
      ...customer,
      reason: 'pricing_error',
      openedAt: '2026-03-02T09:15:00Z',
      findingsDueBy: '2026-03-05T17:00:00Z',
      claimedAmount: usd('400.00'),
      description: 'Unit price of the switches is above our contract',
    },
    findings: {
      ...customer,
      verdict: 'overcharged',
      findings: [pricing, { ...pricing, rule: 'tax', lineId: null, delta: usd('-12.30') }],
      totalDelta: usd('387.70'),
      proposalBy: '2026-03-09T17:00:00Z',
    },
    offer: {
      ...customer,
      proposal: { remedy: 'credit_note', amount: usd('400.00') },
      respondBy: '2026-03-20T17:00:00Z',
      round: 1,
      explanation: 'The contract price applies from January 1.',
    },
    reminder: {
      ...customer,
      proposal: { remedy: 'refund', amount: usd('400.00') },
      offeredAt: '2026-03-06T10:00:00Z',
      respondBy: '2026-03-20T17:00:00Z',
    },
    correction_confirmation: {
      ...customer,
      documents: [
        {
          type: 'credit_note',
          number: 'CN-2001',
          issuedOn: '2026-03-21',
          amount: usd('400.00'),
          appliesTo: c.invoiceNumber,
        },
        {
          type: 'corrected_invoice',
          number: `${c.invoiceNumber}-C`,
          issuedOn: '2026-03-21',
          amount: usd('9600.00'),
          replaces: c.invoiceNumber,
          dueOn: '2026-04-20',
        },
        {
          type: 'debit_note',
          number: 'DN-3001',
          issuedOn: '2026-03-21',
          amount: usd('35.00'),
          dueOn: '2026-04-20',
        },
        { type: 'refund', number: 'PAY-778', issuedOn: '2026-03-22', amount: usd('400.00') },
      ],
      monitoringUntil: '2026-06-19',
    },
    no_error_explanation: {
      ...customer,
      reason: 'discount_request',
      explanation: 'The volume tier is reached at 500 units.',
      discountClauses: [
        { reference: '7.2', summary: 'a 5% volume discount above 500 units a year' },
      ],
    },
    payment_plan_schedule: { ...customer, total: usd('1200.50'), installments: plan },
    monitoring_closed: {
      ...customer,
      monitoredFrom: '2026-03-21',
      monitoredUntil: '2026-06-19',
      invoicesChecked: 4,
      recurrencesFound: 0,
    },
    correction_reversed: {
      ...customer,
      reversed: [
        {
          type: 'credit_note',
          number: 'CN-000012',
          issuedOn: '2026-03-21',
          amount: usd('400.00'),
          appliesTo: c.invoiceNumber,
        },
        {
          type: 'corrected_invoice',
          number: 'CI-000004',
          issuedOn: '2026-03-21',
          amount: usd('9600.00'),
          replaces: c.invoiceNumber,
          dueOn: '2026-04-20',
        },
      ],
      reversals: ['RV-000003', 'RV-000004'],
      reason: 'The credit was agreed on the wrong line.',
    },
    installment_overdue: {
      ...customer,
      installment: 2,
      installments: 3,
      dueOn: '2026-05-01',
      amount: usd('400.00'),
      paid: usd('150.00'),
    },
    assignment: {
      ...staff,
      assignee: 'agent-7',
      assignedBy: 'Lee Park',
      reason: 'pricing_error',
      phase: 'awaiting_decision',
      escalationLevel: 0,
      deadline: '2026-03-10T17:00:00Z',
      claimedAmount: usd('400.00'),
      totalDelta: usd('387.70'),
    },
    escalation: {
      ...staff,
      level: 2,
      trigger: 'deadline_missed',
      phase: 'awaiting_approval',
      missedDeadline: '2026-03-10T17:00:00Z',
      newDeadline: '2026-03-12T17:00:00Z',
      assignee: 'agent-7',
      totalDelta: usd('387.70'),
    },
    approval_requested: {
      ...staff,
      requestedBy: 'agent-7',
      proposal: { remedy: 'payment_plan', amount: usd('1200.50'), installments: plan },
      agentLimit: usd('1000.00'),
      explanation: 'Customer asked to spread the correction.',
      totalDelta: usd('1200.50'),
      approveBy: '2026-03-12T17:00:00Z',
    },
    customer_rejected: {
      ...staff,
      proposal: { remedy: 'credit_note', amount: usd('200.00') },
      round: 1,
      maxRounds: 3,
      comment: 'We expect the full 400.00.',
      nextStep: 'new_round',
      decideBy: '2026-03-24T17:00:00Z',
    },
    recurrence_found: {
      ...staff,
      newInvoiceNumber: 'INV-1044',
      findings: [{ ...pricing, invoiceId: 'INV-1044', lineId: 'INV-1044-1' }],
      totalDelta: usd('400.00'),
      monitoringUntil: '2026-06-19',
    },
    customer_message: {
      ...staff,
      from: c.contact.email,
      channel: 'email',
      receivedAt: '2026-03-10T08:30:00Z',
      subject: `Re: [Settle ${c.caseNumber}] Our proposal to settle your dispute`,
      excerpt: 'We accept the credit note, thank you.\nPlease send it to our AP team.',
      flagged: false,
      attachments: [{ name: 'po-4411.pdf', size: 48213 }],
    },
    mediation_started: {
      ...staff,
      rounds: 3,
      lastProposal: { remedy: 'credit_note', amount: usd('300.00') },
      totalDelta: usd('387.70'),
      mediator: 'CMAP Paris',
      outcomeBy: '2026-04-15T17:00:00Z',
    },
    correction_failed: {
      ...staff,
      proposal: { remedy: 'credit_note', amount: usd('400.00') },
      problem: `invoice ${c.invoiceNumber} was voided by a corrected invoice; correct that one instead`,
      decideBy: '2026-03-24T17:00:00Z',
    },
  };
}

export function messageOf<K extends EmailKind>(kind: K, data: EmailDataOf<K>): EmailMessage {
  return { kind, data } as EmailMessage;
}

/** Every kind with its recipient: the customer contact or the staff member. */
export function catalogue(c: FixtureCase): { message: EmailMessage; to: Contact }[] {
  const fixtures = emailFixtures(c);
  return EMAIL_KINDS.map((kind) => ({
    message: messageOf(kind, fixtures[kind]),
    to: audienceOf(kind) === 'customer' ? c.contact : c.staff,
  }));
}
