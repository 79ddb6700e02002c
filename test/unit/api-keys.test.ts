// SETTLE_API_KEYS: keys have names, the actor is `role:name` and never any part of the secret, and
// outside development there are no default keys.
import { describe, expect, it } from 'vitest';
import { actorOf, derivedKeyName, DEV_API_KEYS, loadConfig, type ApiKey } from '../../config';

const keysOf = (value: string, env: NodeJS.ProcessEnv = {}): ApiKey[] =>
  loadConfig({ ...env, SETTLE_API_KEYS: value }).SETTLE_API_KEYS;

const problemOf = (value: string): string => {
  try {
    keysOf(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`SETTLE_API_KEYS=${value} was accepted`);
};

/** Every substring of `text` of `length` characters. */
const pieces = (text: string, length = 3): string[] =>
  Array.from({ length: Math.max(text.length - length + 1, 0) }, (_, i) =>
    text.slice(i, i + length),
  );

describe('SETTLE_API_KEYS', () => {
  it('reads role:name:secret, and the actor is role:name', () => {
    const [dana, lee] = keysOf('agent:dana:Zq8xW2vB7nM4, manager:lee.park:Kp3L:m9Qr:5Tt1');
    expect(dana).toEqual({ role: 'agent', name: 'dana', named: true, secret: 'Zq8xW2vB7nM4' });
    expect(actorOf(dana!)).toBe('agent:dana');
    // Everything after the name is the secret, colons included.
    expect(lee).toMatchObject({ role: 'manager', name: 'lee.park', secret: 'Kp3L:m9Qr:5Tt1' });
    expect(actorOf(lee!)).toBe('manager:lee.park');
  });

  it('keeps role:secret working under a stable name derived from the secret, sharing none of its characters in a row', () => {
    const secret = 'Vw7Jh2Rc9Xs4';
    const [key] = keysOf(`auditor:${secret}`);
    expect(key).toMatchObject({ role: 'auditor', named: false, secret });
    expect(key!.name).toMatch(/^key-[0-9a-f]{4}$/);
    expect(key!.name).toBe(derivedKeyName(secret));
    expect(keysOf(`auditor:${secret}`)[0]!.name).toBe(key!.name);
    expect(derivedKeyName('Vw7Jh2Rc9Xs5')).not.toBe(key!.name);
    const actor = actorOf(key!);
    expect(actor).toBe(`auditor:${key!.name}`);
    for (const piece of pieces(secret, 2)) expect(actor).not.toContain(piece);
  });

  it('names every development key', () => {
    const keys = keysOf(DEV_API_KEYS);
    expect(keys.map((k) => [k.role, k.named])).toEqual([
      ['operations', true],
      ['agent', true],
      ['manager', true],
      ['auditor', true],
    ]);
    expect(keys.map(actorOf)).toEqual([
      'operations:dev-ops',
      'agent:dev-agent',
      'manager:dev-manager',
      'auditor:dev-auditor',
    ]);
  });

  it.each([
    ['a space', 'agent:dana lee:Zq8xW2vB7nM4'],
    ['an empty name', 'agent::Zq8xW2vB7nM4'],
    ['33 characters', `agent:${'d'.repeat(33)}:Zq8xW2vB7nM4`],
    ['a leading dash', 'agent:-dana:Zq8xW2vB7nM4'],
    ['a trailing dot', 'agent:dana.:Zq8xW2vB7nM4'],
    ['a non-ASCII letter', 'agent:zoë:Zq8xW2vB7nM4'],
    ['a slash', 'agent:ops/dana:Zq8xW2vB7nM4'],
  ])('refuses a name with %s', (_what, value) => {
    expect(problemOf(value)).toMatch(/SETTLE_API_KEYS: entry 1 \(agent\) has an invalid name/);
  });

  it('accepts names of 1 and 32 characters', () => {
    expect(keysOf(`agent:d:Zq8xW2vB7nM4,agent:${'d'.repeat(32)}:Zq8xW2vB7nM5`)).toHaveLength(2);
  });

  it('refuses two keys of one name (in any case), and two keys of one secret', () => {
    expect(problemOf('agent:dana:Zq8xW2vB7nM4,manager:Dana:Kp3Lm9Qr5Tt1')).toMatch(
      /keys 1 and 2 share the name "Dana"/,
    );
    expect(problemOf('agent:dana:Zq8xW2vB7nM4,manager:lee:Zq8xW2vB7nM4')).toMatch(
      /key 2 repeats the secret of another key/,
    );
    const derived = derivedKeyName('Kp3Lm9Qr5Tt1');
    expect(problemOf(`agent:${derived}:Zq8xW2vB7nM4,manager:Kp3Lm9Qr5Tt1`)).toMatch(
      /name the keys as role:name:secret/,
    );
  });

  it('refuses unknown roles, short secrets and empty lists without echoing what was given', () => {
    for (const [value, expected] of [
      ['s3cr3t-typed-first:agent', /entry 1 has an unknown role/],
      ['agent:dana:q7Zx', /entry 1 \(agent\) has a secret shorter than 8/],
      ['agent-only', /entry 1 must be role:name:secret or role:secret/],
      [' , ', /no API keys given/],
    ] as const) {
      const problem = problemOf(value);
      expect(problem).toMatch(expected);
      for (const piece of ['s3cr3t', 'q7Zx', 'agent-only']) expect(problem).not.toContain(piece);
    }
  });
});

describe('keys outside development', () => {
  it('uses the development keys when none are given in development and tests', () => {
    for (const NODE_ENV of [undefined, '', 'development', 'test']) {
      for (const SETTLE_API_KEYS of [undefined, '']) {
        expect(loadConfig({ NODE_ENV, SETTLE_API_KEYS }).SETTLE_API_KEYS.map(actorOf)).toContain(
          'agent:dev-agent',
        );
      }
    }
  });

  it.each(['production', 'staging'])(
    'refuses to start without SETTLE_API_KEYS when NODE_ENV=%s',
    (NODE_ENV) => {
      for (const SETTLE_API_KEYS of [undefined, '', ' ']) {
        expect(() => loadConfig({ NODE_ENV, SETTLE_API_KEYS })).toThrow(
          new RegExp(`SETTLE_API_KEYS: required when NODE_ENV=${NODE_ENV}`),
        );
      }
      // Listed with the other bad variables, in one message.
      expect(() => loadConfig({ NODE_ENV, PORT: 'x' })).toThrow(/PORT[\s\S]*SETTLE_API_KEYS/);
      // Production also needs its own customer-link key (issue 15).
      const CUSTOMER_LINK_KEYS = 'k1:a-production-customer-link-secret-0001';
      expect(
        keysOf('agent:dana:Zq8xW2vB7nM4', { NODE_ENV, CUSTOMER_LINK_KEYS }).map(actorOf),
      ).toEqual(['agent:dana']);
    },
  );
});
