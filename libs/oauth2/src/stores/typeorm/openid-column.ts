import type { ValueTransformer } from 'typeorm';
import type { OpenIdAuthentication } from '../models';

/**
 * The `openid` column of `oauth_authorization_codes` and `oauth_tokens`: the sign-in an OpenID Connect
 * grant describes (OpenID Connect Core §2), as one nullable JSON text. One column rather than four: the
 * facts are written once with the row, read together and never queried by. `authTime` is stored as epoch
 * milliseconds, as every other instant is (see `epochMillis`), so no database or time zone can shift it.
 */
interface StoredOpenIdAuthentication {
  authTime: number | null;
  nonce?: string;
  acr?: string;
  amr?: string[];
}

/** The column value for `openid`; absent and null both store SQL NULL. */
export function openIdToColumn(value: OpenIdAuthentication | null | undefined): string | null {
  if (value == null) return null;
  const stored: StoredOpenIdAuthentication = { authTime: value.authTime ? value.authTime.getTime() : null };
  if (value.nonce !== undefined) stored.nonce = value.nonce;
  if (value.acr !== undefined) stored.acr = value.acr;
  if (value.amr !== undefined) stored.amr = [...value.amr];
  return JSON.stringify(stored);
}

/** The `openid` of a column value; a value of another shape is a schema error, never a sign-in without facts. */
export function openIdFromColumn(value: string | null | undefined, column: string): OpenIdAuthentication | null {
  if (value == null) return null;
  let stored: Partial<StoredOpenIdAuthentication> | undefined;
  try {
    stored = JSON.parse(value) as Partial<StoredOpenIdAuthentication>;
  } catch {
    stored = undefined;
  }
  if (!isStored(stored)) throw new Error(`${column} does not hold the JSON of an OpenID Connect sign-in: run the pending migrations`);
  const openid: OpenIdAuthentication = { authTime: stored.authTime === null ? null : new Date(stored.authTime) };
  if (stored.nonce !== undefined) openid.nonce = stored.nonce;
  if (stored.acr !== undefined) openid.acr = stored.acr;
  if (stored.amr !== undefined) openid.amr = stored.amr;
  return openid;
}

function isStored(value: unknown): value is StoredOpenIdAuthentication {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { authTime, nonce, acr, amr } = value as Record<string, unknown>;
  return (
    (authTime === null || (typeof authTime === 'number' && Number.isFinite(authTime))) &&
    (nonce === undefined || typeof nonce === 'string') &&
    (acr === undefined || typeof acr === 'string') &&
    (amr === undefined || (Array.isArray(amr) && amr.every((item) => typeof item === 'string')))
  );
}

/** The entity transformer of an `openid` column; `column` names it in the error a malformed value raises. */
export function openIdColumn(column: string): ValueTransformer {
  return {
    to: (value: OpenIdAuthentication | null | undefined) => openIdToColumn(value),
    from: (value: string | null) => openIdFromColumn(value, column),
  };
}
