// What the API's routes are built from: configuration, the database, Temporal and the policy.
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Policy } from '../../domain/policy';
import type { Db } from '../../store/db';

export interface AppDeps {
  config: Pick<
    Config,
    | 'SETTLE_API_KEYS'
    | 'TEMPORAL_TASK_QUEUE'
    | 'LOG_LEVEL'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'AUTH_FAILURES_PER_MINUTE'
    | 'TRUST_PROXY'
    | 'BODY_LIMIT_BYTES'
    | 'IMPORT_BODY_LIMIT_BYTES'
    | 'CUSTOMER_LINK_KEYS'
    | 'PUBLIC_URL'
    | 'MAIL_DOMAIN'
    | 'TEMPORAL_NAMESPACE'
    | 'TEMPORAL_UI_URL'
  >;
  db: Db;
  temporal: Client;
  policy: Policy;
  /** Overrides the clock for tests of time-dependent answers. */
  now?: () => Date;
  /** Overrides how long a request waits on Temporal before answering 503 (tests of an outage). */
  temporalTimeoutMs?: number;
  /** The built console's folder instead of console/dist (tests of a console not built). */
  consoleDist?: string;
  /** Where the JSON log lines go instead of stdout. */
  logStream?: { write(line: string): void };
}
