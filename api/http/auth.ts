// Bearer-key authentication against SETTLE_API_KEYS, with secrets compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { actorOf, type ApiKey, type Role } from '../../config';
import { ApiError } from './errors';

export interface Caller {
  role: Role;
  /** Recorded as the actor wherever the key acts: `role:name`, never any part of the secret. */
  actor: string;
}

export interface AuthenticatedCaller extends Caller {
  /** Identifies the key itself (its unique name), e.g. for its rate limit. */
  keyId: string;
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="settle"' };

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export function createAuthenticator(
  keys: readonly ApiKey[],
): (header: string | undefined) => AuthenticatedCaller {
  const known = keys.map((key) => ({ key, actor: actorOf(key), hash: digest(key.secret) }));
  return (header) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send an API key as "Authorization: Bearer <secret>"',
        undefined,
        CHALLENGE,
      );
    }
    // Hashing first gives equal-length buffers, so timingSafeEqual never short-circuits on length.
    const presented = digest(match[1]);
    let found: (typeof known)[number] | undefined;
    for (const entry of known) {
      if (timingSafeEqual(entry.hash, presented)) found = entry;
    }
    if (!found) throw new ApiError(401, 'unauthorized', 'Unknown API key', undefined, CHALLENGE);
    return { role: found.key.role, actor: found.actor, keyId: found.key.name };
  };
}

export function requireRole(caller: Caller, allowed: readonly Role[]): void {
  if (!allowed.includes(caller.role)) {
    throw new ApiError(403, 'forbidden', `Role "${caller.role}" may not do this`, {
      allowedRoles: allowed,
    });
  }
}
