// The content model templates produce; layout.ts turns it into both the text and the HTML body.

export interface Fact {
  label: string;
  value: string;
}

export interface Column {
  label: string;
  align: 'left' | 'right';
}

export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'list'; items: readonly string[] }
  | { type: 'facts'; rows: readonly Fact[] }
  | { type: 'table'; columns: readonly Column[]; rows: readonly (readonly string[])[] }
  | { type: 'quote'; label: string; text: string }
  | { type: 'action'; label: string; href: string };

/** What a template returns: the subject without its case prefix, whom to greet, and the body. */
export interface Draft {
  subject: string;
  greet: string;
  blocks: readonly Block[];
}

// '' covers optional strings used as conditions: `data.comment && quote(...)`.
type Maybe<T> = T | null | undefined | false | '';

export function paragraph(text: string): Block {
  return { type: 'paragraph', text };
}

export function heading(text: string): Block {
  return { type: 'heading', text };
}

export function list(items: readonly string[]): Block {
  return { type: 'list', items };
}

/** Facts whose value is missing are left out, so optional data needs no branching in templates. */
export function facts(rows: readonly (readonly [label: string, value: Maybe<string>])[]): Block {
  return {
    type: 'facts',
    rows: rows.flatMap(([label, value]) => (value ? [{ label, value }] : [])),
  };
}

export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): Block {
  return { type: 'table', columns, rows };
}

export function quote(label: string, text: string): Block {
  return { type: 'quote', label, text };
}

export function action(label: string, href: string): Block {
  return { type: 'action', label, href };
}

/** Drops the blocks a template left out with `condition && block`. */
export function compact(blocks: readonly Maybe<Block>[]): Block[] {
  return blocks.filter((block): block is Block => Boolean(block));
}
