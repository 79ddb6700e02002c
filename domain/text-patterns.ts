// Character classes for the patterns the OpenAPI document states, written with \xNN and \uNNNN
// only: its readers include Python's `re` (schemathesis, hypothesis), which has no \p{…} and
// whose \s and `.` differ from JavaScript's.

/** C0 and C1 control characters. */
export const CONTROL = '\\x00-\\x1f\\x7f-\\x9f';
/** JavaScript's \s, which String.prototype.trim removes: WhiteSpace and LineTerminator. */
export const BLANK =
  '\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** JavaScript's LineTerminator: what `.` does not match. */
export const LINE_END = '\\n\\r\\u2028\\u2029';

/** One line, no control characters, and more than blanks. */
export const SINGLE_LINE_PATTERN = `^[^${CONTROL}]*[^${CONTROL}${BLANK}][^${CONTROL}]*$`;
/** Any text without NUL (PostgreSQL cannot store it), and more than blanks. */
export const TEXT_PATTERN = `^[^\\x00]*[^\\x00${BLANK}][^\\x00]*$`;

/**
 * An id of the billing system's records (and of Settle's): one line without control characters,
 * no blanks around it, not starting with a dot (so never a `.` or `..` path segment).
 */
export const ID_PATTERN = `^[^${CONTROL}${BLANK}.](?:[^${CONTROL}]*[^${CONTROL}${BLANK}])?$`;
export const ID_MAX_CHARACTERS = 64;

/** Characters as JSON Schema counts them (code points), not UTF-16 units as String.length does. */
export function characters(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}
