// The response page as HTML, built only through the escaping `html` tag: no script, one style
// sheet (pinned in the CSP by its hash), a form that works without JavaScript.
import type { Locale, Proposal } from '../../domain/notifications';
import { createContext, type RenderContext } from '../../email/context';
import { html, multiline, SafeHtml } from '../../email/html';
import { capitalize, proposalSummary, remedyLabel } from '../../email/phrases';
import { COPY } from './copy';

export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2933;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}
main{max-width:760px;margin:0 auto;padding:24px 16px 48px}
header{color:#1f5fbf;font-weight:600;margin-bottom:12px}
section{background:#fff;border-radius:8px;padding:20px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:24px;line-height:1.3;margin:0 0 12px}
h2{font-size:18px;margin:0 0 12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{font-weight:600}dd{margin:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;min-width:420px}
th,td{padding:6px 8px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
ul{padding-left:20px;margin:0}li{margin:0 0 10px}
fieldset{border:0;padding:0;margin:0 0 12px}
legend{font-weight:600;margin-bottom:8px}
label{display:block;margin:6px 0}
.choice{display:flex;gap:8px;align-items:center;padding:10px 12px;border:1px solid #cbd2d9;border-radius:6px;margin:0 0 8px}
textarea{width:100%;min-height:96px;padding:8px;border:1px solid #9aa5b1;border-radius:6px;font:inherit}
button{background:#1f5fbf;color:#fff;border:0;border-radius:6px;padding:12px 20px;font:inherit;font-weight:600;cursor:pointer}
button:focus,textarea:focus,input:focus{outline:3px solid #f7c948;outline-offset:2px}
.help{color:#52606d;font-size:14px;margin:2px 0 8px}
.error{color:#ab091e;font-weight:600;margin:4px 0}
.notice{border-left:4px solid #2f8132;background:#e3f9e5;padding:12px 16px;border-radius:6px;margin:0 0 16px}
.notice.warn{border-color:#cb6e17;background:#fffbea}
footer{color:#616e7c;font-size:13px;margin-top:24px}
@media (max-width:480px){body{font-size:15px}section{padding:16px}h1{font-size:20px}dl{grid-template-columns:1fr}dt{margin-top:6px}button{width:100%}}
`.trim();

// Outside the html tag so no formatter touches it: the CSP pins these exact bytes by their hash.
const STYLE = new SafeHtml(`<style>${PAGE_CSS}</style>`);

export interface PageLineView {
  id: string;
  sku: string;
  quantity: bigint | number;
  unitPrice: string;
  total: string;
}

export interface PageView {
  locale: Locale;
  action: string;
  caseNumber: string;
  invoiceNumber: string;
  contactName: string;
  currency: string;
  lines: readonly PageLineView[];
  findings: readonly string[];
  offer: { proposal: Proposal; respondBy: string } | null;
  form: 'answer' | 'note' | null;
  csrf: string;
  notice: { tone: 'ok' | 'warn'; text: string } | null;
  errors: { decision?: string; comment?: string; note?: string };
  values: { decision?: string; comment?: string; note?: string };
  answered: { accepted: boolean; at: Date } | null;
  notes: readonly { text: string; at: Date }[];
}

function shell(locale: Locale | 'en', title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        ${STYLE}
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.value;
}

/** The same page for a forged, altered, unknown, expired or closed link: it tells nothing. */
export function invalidPage(): string {
  const [en, fr] = [COPY.en, COPY.fr];
  return shell(
    'en',
    `${en.invalidTitle} · ${fr.invalidTitle}`,
    html`<header>Settle</header>
      <section>
        <h1>${en.invalidTitle}</h1>
        <p>${en.invalid}</p>
        <p>${en.invalidHelp}</p>
      </section>
      <section lang="fr">
        <h1>${fr.invalidTitle}</h1>
        <p>${fr.invalid}</p>
        <p>${fr.invalidHelp}</p>
      </section>`,
  );
}

/** A database or Temporal outage: both languages, as the page cannot know the customer's. */
export function unavailablePage(): string {
  const [en, fr] = [COPY.en, COPY.fr];
  return shell(
    'en',
    `${en.unavailableTitle} · ${fr.unavailableTitle}`,
    html`<header>Settle</header>
      <section>
        <h1>${en.unavailableTitle}</h1>
        <p>${en.unavailable}</p>
      </section>
      <section lang="fr">
        <h1>${fr.unavailableTitle}</h1>
        <p>${fr.unavailable}</p>
      </section>`,
  );
}

function lineTable(view: PageView, ctx: RenderContext): SafeHtml | null {
  if (view.lines.length === 0) return null;
  const t = ctx.pick(COPY).lines;
  return html`<section aria-labelledby="lines">
    <h2 id="lines">${t.heading}</h2>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.line}</th>
            <th scope="col">${t.sku}</th>
            <th scope="col" class="n">${t.quantity}</th>
            <th scope="col" class="n">${t.unitPrice}</th>
            <th scope="col" class="n">${t.total}</th>
          </tr>
        </thead>
        <tbody>
          ${view.lines.map(
            (line) =>
              html`<tr>
                <td>${line.id}</td>
                <td>${line.sku}</td>
                <td class="n">${ctx.value(String(line.quantity), 'quantity', view.currency)}</td>
                <td class="n">${ctx.money({ amount: line.unitPrice, currency: view.currency })}</td>
                <td class="n">${ctx.money({ amount: line.total, currency: view.currency })}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function offerSection(view: PageView, ctx: RenderContext): SafeHtml | null {
  if (!view.offer) return null;
  const t = ctx.pick(COPY);
  const { proposal, respondBy } = view.offer;
  const plan = proposal.remedy === 'payment_plan' ? proposal.installments : [];
  return html`<section aria-labelledby="offer">
    <h2 id="offer">${t.offer}</h2>
    <dl>
      <dt>${t.labels.proposal}</dt>
      <dd>${capitalize(remedyLabel(proposal.remedy, ctx))}</dd>
      <dt>${t.labels.amount}</dt>
      <dd>${ctx.money(proposal.amount)}</dd>
      <dt>${t.labels.respondBy}</dt>
      <dd>${ctx.dateTime(respondBy)}</dd>
    </dl>
    <p>${capitalize(proposalSummary(proposal, ctx))}.</p>
    ${
      plan.length > 0
        ? html`<h2>${t.installments.heading}</h2>
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="n">${t.installments.number}</th>
                    <th scope="col">${t.installments.due}</th>
                    <th scope="col" class="n">${t.installments.amount}</th>
                  </tr>
                </thead>
                <tbody>
                  ${plan.map(
                    (installment, i) =>
                      html`<tr>
                        <td class="n">${ctx.count(i + 1)}</td>
                        <td>${ctx.date(installment.dueOn)}</td>
                        <td class="n">${ctx.money(installment.amount)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : null
    }
  </section>`;
}

const error = (text: string | undefined): SafeHtml | null =>
  text ? html`<p class="error" role="alert">${text}</p>` : null;

function answerForm(view: PageView, ctx: RenderContext): SafeHtml {
  const t = ctx.pick(COPY);
  const checked = (value: string): SafeHtml | null =>
    view.values.decision === value ? html` checked` : null;
  return html`<section aria-labelledby="answer">
    <h2 id="answer">${t.answer.heading}</h2>
    <form method="post" action="${view.action}">
      <input type="hidden" name="csrf" value="${view.csrf}" />
      <fieldset>
        <legend>${t.answer.heading}</legend>
        ${error(view.errors.decision)}
        <label class="choice"
          ><input type="radio" name="decision" value="accept" required${checked('accept')} />
          ${t.answer.accept}</label
        >
        <label class="choice"
          ><input type="radio" name="decision" value="reject" ${checked('reject')} />
          ${t.answer.reject}</label
        >
      </fieldset>
      <label for="comment">${t.answer.comment}</label>
      <p class="help" id="comment-help">${t.answer.commentHelp}</p>
      ${error(view.errors.comment)}
      <textarea id="comment" name="comment" maxlength="2000" aria-describedby="comment-help">
${view.values.comment ?? ''}</textarea>
      <label for="note">${t.note.label}</label>
      <p class="help" id="note-help">${t.note.help}</p>
      ${error(view.errors.note)}
      <textarea id="note" name="note" maxlength="5000" aria-describedby="note-help">
${view.values.note ?? ''}</textarea>
      <p><button type="submit">${t.answer.submit}</button></p>
    </form>
  </section>`;
}

function noteForm(view: PageView, ctx: RenderContext): SafeHtml {
  const t = ctx.pick(COPY).note;
  return html`<section aria-labelledby="note-heading">
    <h2 id="note-heading">${t.heading}</h2>
    <form method="post" action="${view.action}">
      <input type="hidden" name="csrf" value="${view.csrf}" />
      <label for="note">${t.label}</label>
      <p class="help" id="note-help">${t.help}</p>
      ${error(view.errors.note)}
      <textarea id="note" name="note" maxlength="5000" required aria-describedby="note-help">
${view.values.note ?? ''}</textarea>
      <p><button type="submit">${t.submit}</button></p>
    </form>
  </section>`;
}

export function disputePage(view: PageView): string {
  const ctx = createContext(view.locale);
  const t = ctx.pick(COPY);
  const on = (at: Date): string => ctx.dateTime(at.toISOString());
  return shell(
    view.locale,
    t.title(view.caseNumber),
    html`<header>Settle</header>
      ${
        view.notice
          ? html`<p class="notice${view.notice.tone === 'warn' ? ' warn' : ''}" role="status">
              ${view.notice.text}
            </p>`
          : null
      }
      <section>
        <h1>${t.title(view.caseNumber)}</h1>
        <p>${t.hello(view.contactName)}</p>
        <p>${t.intro(view.invoiceNumber)}</p>
        <dl>
          <dt>${t.labels.caseNumber}</dt>
          <dd>${view.caseNumber}</dd>
          <dt>${t.labels.invoice}</dt>
          <dd>${view.invoiceNumber}</dd>
        </dl>
      </section>
      ${lineTable(view, ctx)}
      <section aria-labelledby="findings">
        <h2 id="findings">${t.findings}</h2>
        ${
          view.findings.length > 0
            ? html`<ul>
                ${view.findings.map((f) => html`<li>${multiline(f)}</li>`)}
              </ul>`
            : html`<p>${t.noFindings}</p>`
        }
      </section>
      ${offerSection(view, ctx)}
      ${
        view.answered
          ? html`<section>
              <p>${t.yourAnswer(view.answered.accepted, on(view.answered.at))}</p>
            </section>`
          : null
      }
      ${
        view.notes.length > 0
          ? html`<section>
              <h2>${t.yourNotes}</h2>
              <ul>
                ${view.notes.map((n) => html`<li>${on(n.at)}: ${multiline(n.text)}</li>`)}
              </ul>
            </section>`
          : null
      }
      ${view.form === 'answer' ? answerForm(view, ctx) : null}
      ${view.form === 'note' ? noteForm(view, ctx) : null}
      <footer>${t.footer(view.caseNumber)}</footer>`,
  );
}
