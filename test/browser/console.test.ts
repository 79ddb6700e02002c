// The agent console in Chromium against the real stack (Temporal dev server, SQLite, SMTP): each
// scenario as people click through it. Every page is checked with axe-core at 1280 and 390 px and
// photographed into test/artifacts/console/, and no page may violate its CSP, throw, open a dialog
// or request anything from another origin.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Role } from '../../config';
import {
  checkPage,
  launchChromium,
  signIn,
  startConsoleStack,
  tabTo,
  watchPage,
  type ConsoleStack,
  type PageWatch,
} from '../support/browser';
import { sampleBundle, sampleExpected } from '../support/sample-data';
import { startDevServerEnv } from '../support/temporal';
import { disputeBody, waitForPhase } from '../support/api-fixtures';
import { startOutboxRelay } from '../../workers/outbox-relay';

// Functions passed to page.evaluate run in the page; Node's types do not know its globals.
declare const sessionStorage: { length: number };
declare const window: any;
declare const document: any;

let env: TestWorkflowEnvironment;
let stack: ConsoleStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const watches: PageWatch[] = [];
const pageProblems: string[] = [];

beforeAll(async () => {
  env = await startDevServerEnv();
  [stack, browser] = await Promise.all([startConsoleStack(env), launchChromium()]);
  const imported = await stack.call('POST', '/v1/import', {
    role: 'operations',
    body: sampleBundle(),
  });
  expect(imported.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await env?.teardown();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  const problems = [...pageProblems.splice(0), ...watches.splice(0).flatMap((w) => w.problems)];
  expect(problems).toEqual([]);
});

/** A fresh browser profile (its own session storage) signed in as `role`. */
async function open(role: Role | null, path = '/'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'America/New_York',
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  watches.push(watchPage(page, stack.baseUrl));
  if (role) await signIn(page, stack.baseUrl, role, path);
  else await page.goto(new URL(path, stack.baseUrl).href);
  return page;
}

async function check(page: Page, name: string): Promise<void> {
  pageProblems.push(...(await checkPage(page, name)));
}

const phaseText = (page: Page): ReturnType<Page['getByTestId']> => page.getByTestId('phase');

async function openViaApi(invoiceId: string, customerId: string): Promise<string> {
  const opened = await stack.call('POST', '/v1/disputes', {
    role: 'agent',
    body: disputeBody(customerId, invoiceId),
  });
  expect(opened.status).toBe(201);
  return opened.body.id;
}

describe('an agent and a manager settle a dispute', { timeout: 180_000 }, () => {
  it('opens it on sample data, decides a credit note, gets it approved from the inbox, records the acceptance, and sees the adjustment on the customer page', async () => {
    // Signing in by keyboard: the key field, then Enter.
    const agent = await open(null);
    await agent.getByLabel('API key').waitFor();
    await check(agent, 'sign-in');
    await tabTo(agent, agent.getByLabel('API key'));
    await agent.keyboard.type('agent-secret');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.getByTestId('actor').textContent()).toContain('agent');
    await agent
      .getByText('disputes: needs attention')
      .or(agent.getByText('Nothing here'))
      .first()
      .waitFor();
    await check(agent, 'inbox-empty');

    await agent.getByRole('link', { name: 'New dispute' }).click();
    await agent.getByLabel('Find the customer').fill('contoso');
    await expect
      .poll(() => agent.getByLabel('Customer', { exact: true }).locator('option').allTextContents())
      .toContain('Contoso Labs (C-200)');
    await agent.getByLabel('Customer', { exact: true }).selectOption('C-200');
    await expect
      .poll(() => agent.getByLabel('Invoice', { exact: true }).locator('option').count())
      .toBeGreaterThan(1);
    await agent.getByLabel('Invoice', { exact: true }).selectOption('INV-2001');
    await agent.getByRole('checkbox', { name: /INV-2001-1/ }).check();
    await agent.getByLabel('Reason').selectOption('pricing_error');
    await agent.getByLabel('Description').fill('Switches above the contract price');
    await expect
      .poll(() => agent.getByLabel('Email', { exact: true }).inputValue())
      .toBe('billing@contoso.example');
    await check(agent, 'new-dispute');
    await agent.getByRole('button', { name: 'Open dispute' }).click();

    await agent.waitForURL(/\/disputes\/D-[0-9A-Z]{10}$/);
    const id = agent.url().split('/').at(-1)!;
    await expect
      .poll(() => phaseText(agent).textContent(), { timeout: 30_000 })
      .toBe('Awaiting decision.');
    // The findings, each beside its line, as the rules of sample-data/README.md give them.
    const expected = sampleExpected['INV-2001']!;
    const table = agent.getByRole('table', { name: 'Invoice lines with the findings about each' });
    for (const f of expected.findings.filter((f) => f.lineId)) {
      const row = table.getByRole('row', { name: new RegExp(f.lineId!) });
      const shown = Number(f.delta).toLocaleString('en-US', { minimumFractionDigits: 2 });
      await expect.poll(() => row.textContent()).toContain(shown);
    }
    await expect.poll(() => agent.locator('dl.totals').textContent()).toContain('3,066.19');
    await check(agent, 'dispute-awaiting-decision');

    // The decision by keyboard: the remedy and amount are prefilled from the findings.
    const decision = agent.getByTestId('action-decision');
    await expect.poll(() => decision.getByLabel('Remedy').inputValue()).toBe('credit_note');
    await expect.poll(() => decision.getByLabel('Amount (USD)').inputValue()).toBe('3066.19');
    await tabTo(agent, decision.getByLabel('Explanation (optional)'));
    await agent.keyboard.type('Contract prices, the volume discount and the tax, corrected.');
    await tabTo(agent, decision.getByRole('button', { name: 'Record decision' }));
    await agent.keyboard.press('Enter');
    // Above the agent limit: the page shows the new state at once, no reload.
    await expect.poll(() => phaseText(agent).textContent()).toBe('Awaiting approval.');
    await expect
      .poll(() => agent.getByRole('region', { name: 'Current offer' }).textContent())
      .toContain('Credit note');

    const manager = await open('manager', '/?view=approval');
    const row = manager.getByRole('row', { name: new RegExp(id) });
    await row.waitFor();
    await check(manager, 'inbox-awaiting-approval');
    await row.getByRole('button', { name: /Approve Credit note/ }).click();
    await expect
      .poll(() => manager.getByRole('status').filter({ hasText: id }).textContent())
      .toContain(`Approved ${id}`);
    await expect.poll(() => row.count()).toBe(0);

    // The agent's page follows the manager's approval on its own.
    await expect
      .poll(() => phaseText(agent).textContent(), { timeout: 20_000 })
      .toBe('Awaiting customer.');
    const answer = agent.getByTestId('action-customer-response');
    await answer.getByLabel('Accepted the offer').check();
    await answer.getByRole('button', { name: 'Record answer' }).click();
    await expect
      .poll(() => phaseText(agent).textContent(), { timeout: 30_000 })
      .toBe('Monitoring.');
    const adjustments = agent.getByRole('region', { name: 'Adjustments and ledger postings' });
    await expect.poll(() => adjustments.textContent()).toMatch(/Credit note CN-\d+/);
    await expect.poll(() => adjustments.textContent()).toContain('Ledger posting');
    await expect
      .poll(() => agent.getByRole('region', { name: 'Timeline' }).textContent())
      .toMatch(/Email queued.*Delivered/s);
    await check(agent, 'dispute-monitoring');
    // Reversing a posted correction is a manager's: the agent's page does not offer it.
    await agent.getByTestId('action-notes').waitFor();
    expect(await agent.getByTestId('action-reverse').count()).toBe(0);

    const document = (await adjustments.textContent())!.match(/CN-\d+/)![0];
    await agent.getByRole('link', { name: 'Contoso Labs' }).click();
    await agent.getByRole('heading', { name: 'Contoso Labs' }).waitFor();
    const ledger = agent.getByTestId('ledger-entries');
    await expect.poll(() => ledger.textContent()).toContain(document);
    await expect
      .poll(() => agent.getByRole('region', { name: 'Disputes' }).textContent())
      .toContain(id);
    await check(agent, 'customer');

    // The manager finds the credit note wrong and reverses it: a new decision follows.
    const reviewer = await open('manager', `/disputes/${id}`);
    const reverse = reviewer.getByTestId('action-reverse');
    await reverse.locator('summary').click();
    await expect.poll(() => reverse.getByLabel('Document').inputValue()).toBe(document);
    await reverse.getByLabel('Reason').fill('The contract price list on file was out of date');
    await check(reviewer, 'dispute-reverse');
    await reverse.getByRole('button', { name: 'Reverse the correction' }).click();
    await expect
      .poll(() => phaseText(reviewer).textContent(), { timeout: 30_000 })
      .toBe('Awaiting decision.');
    await expect
      .poll(() => reviewer.getByRole('region', { name: 'Timeline' }).textContent())
      .toContain('Correction reversed');
  });
});

describe('two people act on one dispute at once', { timeout: 120_000 }, () => {
  it('shows the second a 409 in words and refreshes the page to the new state', async () => {
    const id = await openViaApi('INV-3002', 'C-300');
    await waitForPhase(stack, id, 'awaiting_decision');
    const decided = await stack.call('POST', `/v1/disputes/${id}/decision`, {
      role: 'agent',
      body: { resolution: 'credit_note', amount: { amount: '4411.80', currency: 'EUR' } },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('awaiting_approval');

    const first = await open('manager', `/disputes/${id}`);
    const second = await open('manager', `/disputes/${id}`);
    await second.clock.install();
    await second.reload();
    for (const page of [first, second]) {
      await page.getByTestId('action-approval').getByRole('button', { name: 'Approve' }).waitFor();
    }
    // The second page's timers stand still, so it cannot learn of the approval by polling.
    await second.clock.pauseAt(Date.now() + 1_000);

    await first.getByTestId('action-approval').getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => phaseText(first).textContent()).toBe('Awaiting customer.');

    const answered = second.waitForResponse((r) => r.url().endsWith(`/v1/disputes/${id}/approval`));
    await second.getByTestId('action-approval').getByRole('button', { name: 'Approve' }).click();
    expect((await answered).status()).toBe(409);
    await second.clock.resume();
    await expect
      .poll(() => second.getByRole('alert').first().textContent())
      .toContain('Someone else acted first: the dispute is now awaiting customer');
    await expect.poll(() => phaseText(second).textContent()).toBe('Awaiting customer.');
    await expect.poll(() => second.getByTestId('action-approval').count()).toBe(0);
    await check(second, 'dispute-conflict');
  });
});

describe('an email the mail server refused', { timeout: 120_000 }, () => {
  it('shows its failure on the timeline, and a manager — not an agent — sends it again', async () => {
    // Within what the API accepts (254 characters), beyond the SMTP server's path limit: the
    // acknowledgement is refused for good (501) and marked failed in the outbox.
    const email = `${'d'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(53)}.example`;
    const opened = await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: { ...disputeBody('C-400', 'INV-4001'), contact: { name: 'Dana Lee', email } },
    });
    expect(opened.status).toBe(201);
    const id: string = opened.body.id;
    const acknowledgement = async (): Promise<any> => {
      const emails = await stack.call('GET', `/v1/disputes/${id}/emails`, { role: 'auditor' });
      return emails.body.items.find((e: any) => e.kind === 'acknowledgement');
    };
    await expect
      .poll(async () => (await acknowledgement())?.status, { timeout: 60_000 })
      .toBe('failed');
    const { id: messageId, subject } = await acknowledgement();
    // Its line on the timeline (later emails to the same address fail too).
    const line = (page: Page): ReturnType<Page['locator']> =>
      page.locator('li.event-email_queued', { hasText: subject });

    const agent = await open('agent', `/disputes/${id}`);
    await line(agent)
      .getByText(/Delivery failed: EENVELOPE 501/)
      .waitFor();
    expect(await agent.getByRole('button', { name: 'Send again' }).count()).toBe(0);

    const manager = await open('manager', `/disputes/${id}`);
    const resend = line(manager).getByRole('button', { name: 'Send again' });
    await resend.waitFor();
    await check(manager, 'dispute-email-failed');
    // The worker process's outbox relay sends what a manager asked to send again.
    const relay = startOutboxRelay({
      db: stack.database.db,
      mailer: nodemailer.createTransport(stack.catcher.smtpUrl),
      from: 'Settle <disputes@settle.test>',
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      pollMs: 100,
    });
    onTestFinished(() => relay.stop());
    await resend.click();
    // The worker's outbox relay takes it again, the server refuses it again, and the page offers
    // to send it once more.
    await expect
      .poll(() => manager.locator('.event-email_resend_requested').textContent())
      .toContain('by manager:');
    const attempt = async (): Promise<unknown> => {
      const message = await acknowledgement();
      return { id: message.id, status: message.status, attempts: message.attempts };
    };
    await expect
      .poll(attempt, { timeout: 30_000 })
      .toEqual({ id: messageId, status: 'failed', attempts: 2 });
    await resend.waitFor();
  });
});

describe('an auditor', () => {
  it('sees everything and is offered nothing to change', async () => {
    const id = await openViaApi('INV-2002', 'C-200');
    await waitForPhase(stack, id, 'awaiting_decision');
    const auditor = await open('auditor', '/?view=all');
    await auditor.getByRole('row', { name: new RegExp(id) }).waitFor();
    const nav = auditor.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Inbox', 'Reports']);
    await check(auditor, 'inbox-auditor');

    await auditor.getByRole('link', { name: id }).click();
    await expect.poll(() => phaseText(auditor).textContent()).toBe('Awaiting decision.');
    await auditor
      .getByText('Your role can view this dispute but not act on it.')
      .waitFor({ state: 'visible' });
    await expect.poll(() => auditor.locator('main form').count()).toBe(0);
    await auditor
      .getByRole('table', { name: 'Invoice lines with the findings about each' })
      .waitFor({ state: 'visible' });
    await check(auditor, 'dispute-auditor');

    for (const [path, text] of [
      ['/disputes/new', 'Your role may not open disputes.'],
      ['/import', 'Your role may not import billing records.'],
    ] as const) {
      await auditor.goto(new URL(path, stack.baseUrl).href);
      await expect.poll(() => auditor.getByRole('status').textContent()).toContain(text);
    }
    await auditor.goto(new URL('/reports', stack.baseUrl).href);
    await auditor.getByRole('heading', { name: 'Disputes opened and closed per week' }).waitFor();
  });
});

describe('import', () => {
  const bundle = (change: (b: any) => void): Buffer => {
    const b = sampleBundle();
    change(b);
    return Buffer.from(JSON.stringify(b));
  };

  it('shows every problem of a bad bundle with its JSON path, and imports nothing', async () => {
    const page = await open('operations', '/import');
    const bad = bundle((b) => {
      b.customers[0].id = 'C-900';
      b.invoices[0].total = 'twelve';
      b.invoices[1].currency = 'usd';
    });
    await page.getByLabel('Drop the bundle file here, or choose it').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: bad,
    });
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('broken.json was not imported.');
    await expect.poll(() => alert.textContent()).toContain('$.invoices[0].total');
    await expect.poll(() => alert.textContent()).toContain('$.invoices[1].currency');
    await check(page, 'import-errors');
    expect((await stack.call('GET', '/v1/customers/C-900', { role: 'auditor' })).status).toBe(404);
  });

  it('takes a dropped file, shows its progress and the counts, and escapes the names it brings', async () => {
    const page = await open('operations', '/import');
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const records = bundle((b) => {
      b.customers = b.customers.map((c: any) => ({
        ...c,
        id: `X${c.id}`,
        name: `${c.name} ${hostile}`,
      }));
      for (const kind of ['contracts', 'purchaseOrders', 'invoices', 'payments']) {
        for (const r of b[kind]) if (r.customerId) r.customerId = `X${r.customerId}`;
      }
      for (const kind of ['contracts', 'purchaseOrders', 'deliveries', 'invoices', 'payments']) {
        for (const r of b[kind]) {
          r.id = `X${r.id}`;
          if (r.contractId) r.contractId = `X${r.contractId}`;
          if (r.purchaseOrderId) r.purchaseOrderId = `X${r.purchaseOrderId}`;
          if (r.invoiceId) r.invoiceId = `X${r.invoiceId}`;
          for (const line of r.lines ?? []) {
            if (line.id) line.id = `X${line.id}`;
            if (line.poLineId) line.poLineId = `X${line.poLineId}`;
          }
        }
      }
    });
    // The progress bar may show for a moment only: a MutationObserver sees it however briefly.
    await page.evaluate(() => {
      const seen = window as { sawProgress: boolean };
      seen.sawProgress = false;
      new window.MutationObserver(() => {
        if (document.querySelector('progress')) seen.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    // A real drop: a DataTransfer holding the file, dispatched on the drop zone.
    const transfer = await page.evaluateHandle((text) => {
      const data = new (globalThis as any).DataTransfer();
      data.items.add(new File([text], 'records.json', { type: 'application/json' }));
      return data;
    }, records.toString());
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    const done = page.getByRole('status').filter({ hasText: 'Imported records.json' });
    await done.waitFor();
    await expect
      .poll(() => done.getByRole('row', { name: /Customers/ }).textContent())
      .toContain('4');
    expect(await page.evaluate(() => window.sawProgress)).toBe(true);
    await check(page, 'import-done');

    // The names arrive as text wherever they show: no element, no script, no dialog.
    await page.goto(new URL('/customers/XC-200', stack.baseUrl).href);
    await page.getByRole('heading', { name: `Contoso Labs ${hostile}` }).waitFor();
    expect(await page.locator('main script, main img').count()).toBe(0);
    const opened = await stack.call('POST', '/v1/disputes', {
      role: 'agent',
      body: { ...disputeBody('XC-200', 'XINV-2002'), description: hostile },
    });
    expect(opened.status).toBe(201);
    await page.goto(new URL(`/?view=all&q=XINV-2002`, stack.baseUrl).href);
    await page.getByRole('row', { name: /XINV-2002/ }).waitFor();
    await expect
      .poll(() => page.getByRole('row', { name: /XINV-2002/ }).textContent())
      .toContain(hostile);
    await page.goto(new URL(`/disputes/${opened.body.id}`, stack.baseUrl).href);
    await expect.poll(() => page.locator('.description').textContent()).toBe(hostile);
    expect(await page.locator('main script, main img').count()).toBe(0);
    await check(page, 'escaped-names');
  });
});

describe('reports', () => {
  it('render the period’s data as charts, and each CSV holds the API’s numbers', async () => {
    // A closed dispute (no error found) beside the ones the other scenarios left open.
    const id = await openViaApi('INV-1001', 'C-100');
    await waitForPhase(stack, id, 'closed');

    const page = await open('manager', '/reports');
    await page.getByRole('heading', { name: 'Root causes (Pareto)' }).waitFor();
    const range = new URL(page.url()).searchParams;
    const from = range.get('from') ?? (await page.getByLabel('From').inputValue());
    const to = range.get('to') ?? (await page.getByLabel('To (included)').inputValue());
    const toExclusive = new Date(Date.parse(to) + 86_400_000).toISOString().slice(0, 10);
    const summary = await stack.call('GET', `/v1/reports/summary?from=${from}&to=${toExclusive}`, {
      role: 'auditor',
    });
    const series = await stack.call('GET', `/v1/reports/series?from=${from}&to=${toExclusive}`, {
      role: 'auditor',
    });
    expect(summary.body.opened).toBeGreaterThanOrEqual(3);
    await expect
      .poll(() => page.getByTestId('figure-opened').textContent())
      .toBe(String(summary.body.opened));
    await expect
      .poll(() => page.getByTestId('figure-closed').textContent())
      .toBe(String(summary.body.closed));
    // Drawn: every chart with data has a painted canvas.
    for (const name of ['opened-closed', 'root-causes', 'reasons', 'credits-debits']) {
      const canvas = page.getByTestId(`report-${name}`).locator('canvas');
      await canvas.waitFor();
      const painted = await canvas.evaluate((c: any) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        return data.some((v: number, i: number) => i % 4 === 3 && v > 0);
      });
      expect(painted, name).toBe(true);
    }
    await check(page, 'reports');

    const csv = async (name: string): Promise<string[][]> => {
      const card = page.getByTestId(`report-${name}`);
      const download = page.waitForEvent('download');
      await card.getByRole('button', { name: /Download CSV/ }).click();
      const text = await (await (await download).createReadStream()).toArray();
      return Buffer.concat(text)
        .toString()
        .trim()
        .split('\r\n')
        .map((line) => line.split(','));
    };
    const weekly = await csv('opened-closed');
    expect(weekly[0]).toEqual(['Week starting', 'Opened', 'Closed']);
    expect(weekly.slice(1)).toEqual(
      series.body.weeks.map((w: any) => [w.week, String(w.opened), String(w.closed)]),
    );
    const causes = await csv('root-causes');
    expect(causes.slice(1).map((r) => [r[0], r[1]])).toEqual(
      summary.body.byRootCause.map((r: any) => [r.rootCause, String(r.count)]),
    );
    const money = await csv('credits-debits');
    const credits = series.body.months.flatMap((m: any) =>
      m.credits.map((c: any) => [m.month, 'credit', c.currency, c.amount.amount, String(c.count)]),
    );
    expect(money.slice(1).filter((r) => r[1] === 'credit')).toEqual(credits);
    expect(credits.length).toBeGreaterThan(0);

    // The numbers are there for people who cannot see the chart.
    const card = page.getByTestId('report-reasons');
    await card.getByText('Numbers').click();
    await expect.poll(() => card.getByRole('table').textContent()).toContain('pricing_error');
  });
});

describe('every page', () => {
  it('answers an unknown address inside the console, and waits on the same page after signing in', async () => {
    const page = await open(null, '/reports?from=2026-01-01&to=2026-01-31');
    await page.getByLabel('API key').fill('agent-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    expect(new URL(page.url()).search).toBe('?from=2026-01-01&to=2026-01-31');
    await page.goto(new URL('/disputes/D-0000000000', stack.baseUrl).href);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not found');
    await check(page, 'dispute-not-found');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('refuses a wrong key in words', async () => {
    const page = await open(null);
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
