import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney } from '../../email/format';
import { threadHeaders, threadRootId, stepMessageId } from '../../email/headers';
import { renderEmail } from '../../email/render';
import { emailFixtures, messageOf } from '../support/email-fixtures';
import {
  EMAIL_KINDS,
  LOCALES,
  audienceOf,
  toEscalationLevel,
  type EmailKind,
  type EmailMessage,
  type Locale,
  type Money,
} from '../../domain/notifications';

const CASE = 'D-ABC123';
const usd = (amount: string): Money => ({ amount, currency: 'USD' });

const FIXTURES = emailFixtures({
  caseNumber: CASE,
  invoiceNumber: 'INV-1001',
  contact: { name: 'Dana Lee', email: 'dana@example.com' },
  staff: { name: 'Sam Ortiz', email: 'sam.ortiz@settle.example' },
  customerName: 'Acme Networks',
});
const plan = FIXTURES.payment_plan_schedule.installments;
const pricing = FIXTURES.findings.findings[0]!;

const MESSAGES = EMAIL_KINDS.map((kind) => messageOf(kind, FIXTURES[kind]));
const CASES = MESSAGES.flatMap((message) =>
  LOCALES.map((locale) => ({ kind: message.kind, locale, message })),
);

const WITHOUT_MONEY = new Set<EmailKind>([
  'no_error_explanation',
  'monitoring_closed',
  'customer_message',
]);
const GREETING: Record<Locale, string> = { en: 'Hello', fr: 'Bonjour' };

/** Collapses the no-break spaces Intl and French typography use, for readable expectations. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

describe('renderEmail', () => {
  it('has a fixture for every kind', () => {
    expect(MESSAGES.map((message) => message.kind).sort()).toEqual([...EMAIL_KINDS].sort());
    expect(EMAIL_KINDS).toHaveLength(18);
  });

  describe.each(CASES)('$kind in $locale', ({ message, locale }) => {
    const email = renderEmail(message, locale);
    const audience = audienceOf(message.kind);
    const name = audience === 'customer' ? 'Dana Lee' : 'Sam Ortiz';

    it('tags the subject with the case number, on one line', () => {
      expect(email.subject.startsWith(`[Settle ${CASE}] `)).toBe(true);
      expect(email.subject.length).toBeGreaterThan(`[Settle ${CASE}] `.length + 10);
      expect(email.subject).not.toMatch(/[\r\n]/);
    });

    it('renders a plain-text body', () => {
      expect(email.text.startsWith(`${GREETING[locale]} ${name},\n\n`)).toBe(true);
      expect(email.text).toContain(`[Settle ${CASE}]`);
      expect(email.text).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(email.text).not.toMatch(/undefined|null|NaN|\[object/);
    });

    it('renders a complete HTML document in the right language', () => {
      expect(email.html.startsWith('<!doctype html>')).toBe(true);
      expect(email.html).toContain(`<html lang="${locale}">`);
      expect(email.html).toContain(`${GREETING[locale]} ${name},`);
      expect(email.html).toContain(`[Settle ${CASE}]`);
      expect(email.html.trimEnd().endsWith('</html>')).toBe(true);
      expect(email.html).not.toMatch(/undefined|NaN|\[object/);
    });

    it('carries the same amounts in both bodies', () => {
      const money =
        locale === 'en'
          ? /-?\$\d{1,3}(?:,\d{3})*\.\d{2}/g
          : /-?\d{1,3}(?:\u202f\d{3})*,\d{2}\u00a0\$US/g;
      const amounts = email.text.match(money) ?? [];
      expect(amounts.length > 0).toBe(!WITHOUT_MONEY.has(message.kind));
      for (const amount of amounts) expect(email.html).toContain(amount);
    });
  });

  it('writes English and French differently', () => {
    for (const message of MESSAGES) {
      const en = renderEmail(message, 'en');
      const fr = renderEmail(message, 'fr');
      expect(fr.subject).not.toBe(en.subject);
      expect(fr.text).not.toBe(en.text);
    }
  });
});

describe('what each message says', () => {
  const text = (message: EmailMessage, locale: Locale): string =>
    plain(renderEmail(message, locale).text);

  it('acknowledgement: case number, next steps and the deadline', () => {
    const en = text(MESSAGES[0]!, 'en');
    expect(en).toContain('Case number: D-ABC123');
    expect(en).toContain('Amount you dispute: $400.00');
    expect(en).toContain('By March 5, 2026 at 5:00 PM UTC, we send you what we found');
    expect(en).toContain('> Unit price of the switches is above our contract');
    const fr = text(MESSAGES[0]!, 'fr');
    expect(fr).toContain('Numéro de dossier : D-ABC123');
    expect(fr).toContain('Montant contesté : 400,00 $US');
    expect(fr).toContain('D’ici le 5 mars 2026 à 17:00 UTC');
  });

  it('findings: each finding in plain words, signed deltas in words', () => {
    const message = messageOf('findings', FIXTURES.findings);
    const en = text(message, 'en');
    expect(en).toContain('The unit price billed differs from the contract price.');
    expect(en).toContain('Invoice INV-1001, line INV-1001-2: expected $80.00, billed $100.00.');
    expect(en).toContain('You were overcharged by $400.00.');
    expect(en).toContain('You were undercharged by $12.30.');
    expect(en).toContain('we billed you $387.70 too much');
    const fr = text(message, 'fr');
    expect(fr).toContain('Vous avez été surfacturé de 400,00 $US.');
    expect(fr).toContain(
      'Facture INV-1001, ligne INV-1001-2 : attendu 80,00 $US, facturé 100,00 $US.',
    );
  });

  it('findings: an error already corrected names its documents and what they credited', () => {
    const message = messageOf('findings', {
      ...FIXTURES.findings,
      findings: [
        pricing,
        {
          rule: 'already_corrected',
          invoiceId: 'INV-1001',
          lineId: null,
          expected: null,
          actual: 'CN-000012',
          delta: usd('-400.00'),
        },
      ],
      totalDelta: usd('0.00'),
      verdict: 'no_discrepancy',
    });
    const en = text(message, 'en');
    expect(en).toContain('Part of this was already corrected by documents we issued earlier.');
    expect(en).toContain(
      'Invoice INV-1001: already corrected by CN-000012. $400.00 of it was already credited to you.',
    );
    expect(text(message, 'fr')).toContain(
      'Facture INV-1001 : déjà corrigée par CN-000012. 400,00 $US vous ont déjà été crédités.',
    );
  });
  it.each([
    ['discount', '12.5', '4', 'USD', 'en', 'expected 12.5%, billed 4%'],
    ['discount', '12.5', '4', 'USD', 'fr', 'attendu 12,5 %, facturé 4 %'],
    ['tax', '12411.40', '12721.41', 'GBP', 'en', 'expected £12,411.40, billed £12,721.41'],
    ['tax', '12411.40', '12721.41', 'GBP', 'fr', 'attendu 12 411,40 £GB, facturé 12 721,41 £GB'],
    ['quantity', '1200', '1250', 'USD', 'en', 'expected 1,200, billed 1,250'],
    ['unbilled', '1200', '1000', 'USD', 'fr', 'attendu 1 200, facturé 1 000'],
    ['pricing', '80.1234', '100', 'USD', 'en', 'expected $80.1234, billed $100.00'],
    ['pricing', 'about 80', 'n/a', 'USD', 'en', 'expected about 80, billed n/a'],
  ] as const)(
    'findings: %s values read in their unit (%s → %s, %s %s)',
    (rule, expected, actual, currency, locale, words) => {
      const finding = {
        rule,
        invoiceId: 'INV-1001',
        lineId: 'INV-1001-2',
        expected,
        actual,
        delta: { amount: '-1.00', currency },
      };
      const message = messageOf('findings', {
        ...FIXTURES.findings,
        findings: [finding],
        totalDelta: { amount: '-1.00', currency },
      });
      expect(text(message, locale)).toContain(words);
    },
  );

  it('offer: the remedy, the amount, how to answer and by when', () => {
    const en = text(messageOf('offer', FIXTURES.offer), 'en');
    expect(en).toContain('Proposal: Credit note');
    expect(en).toContain('We will issue a credit note of $400.00 against invoice INV-1001.');
    expect(en).toContain('To accept, reply to this email');
    expect(en).toContain('Please answer by March 20, 2026 at 5:00 PM UTC.');
  });

  it.each([
    ['credit_note', 'avoir de 1 200,50 $US'],
    ['refund', 'remboursement de 1 200,50 $US'],
    ['corrected_invoice', 'facture rectificative de 1 200,50 $US'],
    ['debit_note', 'note de débit de 1 200,50 $US'],
    ['write_off', 'abandon de créance de 1 200,50 $US'],
  ] as const)('offer subject names the %s', (remedy, summary) => {
    const message = messageOf('offer', {
      ...FIXTURES.offer,
      proposal: { remedy, amount: usd('1200.50') },
    });
    expect(plain(renderEmail(message, 'fr').subject)).toBe(
      `[Settle ${CASE}] Notre proposition pour régler votre contestation : ${summary}`,
    );
  });

  it('offer of a payment plan lists the installments in both bodies', () => {
    const message = messageOf('offer', {
      ...FIXTURES.offer,
      round: 2,
      proposal: { remedy: 'payment_plan', amount: usd('1200.50'), installments: plan },
    });
    const email = renderEmail(message, 'en');
    expect(email.text).toContain('Here is our revised proposal');
    expect(email.text).toContain('You can pay $1,200.50 in 3 installments');
    expect(email.text).toMatch(/3 +June 1, 2026 +\$400\.50/);
    expect(email.html).toContain(
      '<td style="padding:6px 8px;border-bottom:1px solid #e4e7eb;text-align:right;">$400.50</td>',
    );
  });

  it('payment-plan schedule: every installment with due date and amount', () => {
    const fr = text(messageOf('payment_plan_schedule', FIXTURES.payment_plan_schedule), 'fr');
    expect(fr).toContain('vous pouvez régler 1 200,50 $US en 3 échéances');
    expect(fr).toMatch(/1 +1 avril 2026 +400,00 \$US/);
    expect(fr).toMatch(/3 +1 juin 2026 +400,50 \$US/);
  });

  it('correction confirmation: document numbers and amounts', () => {
    const en = text(messageOf('correction_confirmation', FIXTURES.correction_confirmation), 'en');
    expect(en).toContain('Credit note CN-2001');
    expect(en).toContain('Corrected invoice INV-1001-C');
    expect(en).toContain(
      'Invoice INV-1001 is cancelled. Please pay corrected invoice INV-1001-C instead.',
    );
    expect(en).toContain('Debit note DN-3001');
    expect(en).toContain('Please pay $35.00 by April 20, 2026.');
    expect(en).toContain('Payment reference: PAY-778');
    expect(en).toContain('until June 19, 2026');
  });

  it('no-error explanation: policy, discount request and contract clauses', () => {
    const message = messageOf('no_error_explanation', FIXTURES.no_error_explanation);
    const en = text(message, 'en');
    expect(en).toContain('this is not a billing error');
    expect(en).toContain('We bill the prices and discounts of your contract in force');
    expect(text(message, 'fr')).toContain('Nous facturons les prix et remises de votre contrat');
    expect(en).toContain('Clause 7.2: a 5% volume discount above 500 units a year');
    const none = text(
      messageOf('no_error_explanation', {
        ...FIXTURES.no_error_explanation,
        reason: 'pricing_error',
        discountClauses: [],
      }),
      'en',
    );
    expect(none).toContain('We found no term in your contract that gives a discount');
    expect(none).not.toContain('this is not a billing error');
  });

  it('monitoring closed: plural rules per locale', () => {
    const one = messageOf('monitoring_closed', {
      ...FIXTURES.monitoring_closed,
      invoicesChecked: 1,
    });
    expect(text(one, 'en')).toContain('We checked 1 invoice and found no further error.');
    expect(text(one, 'fr')).toContain('Nous avons vérifié 1 facture et');
    const recurred = messageOf('monitoring_closed', {
      ...FIXTURES.monitoring_closed,
      recurrencesFound: 2,
    });
    expect(text(recurred, 'fr')).toContain(
      'constaté 2 nouveaux écarts, que notre équipe a traités',
    );
  });

  it('escalation: names the level and the next one', () => {
    const message = messageOf('escalation', FIXTURES.escalation);
    const email = renderEmail(message, 'en');
    expect(email.subject).toBe(
      `[Settle ${CASE}] Escalated to level 2 (billing manager): deadline missed on invoice INV-1001`,
    );
    expect(email.text).toContain('it escalates to level 3 (finance director / legal)');
    const top = renderEmail(messageOf('escalation', { ...FIXTURES.escalation, level: 3 }), 'fr');
    expect(plain(top.text)).toContain('C’est le niveau d’escalade le plus élevé.');
    const manual = renderEmail(
      messageOf('escalation', {
        ...FIXTURES.escalation,
        level: 1,
        trigger: 'manual',
        escalatedBy: 'agent-7',
        comment: 'Customer threatens to withhold payment.',
      }),
      'en',
    );
    expect(manual.text).toContain('agent-7 escalated case D-ABC123 to level 1 (team lead).');
    expect(manual.text).toContain('> Customer threatens to withhold payment.');
  });

  it('escalation of an overdue installment says why', () => {
    const message = messageOf('escalation', {
      ...FIXTURES.escalation,
      trigger: 'installment_overdue',
      level: 1,
      phase: 'monitoring',
    });
    const en = renderEmail(message, 'en');
    expect(en.subject).toBe(
      `[Settle ${CASE}] Escalated to level 1 (team lead): payment plan installment overdue on invoice INV-1001`,
    );
    expect(en.text).toContain(
      'An installment of the payment plan on case D-ABC123 is still unpaid after the customer was reminded',
    );
    expect(plain(renderEmail(message, 'fr').text)).toContain(
      'reste impayée malgré le rappel envoyé au client',
    );
  });

  it('correction reversed: each document with its reversing document, the reason, what follows', () => {
    const message = messageOf('correction_reversed', FIXTURES.correction_reversed);
    const en = text(message, 'en');
    expect(en).toContain('The correction we made to invoice INV-1001 was wrong');
    expect(en).toContain('> The credit was agreed on the wrong line.');
    expect(en).toMatch(/Credit note CN-000012 +\$400\.00 +RV-000003/);
    expect(en).toMatch(/Corrected invoice CI-000004 +\$9,600\.00 +RV-000004/);
    expect(en).toContain(
      'Corrected invoice CI-000004 is cancelled, and invoice INV-1001 applies again as it was issued.',
    );
    expect(en).toContain('a new proposal');
    const fr = text(message, 'fr');
    expect(fr).toMatch(/Avoir CN-000012 +400,00 \$US +RV-000003/);
    expect(fr).toContain('Motif :');
  });

  it('installment overdue: due date, amount, what was received and what is still due', () => {
    const message = messageOf('installment_overdue', FIXTURES.installment_overdue);
    const email = renderEmail(message, 'en');
    expect(email.subject).toBe(
      `[Settle ${CASE}] Installment 2 of 3 for invoice INV-1001 is overdue`,
    );
    const en = plain(email.text);
    expect(en).toContain('$400.00, was due on May 1, 2026. We have received $150.00 of it so far.');
    expect(en).toContain('Still due: $250.00');
    expect(en).toContain(
      'Please pay $250.00 as soon as possible, quoting D-ABC123 and invoice INV-1001',
    );
    const unpaid = text(
      messageOf('installment_overdue', {
        ...FIXTURES.installment_overdue,
        paid: { amount: '0.00', currency: 'USD' },
      }),
      'fr',
    );
    expect(unpaid).toContain('était due le 1 mai 2026. Nous ne l’avons pas encore reçue.');
    expect(unpaid).toContain('Reste dû : 400,00 $US');
    expect(unpaid).not.toContain('Déjà reçu');
  });

  it('correction failed: the proposal, the ledger’s reason, and a new decision by when', () => {
    const en = text(messageOf('correction_failed', FIXTURES.correction_failed), 'en');
    expect(en).toContain(
      'The credit note of $400.00 agreed with Acme Networks on case D-ABC123 could not be posted to the ledger.',
    );
    expect(en).toContain('> invoice INV-1001 was voided by a corrected invoice');
    expect(en).toContain('Please decide again by March 24, 2026 at 5:00 PM UTC');
    const fr = text(messageOf('correction_failed', FIXTURES.correction_failed), 'fr');
    expect(fr).toContain('Le dossier attend de nouveau une décision.');
  });

  it('staff messages link to the case', () => {
    for (const kind of EMAIL_KINDS.filter((kind) => audienceOf(kind) === 'staff')) {
      const email = renderEmail(messageOf(kind, FIXTURES[kind]), 'en');
      expect(email.html).toContain('href="https://settle.example.com/disputes/D-ABC123"');
      expect(email.text).toContain('https://settle.example.com/disputes/D-ABC123');
    }
  });

  it('approval request and rejection carry proposal and next step', () => {
    const approval = text(messageOf('approval_requested', FIXTURES.approval_requested), 'en');
    expect(approval).toContain('above the agent approval limit of $1,000.00');
    const rejected = renderEmail(
      messageOf('customer_rejected', {
        ...FIXTURES.customer_rejected,
        nextStep: 'mediation',
        round: 3,
      }),
      'en',
    );
    expect(rejected.subject).toContain('Acme Networks rejected our proposal (round 3 of 3)');
    expect(rejected.text).toContain('the case now goes to mediation');
  });
});

describe('escaping', () => {
  const EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
  const FREE_TEXT = new Set([
    'contactName',
    'recipientName',
    'customerName',
    'invoiceNumber',
    'newInvoiceNumber',
    'description',
    'explanation',
    'comment',
    'assignee',
    'assignedBy',
    'escalatedBy',
    'requestedBy',
    'mediator',
    'number',
    'appliesTo',
    'replaces',
    'reference',
    'summary',
    'invoiceId',
    'lineId',
    'expected',
    'actual',
    'rule',
  ]);

  function poison(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(poison);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        FREE_TEXT.has(key) && typeof field === 'string' ? `${key} ${EVIL}` : poison(field),
      ]),
    );
  }

  it.each(CASES)('$kind in $locale escapes every imported value in HTML', ({ message, locale }) => {
    const poisoned = { kind: message.kind, data: poison(message.data) } as EmailMessage;
    const email = renderEmail(poisoned, locale);
    expect(email.html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
    expect(email.text).toContain(EVIL);
  });

  it('keeps header injection out of the subject', () => {
    const email = renderEmail(
      messageOf('assignment', {
        ...FIXTURES.assignment,
        customerName: 'Acme\r\nBcc: spy@evil.test',
      }),
      'en',
    );
    expect(email.subject).toBe(
      `[Settle ${CASE}] Case assigned to you: Acme Bcc: spy@evil.test, invoice INV-1001`,
    );
  });

  it('keeps no-break spaces in subjects (French typography, money)', () => {
    const subject = renderEmail(messageOf('offer', FIXTURES.offer), 'fr').subject;
    expect(subject).toContain('contestation\u00a0: avoir de 400,00\u00a0$US');
  });

  it('refuses a case link that is not http(s)', () => {
    const message = messageOf('assignment', {
      ...FIXTURES.assignment,
      caseUrl: 'javascript:alert(1)',
    });
    expect(() => renderEmail(message, 'en')).toThrow(RangeError);
  });

  it('escapes the case number in the HTML shell', () => {
    const message = messageOf('reminder', { ...FIXTURES.reminder, caseNumber: 'D-<b>1</b>' });
    const email = renderEmail(message, 'en');
    expect(email.html).not.toContain('<b>1</b>');
    expect(email.html).toContain('[Settle D-&lt;b&gt;1&lt;/b&gt;]');
  });
});

describe('formatMoney', () => {
  it.each([
    ['1234.50', 'USD', 'en', '$1,234.50'],
    ['-400.00', 'USD', 'en', '-$400.00'],
    ['0.00', 'USD', 'en', '$0.00'],
    ['-0.00', 'USD', 'en', '$0.00'],
    ['-0.50', 'USD', 'en', '-$0.50'],
    ['1234.50', 'USD', 'fr', '1\u202f234,50\u00a0$US'],
    ['1234.50', 'EUR', 'fr', '1\u202f234,50\u00a0€'],
    ['-1234.50', 'EUR', 'fr', '-1\u202f234,50\u00a0€'],
    ['1234.5', 'EUR', 'en', '€1,234.50'],
    ['1235', 'JPY', 'en', '¥1,235'],
    ['-1235', 'JPY', 'en', '-¥1,235'],
    ['1235', 'JPY', 'fr', '1\u202f235\u00a0JPY'],
    ['1234.567', 'KWD', 'en', 'KWD\u00a01,234.567'],
    ['-0.005', 'KWD', 'en', '-KWD\u00a00.005'],
    ['1234.500', 'KWD', 'fr', '1\u202f234,500\u00a0KWD'],
    ['12345678901234567.89', 'USD', 'en', '$12,345,678,901,234,567.89'],
    ['1.005', 'USD', 'en', '$1.005'],
    ['1.500', 'USD', 'en', '$1.50'],
  ] as const)('%s %s in %s', (amount, currency, locale, expected) => {
    expect(formatMoney({ amount, currency }, locale)).toBe(expected);
  });

  it('never goes through a float: matches Intl formatting the exact decimal string', () => {
    const currencies = [
      ['USD', 2],
      ['EUR', 2],
      ['JPY', 0],
      ['KWD', 3],
    ] as const;
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.constantFrom(...currencies),
        fc.constantFrom(...LOCALES),
        (minor, [currency, digits], locale) => {
          const negative = minor < 0n;
          const padded = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
          const whole = digits === 0 ? padded : padded.slice(0, -digits);
          const amount = `${negative ? '-' : ''}${whole}${digits === 0 ? '' : `.${padded.slice(-digits)}`}`;
          const intl = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'fr-FR', {
            style: 'currency',
            currency,
          });
          expect(formatMoney({ amount, currency }, locale)).toBe(
            intl.format(amount as `${number}`),
          );
        },
      ),
    );
  });

  it.each([
    ['1,234.50', 'USD'],
    ['12.', 'USD'],
    ['.5', 'USD'],
    ['1e3', 'USD'],
    ['abc', 'USD'],
    ['10.00', 'usd'],
    ['10.00', 'US'],
  ])('rejects %s %s', (amount, currency) => {
    expect(() => formatMoney({ amount, currency }, 'en')).toThrow(RangeError);
  });

  it('formats the amounts inside rendered emails for their currency', () => {
    const kwd = (amount: string): Money => ({ amount, currency: 'KWD' });
    const message = messageOf('findings', {
      ...FIXTURES.findings,
      verdict: 'undercharged',
      findings: [{ ...pricing, rule: 'unbilled', delta: kwd('-1.250') }],
      totalDelta: kwd('-1.250'),
    });
    const en = plain(renderEmail(message, 'en').text);
    expect(en).toContain('You were undercharged by KWD 1.250.');
    expect(en).toContain('Total undercharged: KWD 1.250');
    const yen = messageOf('payment_plan_schedule', {
      ...FIXTURES.payment_plan_schedule,
      total: { amount: '120000', currency: 'JPY' },
      installments: [{ dueOn: '2026-04-01', amount: { amount: '120000', currency: 'JPY' } }],
    });
    expect(plain(renderEmail(yen, 'en').text)).toContain('you can pay ¥120,000 in 1 installment,');
  });
});

describe('dates', () => {
  it('shows calendar dates as written and instants in the chosen time zone', () => {
    expect(formatDate('2026-03-05', 'en')).toBe('March 5, 2026');
    expect(formatDate('2026-03-05', 'fr')).toBe('5 mars 2026');
    expect(formatDate('2026-03-05', 'en', 'Pacific/Kiritimati')).toBe('March 5, 2026');
    expect(formatDateTime('2026-03-05T17:00:00Z', 'en')).toBe('March 5, 2026 at 5:00 PM UTC');
    expect(formatDateTime('2026-03-05T17:00:00Z', 'fr', 'Europe/Paris')).toBe(
      '5 mars 2026 à 18:00 UTC+1',
    );
  });

  it('renders deadlines in the time zone asked for', () => {
    const email = renderEmail(messageOf('offer', FIXTURES.offer), 'en', {
      timeZone: 'America/New_York',
    });
    expect(plain(email.text)).toContain('Please answer by March 20, 2026 at 1:00 PM EDT.');
  });

  it.each(['2026-02-30', '05/03/2026', '2026-03-05T17:00:00', 'yesterday'])(
    'rejects %s',
    (value) => {
      expect(() => formatDateTime(value, 'en')).toThrow(RangeError);
    },
  );
});

describe('escalation levels', () => {
  it('narrows 0–3 and refuses anything else', () => {
    expect([0, 1, 2, 3].map(toEscalationLevel)).toEqual([0, 1, 2, 3]);
    expect(() => toEscalationLevel(4)).toThrow(RangeError);
    expect(() => toEscalationLevel(1.5)).toThrow(RangeError);
  });
});

describe('threading headers', () => {
  it('derives a Message-ID per step and points every message at the thread root', () => {
    expect(threadHeaders('D-123', 'ack')).toEqual({
      messageId: '<dispute-D-123.ack@settle.local>',
      inReplyTo: '<dispute-D-123@settle.local>',
      references: ['<dispute-D-123@settle.local>'],
    });
    expect(stepMessageId('D-123', 'offer.r2', 'mail.example.com')).toBe(
      '<dispute-D-123.offer.r2@mail.example.com>',
    );
    expect(threadRootId('D-123', 'mail.example.com')).toBe('<dispute-D-123@mail.example.com>');
  });

  it('is deterministic, so a retried send has the same Message-ID', () => {
    expect(threadHeaders('D-9', 'reminder.r1')).toEqual(threadHeaders('D-9', 'reminder.r1'));
    expect(stepMessageId('D-9', 'a')).not.toBe(stepMessageId('D-9', 'b'));
  });

  it.each([
    ['D 1', 'ack', 'settle.local'],
    ['D-1>', 'ack', 'settle.local'],
    ['D-1', '', 'settle.local'],
    ['D-1', 'a..b', 'settle.local'],
    ['D-1', 'ack@x', 'settle.local'],
    ['D-1', 'ack', 'bad domain'],
    ['D-1', 'ack', '-x.local'],
  ])('rejects id %j, step %j, domain %j', (id, step, domain) => {
    expect(() => threadHeaders(id, step, domain)).toThrow(RangeError);
  });
});
