import type { Transporter } from 'nodemailer';
import type { SigningKey } from '../store/customer-links/token';
import type { Db } from '../store/db';

/** What activities need from the outside world, injected by the worker (and by tests). */
export interface ActivityDeps {
  db: Db;
  mailer: Transporter;
  clock: () => Date;
  mail: { from: string; domain: string };
  /** Signs the response-page links in customer emails; without it emails carry no link. */
  links?: { keys: readonly SigningKey[]; publicUrl: string };
  /** Test seams; never set in production. */
  hooks?: {
    /** Runs after a ledger posting's transaction committed, before the activity returns. */
    afterPostingCommitted?: () => void;
  };
}
