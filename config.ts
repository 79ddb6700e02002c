// The one place environment variables are read (API, worker and start script). Parsed once with zod.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_POLICY, policySchema, type Policy } from './domain/policy';
import type { SigningKey } from './store/customer-links/token';
import { DEFAULT_DATABASE_URL, databaseKind } from './store/database-url';

export type { SigningKey };

export const ROLES = ['operations', 'agent', 'manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  role: Role;
  secret: string;
  /** A short, non-secret label for logs and timeline actors. */
  name: string;
}

export const DEV_API_KEYS =
  'operations:ops-secret,agent:agent-secret,manager:mgr-secret,auditor:aud-secret';

const apiKeys = z.string().transform((value, ctx): ApiKey[] => {
  const keys: ApiKey[] = [];
  for (const pair of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    const role = pair.slice(0, colon);
    const secret = pair.slice(colon + 1);
    if (colon < 1 || !(ROLES as readonly string[]).includes(role) || secret.length < 8) {
      ctx.addIssue({
        code: 'custom',
        message: `each entry must be role:secret with role in ${ROLES.join('|')} and a secret of 8+ characters`,
      });
      return z.NEVER;
    }
    keys.push({ role: role as Role, secret, name: `${role}:${secret.slice(0, 3)}…` });
  }
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'no API keys given' });
  return keys;
});

/** Development only: `npm start` and the tests; docker-compose.yml requires a real one. */
export const DEV_CUSTOMER_LINK_KEYS = 'dev:development-only-customer-link-secret-0001';

const signingKeys = z.string().transform((value, ctx): SigningKey[] => {
  const keys: SigningKey[] = [];
  for (const pair of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    const kid = pair.slice(0, colon);
    const secret = pair.slice(colon + 1);
    if (colon < 1 || !/^[A-Za-z0-9_-]{1,16}$/.test(kid) || secret.length < 32) {
      ctx.addIssue({
        code: 'custom',
        message:
          'each entry must be kid:secret with a kid of 1–16 letters, digits, _ or - and a secret of 32+ characters',
      });
      return z.NEVER;
    }
    if (keys.some((k) => k.kid === kid)) {
      ctx.addIssue({ code: 'custom', message: `key id ${kid} appears twice` });
      return z.NEVER;
    }
    keys.push({ kid, secret });
  }
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'no signing key given' });
  return keys;
});

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine(
      (url) => {
        try {
          databaseKind(url);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be file:… (SQLite) or postgresql://…' },
    ),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('disputes'),
  /** The Temporal web UI, for links from the console to a dispute's workflow; none when unset. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('Settle <disputes@settle.local>'),
  MAIL_DOMAIN: z.string().default('settle.local'),
  SETTLE_API_KEYS: apiKeys.default(parseDefaultKeys()),
  /**
   * Keys that sign the links in customer emails, `kid:secret` pairs: the first signs, every one
   * verifies, so a new key goes first and the old one stays until its links have expired.
   */
  CUSTOMER_LINK_KEYS: signingKeys.default(signingKeys.parse(DEV_CUSTOMER_LINK_KEYS)),
  /** Where customers reach the API (links in emails), e.g. https://disputes.example.com */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Inbound SMTP for customers' replies (the mail relay forwards to it); unset: not received. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default('127.0.0.1'),
  /** JSON file whose fields override the default dispute policy (limits, deadlines, contacts). */
  SETTLE_POLICY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests per minute per API key (a token bucket of that size); 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Largest request body in bytes; larger ones are answered with 413. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Largest body of POST /v1/import, which carries whole bundles. */
  IMPORT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
});

function parseDefaultKeys(): ApiKey[] {
  return apiKeys.parse(DEV_API_KEYS);
}

export type Config = z.infer<typeof schema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The dispute policy: defaults, overridden field by field from SETTLE_POLICY_FILE when set. */
export async function loadPolicy(file: string | undefined): Promise<Policy> {
  if (!file) return DEFAULT_POLICY;
  const overrides = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const result = policySchema.safeParse({ ...DEFAULT_POLICY, ...overrides });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid policy in ${file}:\n${lines.join('\n')}`);
  }
  return result.data;
}
