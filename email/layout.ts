// The shared shell: greeting, body blocks, sign-off and footer, as plain text and as HTML.
import type { Block, Column, Draft } from './blocks';
import type { RenderContext } from './context';
import { html, multiline, safeUrl, type SafeHtml } from './html';
import type { Audience, Locale } from '../domain/notifications';

interface ShellCopy {
  hello(name: string): string;
  signOff: Record<Audience, readonly string[]>;
  footer: Record<Audience, (tag: string) => string>;
  /** French puts a no-break space before a colon. */
  colon: string;
}

const COPY: Record<Locale, ShellCopy> = {
  en: {
    hello: (name) => `Hello ${name},`,
    signOff: { customer: ['Kind regards,', 'Billing support'], staff: ['— Settle'] },
    footer: {
      customer: (tag) =>
        `Please keep ${tag} in the subject when you reply, so your message reaches this case.`,
      staff: (tag) => `Sent by Settle about ${tag}. Act on the case in the Settle console.`,
    },
    colon: ':',
  },
  fr: {
    hello: (name) => `Bonjour ${name},`,
    signOff: { customer: ['Cordialement,', 'Le service facturation'], staff: ['— Settle'] },
    footer: {
      customer: (tag) =>
        `Merci de conserver ${tag} dans l’objet de votre réponse pour qu’elle rejoigne ce dossier.`,
      staff: (tag) =>
        `Envoyé par Settle au sujet de ${tag}. Traitez le dossier dans la console Settle.`,
    },
    colon: '\u00a0:',
  },
};

/** One line, no control characters: values from customers must not break the Subject header. */
export function oneLine(text: string): string {
  // No-break spaces stay: French typography and Intl money formats rely on them.
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function padCell(text: string, width: number, align: Column['align']): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) =>
    Math.max(column.label.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => padCell(cells[i] ?? '', widths[i] ?? 0, column.align))
      .join('   ')
      .trimEnd();
  return [
    line(columns.map((column) => column.label)),
    widths.map((width) => '-'.repeat(width)).join('   '),
    ...rows.map(line),
  ].join('\n');
}

function textBlock(block: Block, colon: string): string {
  switch (block.type) {
    case 'paragraph':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'list':
      return block.items.map((item) => `- ${item.replace(/\n/g, '\n  ')}`).join('\n');
    case 'facts':
      return block.rows.map((row) => `${row.label}${colon} ${row.value}`).join('\n');
    case 'table':
      return textTable(block.columns, block.rows);
    case 'quote':
      return `${block.label}\n${block.text
        .split(/\r?\n/)
        .map((line) => `> ${line}`)
        .join('\n')}`;
    case 'action':
      return `${block.label}${colon} ${safeUrl(block.href)}`;
  }
}

const STYLE = {
  p: 'margin:0 0 16px;',
  h: 'margin:24px 0 8px;font-size:16px;line-height:1.4;color:#1f2933;',
  ul: 'margin:0 0 16px;padding-left:20px;',
  li: 'margin:0 0 8px;',
  facts: 'border-collapse:collapse;margin:0 0 16px;',
  factLabel: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:600;',
  factValue: 'vertical-align:top;padding:4px 0;',
  table: 'border-collapse:collapse;width:100%;margin:0 0 16px;',
  th: 'padding:6px 8px;border-bottom:2px solid #cbd2d9;font-weight:600;',
  td: 'padding:6px 8px;border-bottom:1px solid #e4e7eb;',
  quote: 'margin:0 0 16px;padding:8px 16px;border-left:3px solid #cbd2d9;color:#3e4c59;',
  button:
    'display:inline-block;padding:10px 18px;background:#1f5fbf;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:600;',
};

function htmlBlock(block: Block): SafeHtml {
  switch (block.type) {
    case 'paragraph':
      return html`<p style="${STYLE.p}">${multiline(block.text)}</p>`;
    case 'heading':
      return html`<h2 style="${STYLE.h}">${block.text}</h2>`;
    case 'list':
      return html`<ul style="${STYLE.ul}">
        ${block.items.map((item) => html`<li style="${STYLE.li}">${multiline(item)}</li>`)}
      </ul>`;
    case 'facts':
      return html`<table role="presentation" style="${STYLE.facts}">
        ${block.rows.map(
          (row) =>
            html`<tr>
              <th scope="row" style="${STYLE.factLabel}">${row.label}</th>
              <td style="${STYLE.factValue}">${row.value}</td>
            </tr>`,
        )}
      </table>`;
    case 'table':
      return html`<table style="${STYLE.table}">
        <thead>
          <tr>
            ${block.columns.map(
              (column) =>
                html`<th scope="col" style="${STYLE.th}text-align:${column.align};">
                  ${column.label}
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${block.rows.map(
            (row) =>
              html`<tr>
                ${block.columns.map(
                  (column, i) =>
                    html`<td style="${STYLE.td}text-align:${column.align};">${row[i] ?? ''}</td>`,
                )}
              </tr>`,
          )}
        </tbody>
      </table>`;
    case 'quote':
      return html`<p style="${STYLE.p}">${block.label}</p>
        <blockquote style="${STYLE.quote}">${multiline(block.text)}</blockquote>`;
    case 'action':
      return html`<p style="${STYLE.p}">
        <a href="${safeUrl(block.href)}" style="${STYLE.button}">${block.label}</a>
      </p>`;
  }
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface LayoutInput {
  draft: Draft;
  caseNumber: string;
  audience: Audience;
  ctx: RenderContext;
}

/** The case tag every subject starts with, e.g. "[Settle D-ABC123]". */
export function caseTag(caseNumber: string): string {
  return `[Settle ${oneLine(caseNumber)}]`;
}

export function layout({ draft, caseNumber, audience, ctx }: LayoutInput): RenderedEmail {
  const copy = ctx.pick(COPY);
  const tag = caseTag(caseNumber);
  const subject = oneLine(`${tag} ${draft.subject}`);
  const greeting = copy.hello(oneLine(draft.greet));
  const signOff = copy.signOff[audience];
  const footer = copy.footer[audience](tag);

  const text = [
    greeting,
    ...draft.blocks.map((block) => textBlock(block, copy.colon)),
    signOff.join('\n'),
    `-- \n${footer}`,
  ].join('\n\n');

  const firstParagraph = draft.blocks.find((block) => block.type === 'paragraph');
  const preheader = firstParagraph?.type === 'paragraph' ? oneLine(firstParagraph.text) : '';
  const body = html`<!doctype html>
    <html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${subject}</title>
      </head>
      <body style="margin:0;padding:0;background:#f4f5f7;">
        <div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style="background:#f4f5f7;"
        >
          <tr>
            <td align="center" style="padding:24px 12px;">
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                style="width:100%;max-width:600px;background:#ffffff;border-radius:6px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;"
              >
                <tr>
                  <td
                    style="padding:16px 24px;border-bottom:1px solid #e4e7eb;font-weight:600;color:#1f5fbf;"
                  >
                    ${tag}
                  </td>
                </tr>
                <tr>
                  <td style="padding:24px;">
                    <p style="${STYLE.p}">${greeting}</p>
                    ${draft.blocks.map(htmlBlock)}
                    <p style="margin:24px 0 0;">${multiline(signOff.join('\n'))}</p>
                  </td>
                </tr>
                <tr>
                  <td
                    style="padding:16px 24px;border-top:1px solid #e4e7eb;font-size:12px;color:#616e7c;"
                  >
                    ${footer}
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html> `;
  return { subject, text: `${text}\n`, html: body.value };
}
