// The last line of defence against header injection, whoever built the contact (intake, import,
// the policy file): the outbox refuses a recipient that could break out of the To header.
import type { Contact } from '../domain/dispute';

export const MAX_NAME_LENGTH = 200;
export const MAX_ADDRESS_LENGTH = 254;

// Control characters, as intake refuses them; other non-ASCII goes out MIME-encoded, harmless.
const CONTROL = /\p{Cc}/u;
// Structure only (the API and import validate the syntax): one @, nothing that delimits a header.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

/** Why the contact cannot be a recipient, or null when it can. */
export function recipientProblem(to: Contact): string | null {
  if (typeof to?.name !== 'string' || typeof to.email !== 'string') {
    return 'name and email must be strings';
  }
  if (to.name.length > MAX_NAME_LENGTH) return `name longer than ${MAX_NAME_LENGTH} characters`;
  if (CONTROL.test(to.name)) return 'name contains a control character';
  if (to.email.length > MAX_ADDRESS_LENGTH) {
    return `address longer than ${MAX_ADDRESS_LENGTH} characters`;
  }
  if (CONTROL.test(to.email) || !ADDRESS.test(to.email)) return 'not a single plain address';
  return null;
}
