// The customer's response page behind the signed link in their emails: no account, no script.
// GET shows the dispute; POST takes the answer (into the workflow exactly as customer-response,
// with the customer as the actor) and notes, then redirects back (post/redirect/get).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatAmount, money } from '../../domain/money';
import type { Proposal } from '../../domain/notifications';
import { customerMessageNotice } from '../../email/customer-message-notice';
import { createContext } from '../../email/context';
import { describeFinding } from '../../email/phrases';
import { recordCustomerMessage } from '../../store/customer-messages/record';
import {
  claimAnswer,
  currentOfferRound,
  findAnswer,
  findLink,
  invoiceLines,
  notesOfLink,
  pageFacts,
  settleAnswer,
  type AnswerRow,
  type LinkRow,
  type PageFacts,
} from '../../store/customer-links/links';
import { TOKEN_MAX_LENGTH, TOKEN_PATTERN, verifyLinkToken } from '../../store/customer-links/token';
import { customerResponseUpdate, PHASE_CONFLICT } from '../../workflows/messages';
import { databaseUnavailable } from '../http/database-errors';
import type { AppDeps } from '../http/deps';
import { defineRoute, type AnyRoute } from '../http/route';
import { temporalUnavailable, TEMPORAL_CALL_TIMEOUT_MS } from '../http/temporal-errors';
import { COPY } from './copy';
import { disputePage, invalidPage, PAGE_CSS, unavailablePage, type PageView } from './page';
import {
  contentSecurityPolicy,
  csrfCookie,
  csrfToken,
  csrfValid,
  securityHeaders,
} from './security';

const CSP = contentSecurityPolicy(PAGE_CSS);
const COMMENT_MAX = 2000;
const NOTE_MAX = 5000;
const DONE = ['accepted', 'rejected', 'noted'] as const;

const tokenParams = z.object({ token: z.string() });
const documentedParams = z
  .object({
    token: z
      .string()
      .max(TOKEN_MAX_LENGTH)
      .regex(TOKEN_PATTERN)
      .describe('The signed link from the customer’s email'),
  })
  .strict();
const pageQuery = z.object({ done: z.enum(DONE).optional() });
// This route answers every bad input with a page, so it refuses NUL (which PostgreSQL cannot
// store) itself rather than by the API's JSON 400.
const noNul = (value: string): boolean => !value.includes('\u0000');
const formBody = z.object({
  csrf: z.string().max(100).refine(noNul),
  decision: z.enum(['accept', 'reject']).optional(),
  comment: z.string().max(COMMENT_MAX).refine(noNul).optional(),
  note: z.string().max(NOTE_MAX).refine(noNul).optional(),
});

interface Resolved {
  link: LinkRow;
  facts: PageFacts;
  /** Past the round's deadline: readable only once answered, never answerable. */
  expired: boolean;
}

type Notice = PageView['notice'];

export function customerRoutes(deps: AppDeps): AnyRoute[] {
  const { db, temporal, config, policy } = deps;
  const keys = config.CUSTOMER_LINK_KEYS;
  const secureCookie = config.PUBLIC_URL.startsWith('https:');
  const clock = deps.now ?? ((): Date => new Date());

  /** The link behind a token, or null for every way it can be unusable (one answer for all). */
  async function resolve(token: string): Promise<Resolved | null> {
    let verified = verifyLinkToken(keys, token, clock().getTime());
    let expired = false;
    if (!verified.ok && verified.problem === 'expired') {
      verified = verifyLinkToken(keys, token, 0);
      expired = true;
    }
    if (!verified.ok) return null;
    const { claims } = verified;
    const link = await findLink(db, claims.linkId);
    if (!link || link.disputeId !== claims.disputeId || link.round !== claims.round) return null;
    if (expired && !link.usedAt) return null;
    const facts = await pageFacts(db, link.disputeId);
    if (!facts || facts.internal || facts.phase === 'closed') return null;
    return { link, facts, expired };
  }

  function invalid(reply: FastifyReply): string {
    securityHeaders(reply, CSP);
    reply.code(404).type('text/html; charset=utf-8');
    return invalidPage();
  }

  /** A database or Temporal outage: a page to come back to (503, Retry-After), not an error body. */
  async function orOutagePage(reply: FastifyReply, render: () => Promise<string>): Promise<string> {
    try {
      return await render();
    } catch (error) {
      const outage = databaseUnavailable(error) ?? temporalUnavailable(error);
      if (!outage) throw error;
      reply.log.warn({ err: error }, outage.message);
      securityHeaders(reply, CSP);
      reply.code(503).headers(outage.headers).type('text/html; charset=utf-8');
      return unavailablePage();
    }
  }

  async function canAnswer(r: Resolved): Promise<'yes' | 'not_open' | 'replaced'> {
    if (r.link.purpose !== 'answer' || r.expired) return 'not_open';
    if (r.facts.phase !== 'awaiting_customer') return 'not_open';
    const round = await currentOfferRound(db, r.facts.id);
    return round === r.link.round ? 'yes' : 'replaced';
  }

  async function view(
    r: Resolved,
    csrf: string,
    extra: Partial<Pick<PageView, 'notice' | 'errors' | 'values'>> & { answerable?: boolean },
  ): Promise<PageView> {
    const { facts, link } = r;
    const locale = facts.customer.locale === 'fr' ? 'fr' : 'en';
    const ctx = createContext(locale);
    const lines = await invoiceLines(db, facts.invoiceId);
    const disputed = new Set(JSON.parse(facts.lineIds) as string[]);
    const found = new Set(facts.findings.map((f) => f.lineId).filter(Boolean));
    const shown = lines.filter((l) => disputed.has(l.id));
    const inQuestion =
      shown.length > 0
        ? shown
        : lines.filter((l) => found.has(l.id)).length > 0
          ? lines.filter((l) => found.has(l.id))
          : lines;
    const answer = link.purpose === 'answer' ? await findAnswer(db, facts.id, link.round) : null;
    const answerable = extra.answerable ?? (await canAnswer(r)) === 'yes';
    const amount = (minor: bigint): string => formatAmount(money(minor, facts.currency));
    const offer = link.offer as { proposal: Proposal; respondBy: string } | null;
    return {
      locale,
      action: '',
      caseNumber: facts.id,
      invoiceNumber: facts.invoiceId,
      contactName: facts.contactName,
      currency: facts.currency,
      lines: inQuestion.map((l) => ({
        id: l.id,
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: amount(l.unitPrice),
        total: amount(l.lineTotal),
      })),
      findings: facts.findings.map((f) =>
        describeFinding(
          {
            rule: f.rule,
            invoiceId: f.invoiceId,
            lineId: f.lineId,
            expected: f.expected,
            actual: f.actual,
            delta: { amount: formatAmount(money(f.delta, f.currency)), currency: f.currency },
          },
          'customer',
          ctx,
        ),
      ),
      offer: link.purpose === 'answer' ? offer : null,
      form: r.expired ? null : answerable && !answer ? 'answer' : 'note',
      csrf: csrfToken(keys, link.id, csrf),
      notice: extra.notice ?? null,
      errors: extra.errors ?? {},
      values: extra.values ?? {},
      answered:
        answer && answer.status !== 'refused'
          ? { accepted: answer.accepted, at: answer.createdAt }
          : null,
      notes: (await notesOfLink(db, facts.id, link.id)).map((n) => ({
        text: n.text,
        at: n.receivedAt,
      })),
    };
  }

  function page(reply: FastifyReply, status: number, pageView: PageView, token: string): string {
    securityHeaders(reply, CSP);
    reply.code(status).type('text/html; charset=utf-8');
    return disputePage({ ...pageView, action: `/respond/${token}` });
  }

  /** Sends the answer into the workflow, as customer-response does, under a fixed update id. */
  async function apply(
    r: Resolved,
    answer: AnswerRow,
  ): Promise<'applied' | 'refused' | 'unavailable'> {
    const handle = temporal.workflow.getHandle(r.facts.workflowId);
    try {
      await temporal.withDeadline(
        Date.now() + (deps.temporalTimeoutMs ?? TEMPORAL_CALL_TIMEOUT_MS),
        () =>
          handle.executeUpdate(customerResponseUpdate, {
            // The same id on a retry: Temporal runs the update once and returns its result again.
            updateId: `customer-response:${answer.disputeId}:round-${answer.round}`,
            args: [
              {
                accepted: answer.accepted,
                ...(answer.comment ? { comment: answer.comment } : {}),
                actor: `customer:${r.facts.contactEmail}`,
              },
            ],
          }),
      );
    } catch (error) {
      const phaseConflict =
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === PHASE_CONFLICT;
      if (phaseConflict || error instanceof WorkflowNotFoundError) {
        await settleAnswer(db, answer, 'refused', clock());
        return 'refused';
      }
      if (temporalUnavailable(error)) return 'unavailable';
      throw error;
    }
    await settleAnswer(db, answer, 'applied', clock());
    return 'applied';
  }

  async function recordNote(r: Resolved, text: string): Promise<void> {
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const now = clock();
    await recordCustomerMessage(
      db,
      {
        dedupKey: `web:${r.link.id}:${digest}`,
        channel: 'web',
        candidates: [{ disputeId: r.facts.id, matchedBy: 'page' }],
        fromAddress: r.facts.contactEmail,
        fromName: r.facts.contactName,
        subject: COPY[r.facts.customer.locale === 'fr' ? 'fr' : 'en'].note.heading,
        text,
        html: null,
        attachments: [],
        receivedAt: now,
        // The link went to the contact's address: whoever holds it answers for the contact.
        isUnexpectedSender: () => false,
      },
      (facts) => customerMessageNotice(facts, policy.contacts, config.MAIL_DOMAIN),
      now,
    );
  }

  const htmlErrors = [400, 403, 404, 409, 503];
  return [
    defineRoute({
      method: 'GET',
      url: '/respond/:token',
      summary: 'The customer’s response page for the dispute a signed email link names',
      tag: 'customer',
      roles: 'public',
      params: tokenParams,
      documentParams: documentedParams,
      query: pageQuery,
      success: {
        status: 200,
        description: 'The page (HTML, no script)',
        schema: z.string(),
        contentType: 'text/html',
      },
      errors: [404, 503],
      htmlErrors: [404, 503],
      handler: async ({ params, query, request, reply }) =>
        orOutagePage(reply, async () => {
          const resolved = await resolve(params.token);
          if (!resolved) return invalid(reply);
          const t = COPY[resolved.facts.customer.locale === 'fr' ? 'fr' : 'en'];
          const notice: Notice = query.done ? { tone: 'ok', text: t.notices[query.done] } : null;
          const cookie = csrfCookie(request, reply, secureCookie);
          return page(reply, 200, await view(resolved, cookie, { notice }), params.token);
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/respond/:token',
      summary: 'The customer accepts or rejects the proposal, or sends a note (HTML form)',
      tag: 'customer',
      roles: 'public',
      form: true,
      params: tokenParams,
      documentParams: documentedParams,
      documentBody: formBody,
      success: { status: 303, description: 'Recorded; see the page again (Location)' },
      errors: htmlErrors,
      htmlErrors,
      handler: async ({ params, request, reply }) =>
        orOutagePage(reply, async () => {
          const resolved = await resolve(params.token);
          if (!resolved) return invalid(reply);
          const t = COPY[resolved.facts.customer.locale === 'fr' ? 'fr' : 'en'];
          const parsed = formBody.safeParse(request.body ?? {});
          const cookie = csrfCookie(request, reply, secureCookie);
          const show = async (status: number, extra: Parameters<typeof view>[2]): Promise<string> =>
            page(reply, status, await view(resolved, cookie, extra), params.token);
          if (!parsed.success || !csrfValid(request, keys, resolved.link.id, parsed.data.csrf)) {
            return show(403, { notice: { tone: 'warn', text: t.notices.forbidden } });
          }
          const body = parsed.data;
          const note = body.note?.trim() ?? '';
          const comment = body.comment?.trim() ?? '';
          const values = { ...body };
          const answerable = await canAnswer(resolved);

          if (resolved.link.purpose === 'answer' && answerable === 'yes') {
            const existing = await findAnswer(db, resolved.facts.id, resolved.link.round);
            if (existing && existing.status !== 'pending') {
              return show(409, {
                notice: {
                  tone: 'warn',
                  text: t.notices.already(
                    existing.accepted,
                    createContext(resolved.facts.customer.locale === 'fr' ? 'fr' : 'en').dateTime(
                      existing.createdAt.toISOString(),
                    ),
                  ),
                },
              });
            }
            const errors: PageView['errors'] = {};
            if (!existing && !body.decision) errors.decision = t.errors.decision;
            if (!existing && body.decision === 'reject' && comment === '')
              errors.comment = t.errors.comment;
            if (Object.keys(errors).length > 0) return show(400, { errors, values });
            const { answer } = existing
              ? { answer: existing }
              : await claimAnswer(
                  db,
                  {
                    disputeId: resolved.facts.id,
                    round: resolved.link.round,
                    linkId: resolved.link.id,
                    accepted: body.decision === 'accept',
                    comment: comment || null,
                  },
                  clock(),
                );
            const outcome = await apply(resolved, answer);
            if (outcome === 'unavailable')
              return show(503, { notice: { tone: 'warn', text: t.notices.tryAgain }, values });
            if (outcome === 'refused')
              return show(409, {
                notice: { tone: 'warn', text: t.notices.notOpen },
                answerable: false,
              });
            if (note) await recordNote(resolved, note);
            reply
              .code(303)
              .header(
                'location',
                `/respond/${params.token}?done=${answer.accepted ? 'accepted' : 'rejected'}`,
              );
            return '';
          }

          if (body.decision && resolved.link.purpose === 'answer') {
            const answered = await findAnswer(db, resolved.facts.id, resolved.link.round);
            const text = answered
              ? t.notices.already(
                  answered.accepted,
                  createContext(resolved.facts.customer.locale === 'fr' ? 'fr' : 'en').dateTime(
                    answered.createdAt.toISOString(),
                  ),
                )
              : answerable === 'replaced'
                ? t.notices.replaced
                : t.notices.notOpen;
            return show(409, { notice: { tone: 'warn', text }, values: { note: body.note } });
          }
          if (resolved.expired)
            return show(409, { notice: { tone: 'warn', text: t.notices.notOpen } });
          if (note === '') return show(400, { errors: { note: t.errors.empty }, values });
          await recordNote(resolved, note);
          reply.code(303).header('location', `/respond/${params.token}?done=noted`);
          return '';
        }),
    }),
  ];
}
