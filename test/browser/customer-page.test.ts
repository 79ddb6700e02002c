// The customer's response page in a real Chromium, reached through the link in an email that
// arrived over real SMTP: accept → correcting → monitoring; reject (with the comment the form
// insists on) → the next round; a tampered, forged or expired link and a replayed answer change
// nothing. Screenshots in English and French, desktop and phone, go to test/artifacts/.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLinkToken } from '../../store/customer-links/token';
import { artifactPath, DESKTOP, launchChromium, PHONE } from '../support/chromium';
import {
  importSample,
  openDispute,
  terminateQuietly,
  type OpenedDispute,
} from '../support/disputes';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';

const LINK = /http:\/\/127\.0\.0\.1:\d+\/respond\/[A-Za-z0-9._-]+/;

let env: TestWorkflowEnvironment;
let stack: Stack;
let browser: Browser;
const disputes: OpenedDispute[] = [];

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startStack(env, 'sqlite', undefined, { listen: true });
  await importSample(stack);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const d of disputes) await terminateQuietly(d);
  await stack?.stop();
  await env?.teardown();
});

const dispute = async (id: string): Promise<any> =>
  (await stack.call('GET', `/v1/disputes/${id}`)).body;
const inPhase = (id: string, ...phases: string[]): Promise<any> =>
  waitFor(
    async () => {
      const d = await dispute(id);
      return phases.includes(d.phase) && d;
    },
    { what: `${id} in ${phases.join(' or ')}`, timeoutMs: 30_000, intervalMs: 100 },
  );

/** Opens a dispute and brings it to an offer; returns the link of the offer email of `round`. */
async function offerLink(invoiceId: string, round = 1): Promise<{ id: string; url: string }> {
  const opened = await openDispute(stack, invoiceId, 'pricing_error');
  disputes.push(opened);
  return { id: opened.id, url: await decideAndMail(opened.id, round) };
}

async function decideAndMail(id: string, round: number): Promise<string> {
  const d = await inPhase(id, 'awaiting_decision', 'awaiting_customer');
  if (d.phase === 'awaiting_decision') {
    const decided = await stack.call('POST', `/v1/disputes/${id}/decision`, {
      body: { resolution: 'credit_note', amount: d.totalDelta },
    });
    expect(decided.status).toBe(200);
  }
  const mail = await stack.catcher.waitFor(
    (m) =>
      m.subject.includes(id) && OFFER_SUBJECT.test(m.subject) && REVISED.test(m.text) === round > 1,
    { timeoutMs: 30_000 },
  );
  return LINK.exec(mail.text)![0];
}

const OFFER_SUBJECT = /Our proposal to settle|Notre proposition pour régler/;
/** Offers of later rounds say so. */
const REVISED = /revised proposal|nouvelle proposition/;

async function newPage(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(name), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: artifactPath(`${name}-phone`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

describe('customer response page', () => {
  it('accepts an offer from the email link: correcting, then monitoring, with the customer as actor', async () => {
    const { id, url } = await offerLink('INV-2001');
    const { context, page } = await newPage();
    const response = await page.goto(url);
    expect(response!.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).not.toContain('script-src');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    await expect.poll(() => page.title()).toContain(id);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Invoice lines in question');
    expect(text).toContain('What we found');
    expect(text).toContain('Our proposal');
    expect(text).toContain('Answer by');
    expect(await page.locator('script').count()).toBe(0);
    await shoot(page, 'customer-page-en');

    // What a replay would send: this page's form as it stands.
    const csrf = await page.locator('input[name=csrf]').inputValue();
    await page.getByLabel('I accept the proposal').check();
    await page
      .getByLabel('Your note (optional)')
      .fill('Please send the credit note to ap@example.com.');
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.waitForURL(/done=accepted/);
    expect(await page.locator('.notice').innerText()).toContain('You accepted the proposal');
    await shoot(page, 'customer-page-en-accepted');

    await inPhase(id, 'correcting', 'monitoring');
    const final = await inPhase(id, 'monitoring');
    const accepted = final.timeline.filter((e: any) => e.type === 'customer_accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0].actor).toBe('customer:dana@example.com');
    expect(final.timeline.some((e: any) => e.type === 'customer_message')).toBe(true);

    // The same answer posted again (a replay) is refused and changes nothing.
    const replay = await context.request.post(url, {
      form: { csrf, decision: 'reject', comment: 'changed my mind' },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(replay.status()).toBe(409);
    expect(await replay.text()).toContain('You already answered this proposal');
    const after = await dispute(id);
    expect(
      after.timeline.filter((e: any) => e.type.startsWith('customer_')).map((e: any) => e.type),
    ).toEqual(['customer_accepted', 'customer_message']);
    // Reading stays possible while the dispute is open; no answer form any more.
    await page.goto(url);
    expect(await page.locator('input[name=decision]').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain('you accepted this proposal');
    await context.close();
  });

  it('rejects an offer with a comment (in French) and the dispute goes to the next round', async () => {
    const { id, url } = await offerLink('INV-3002');
    const { context, page } = await newPage();
    await page.goto(url);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Notre proposition');
    expect(text).toMatch(/\d+,\d{2}\s€/);
    await shoot(page, 'customer-page-fr');

    await page.getByLabel('Je refuse la proposition').check();
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    expect(await page.locator('.error').first().innerText()).toContain('pourquoi vous refusez');
    expect((await dispute(id)).phase).toBe('awaiting_customer');

    await page.getByLabel('Je refuse la proposition').check();
    await page.getByLabel('Pourquoi la refusez-vous ?').fill('Le montant ne couvre pas la remise.');
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.waitForURL(/done=rejected/);
    await shoot(page, 'customer-page-fr-rejected');
    const next = await inPhase(id, 'awaiting_decision');
    expect(next.timeline.find((e: any) => e.type === 'customer_rejected')).toMatchObject({
      actor: 'customer:dana@example.com',
      data: { comment: 'Le montant ne couvre pas la remise.', round: 1 },
    });

    // Round 2: a new offer email with its own link; the round-1 link can no longer answer.
    const second = await decideAndMail(id, 2);
    expect(second).not.toBe(url);
    await page.goto(url);
    expect(await page.locator('input[name=decision]').count()).toBe(0);
    await page.goto(second);
    expect(await page.locator('input[name=decision]').count()).toBe(2);
    await context.close();
  });

  it('answers a tampered, forged, unknown or expired link with one page that changes nothing', async () => {
    const { id, url } = await offerLink('INV-2002');
    const token = url.split('/respond/')[1]!;
    const [kid, payload, signature] = token.split('.');
    const flip = (s: string, at: number): string =>
      s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const link = await stack.database.db.customerLink.findFirstOrThrow({
      where: { disputeId: id },
    });
    const expired = signLinkToken(stack.config.CUSTOMER_LINK_KEYS, {
      linkId: link.id,
      disputeId: id,
      round: link.round,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const forged = signLinkToken([{ kid: kid!, secret: 'z'.repeat(40) }], {
      linkId: link.id,
      disputeId: id,
      round: link.round,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const bad = [
      `${kid}.${flip(payload!, 5)}.${signature}`,
      `${kid}.${payload}.${flip(signature!, 10)}`,
      forged,
      expired,
      'k.aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      'nonsense',
    ];
    const { context, page } = await newPage();
    const bodies = new Set<string>();
    for (const t of bad) {
      const response = await page.goto(`${stack.url}/respond/${t}`);
      expect({ t, status: response!.status() }).toEqual({ t, status: 404 });
      const shown = await page.locator('main').innerText();
      expect(shown).toContain('This link is not valid or has expired.');
      expect(shown).not.toContain(id);
      expect(shown).not.toContain('INV-');
      bodies.add(shown);
      const post = await context.request.post(`${stack.url}/respond/${t}`, {
        form: { csrf: 'x', decision: 'accept' },
      });
      expect(post.status()).toBe(404);
    }
    expect(bodies.size).toBe(1);
    await page.screenshot({ path: artifactPath('customer-page-invalid'), fullPage: true });

    // A post from another site (no page cookie, cross-site) is refused too.
    const csrfLess = await context.request.post(url, {
      form: { csrf: 'forged', decision: 'accept' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(csrfLess.status()).toBe(403);
    expect((await dispute(id)).phase).toBe('awaiting_customer');
    await context.close();
  });
});
