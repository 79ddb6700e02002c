// Opaque, unguessable ids of webhook rows: a prefix that names the kind, then 96 random bits.
import { randomBytes } from 'node:crypto';

export const WEBHOOK_ID = /^whk_[0-9a-f]{24}$/;
export const DELIVERY_ID = /^dlv_[0-9a-f]{24}$/;
export const EVENT_ID = /^evt_[0-9a-f]{24}$/;

export const newId = (prefix: 'whk' | 'dlv' | 'evt'): string =>
  `${prefix}_${randomBytes(12).toString('hex')}`;

/** A signing secret: shown once when the endpoint is registered, then only used to sign. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
