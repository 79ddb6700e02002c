// What an SMTP failure means for the outbox: retry later, or give the message up.

interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
}

/**
 * The server refused this message's envelope with a 5xx reply (unknown mailbox, bad address
 * syntax): the same message will be refused again. Connection errors, 4xx replies and 5xx
 * replies to the session (authentication, service unavailable) may pass, so they are retried.
 */
export function isPermanentRejection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, responseCode } = error as NodemailerError;
  return code === 'EENVELOPE' && typeof responseCode === 'number' && responseCode >= 500;
}

/** nodemailer puts its own error code and the SMTP reply code on the error; keep both. */
export function describeSmtpError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 1000);
  const { code, responseCode } = error as NodemailerError;
  const prefix = [code, responseCode]
    .filter((part) => part !== undefined && part !== '')
    .map(String)
    .join(' ');
  return (prefix ? `${prefix}: ${error.message}` : error.message).slice(0, 1000);
}
