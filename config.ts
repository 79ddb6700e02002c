// The one place environment variables are read (API, worker and start script). Parsed once with zod.
import { scryptSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_POLICY, policySchema, type Policy } from './domain/policy';
import type { SigningKey } from './store/customer-links/token';
import { DEFAULT_DATABASE_URL, databaseKind } from './store/database-url';

export type { SigningKey };

export const ROLES = ['operations', 'agent', 'manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  role: Role;
  /**
   * Who the key is, recorded as the actor `role:name` wherever it acts (timelines, logs, emails,
   * the ledger's approvedBy). Given in SETTLE_API_KEYS, or derived from a slow hash of the secret
   * for a `role:secret` entry: never any of the secret's characters.
   */
  name: string;
  /** The name came from SETTLE_API_KEYS, not from the secret's hash. */
  named: boolean;
  secret: string;
}

/** What timelines, logs, emails and the ledger record for a key's actions. */
export const actorOf = (key: Pick<ApiKey, 'role' | 'name'>): string => `${key.role}:${key.name}`;

/** 1–32 letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit. */
export const KEY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9])?$/;
const MIN_SECRET_LENGTH = 8;

export const DEV_API_KEYS =
  'operations:dev-ops:ops-secret,agent:dev-agent:agent-secret,manager:dev-manager:mgr-secret,auditor:dev-auditor:aud-secret';

/**
 * `key-` and 4 hex digits of scrypt(secret): stable across restarts, and slow to compute, so the
 * name cannot serve as a quick filter for guessing a weak secret offline.
 */
export function derivedKeyName(secret: string): string {
  const tag = scryptSync(secret, 'settle:api-key-name', 2, { N: 1 << 14, r: 8, p: 1 });
  return `key-${tag.toString('hex')}`;
}

/** One SETTLE_API_KEYS entry; problems name the entry's position and never its secret. */
function parseKey(entry: string, position: number): ApiKey | string {
  const parts = entry.split(':');
  const role = parts[0] ?? '';
  const where = `entry ${position}`;
  if (parts.length < 2) return `${where} must be role:name:secret or role:secret`;
  if (!(ROLES as readonly string[]).includes(role)) {
    return `${where} has an unknown role; roles are ${ROLES.join(', ')}`;
  }
  const named = parts.length > 2;
  const secret = named ? parts.slice(2).join(':') : parts[1]!;
  if (secret.length < MIN_SECRET_LENGTH) {
    return `${where} (${role}) has a secret shorter than ${MIN_SECRET_LENGTH} characters`;
  }
  const name = named ? parts[1]! : derivedKeyName(secret);
  if (!KEY_NAME.test(name)) {
    // Not echoed: a mistyped entry may have a piece of its secret where the name goes.
    return `${where} (${role}) has an invalid name; a name is 1–32 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`;
  }
  return { role: role as Role, name, named, secret };
}

const apiKeys = z.string().transform((value, ctx): ApiKey[] => {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const key = parseKey(entry, index + 1);
    if (typeof key === 'string') problems.push(key);
    else keys.push(key);
  });
  const names = new Map<string, number>();
  const secrets = new Set<string>();
  keys.forEach((key, index) => {
    const folded = key.name.toLowerCase();
    const first = names.get(folded);
    if (first !== undefined) {
      problems.push(
        `keys ${first + 1} and ${index + 1} share the name "${key.name}"${key.named ? '' : ' (derived from the secret: name the keys as role:name:secret)'}`,
      );
    }
    names.set(folded, index);
    if (secrets.has(key.secret))
      problems.push(`key ${index + 1} repeats the secret of another key`);
    secrets.add(key.secret);
  });
  if (entries.length === 0) problems.push('no API keys given');
  for (const message of problems) ctx.addIssue({ code: 'custom', message });
  return problems.length ? z.NEVER : keys;
});

/** Where SETTLE_API_KEYS may be left out and the development keys apply: unset, development or test. */
export function developmentKeysAllowed(nodeEnv: string | undefined): boolean {
  return nodeEnv === undefined || nodeEnv === '' || nodeEnv === 'development' || nodeEnv === 'test';
}

/** An address or CIDR range, as Fastify's trustProxy (proxy-addr) takes it. */
const isAddressOrRange = (value: string): boolean => {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
  );
};

/**
 * Which proxies' X-Forwarded-For to believe for the client address: `false` (none: the address is
 * the connection's), `true` (any: only behind a proxy nobody can bypass), a hop count, or the
 * proxies' addresses and CIDR ranges.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): boolean | number | string[] => {
    const given = value.trim();
    if (given === 'false' || given === '') return false;
    if (given === 'true') return true;
    if (/^\d{1,2}$/.test(given)) return Number(given);
    const list = given
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((entry) => !isAddressOrRange(entry));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, true, a hop count or proxy addresses/CIDR ranges; not ${bad.join(', ').slice(0, 200)}`,
      });
      return z.NEVER;
    }
    return list;
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

/**
 * Workflows the worker keeps in memory between tasks (its sticky cache). 250 holds six times the
 * 40 tasks run at once, and the worker stays near 500 MB of RSS however many disputes wait
 * (bench monitoring-memory); one evicted replays its history when it next wakes. 0: no cache.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

const cachedWorkflows = z
  .string()
  .trim()
  .regex(/^\d{1,7}$/, { message: 'must be a whole number of workflows (0 turns the cache off)' })
  .transform(Number)
  .refine((n) => n !== 1, { message: 'must be 0 (no cache) or at least 2 (the SDK’s minimum)' })
  .default(DEFAULT_MAX_CACHED_WORKFLOWS);

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
  /** role:name:secret (or role:secret) entries; the development keys when left out in development. */
  SETTLE_API_KEYS: apiKeys.default(() => apiKeys.parse(DEV_API_KEYS)),
  NODE_ENV: z.string().optional(),
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
  /** Failed authentications per client address per minute (a bucket that size) before 429; 0 turns it off. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  TRUST_PROXY: trustProxy,
  /** The worker's sticky cache bound (DEFAULT_MAX_CACHED_WORKFLOWS says why this default). */
  WORKER_MAX_CACHED_WORKFLOWS: cachedWorkflows,
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

export type Config = z.infer<typeof schema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadConfig(given: NodeJS.ProcessEnv = process.env): Config {
  // A blank SETTLE_API_KEYS (`SETTLE_API_KEYS=`) is no keys given, not an empty list.
  const env = given.SETTLE_API_KEYS?.trim() ? given : { ...given, SETTLE_API_KEYS: undefined };
  const result = schema.safeParse(env);
  const lines = result.success
    ? []
    : result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (env.SETTLE_API_KEYS === undefined && !developmentKeysAllowed(env.NODE_ENV)) {
    lines.push(
      `  SETTLE_API_KEYS: required when NODE_ENV=${env.NODE_ENV}; the development keys serve only in development (set role:name:secret entries)`,
    );
  }
  // The development link key is in this file: links signed with it could be forged by anyone.
  if (!env.CUSTOMER_LINK_KEYS?.trim() && !developmentKeysAllowed(env.NODE_ENV)) {
    lines.push(
      `  CUSTOMER_LINK_KEYS: required when NODE_ENV=${env.NODE_ENV}; the development key serves only in development (set kid:secret entries)`,
    );
  }
  if (!result.success || lines.length) {
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** loadConfig for a process's entry point: a bad configuration prints why and exits with 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
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
