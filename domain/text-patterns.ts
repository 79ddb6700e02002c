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

/** An id of Settle's and of the billing system's records: letters, digits and . _ : - / only. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:\\-/]*$';
