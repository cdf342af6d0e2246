/**
 * `id_token_hint` (OpenID Connect Core §3.1.2.1, RP-Initiated Logout 1.0 §2): an ID token this server
 * issued earlier, which a client sends back to say which user it expects. Read by the authorization
 * endpoint (with `prompt=none`, §3.1.2.2) and by the end-session endpoint. Rules:
 * - it must be a compact JWS signed by one of this server's keys under an algorithm the server signs
 *   ID tokens with (RFC 8725 §3.1); a tampered, forged or foreign token is refused;
 * - it must be an ID token, not one of the server's JWT access tokens (`typ` `at+jwt`, RFC 9068 §2.1);
 * - `iss` must be this server and `sub` present; `aud` must name the expected client when one is known;
 * - its expiry is NOT checked: §3.1.2.1 and RP-Initiated Logout §2 let an expired ID token serve as a
 *   hint. It can be verified only while its key is still published, though (a retired key is held for
 *   the longest token lifetime after it stops signing): an older hint is refused like a forged one.
 */
import type { SigningAlgorithm } from '../../stores/models';
import { parseJws, verifyJws } from '../jwt/jws';
import type { SigningKeys } from '../keys/signing-keys';
import { InvalidRequestError } from '../oauth.errors';

/** What verifying a hint needs: this server's issuer, its keys, and the ID-token algorithms. */
export interface IdTokenHintSettings {
  issuer: string;
  keys: Pick<SigningKeys, 'verificationKey'>;
  /** `openid.idTokenSigningAlgorithms`: a hint signed under any other algorithm is refused. */
  algorithms: readonly SigningAlgorithm[];
}

/** The claims of a verified hint that the endpoints act on. */
export interface IdTokenHint {
  /** The subject as the client saw it (pairwise for a pairwise client, OpenID Connect Core §8). */
  sub: string;
  /** The audience: the client ids the token was issued to. */
  aud: string[];
  /** `azp`, when the token named an authorized party (OpenID Connect Core §2). */
  azp?: string;
}

/** The media types an ID token's `typ` may carry; absent is allowed too (RFC 7519 §5.1 makes it optional). */
const ID_TOKEN_TYPES = new Set(['jwt', 'application/jwt']);

/**
 * Verifies `token` as an ID token of this server, expired or not; with `clientId`, its `aud` must
 * contain that client. Throws `InvalidRequestError` saying what is wrong, never more.
 */
export async function verifyIdTokenHint(token: string, settings: IdTokenHintSettings, clientId?: string): Promise<IdTokenHint> {
  const jws = parseJws(token);
  if (!jws || typeof jws.header.kid !== 'string') throw invalid('is not a signed JWT of this server');
  const typ = jws.header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !ID_TOKEN_TYPES.has(typ.toLowerCase()))) {
    throw invalid('is not an ID token');
  }
  const key = await settings.keys.verificationKey(jws.header.kid);
  if (!key || !verifyJws(jws, key, settings.algorithms)) throw invalid('is not signed by this server');
  const { iss, sub, aud, azp } = jws.payload;
  if (iss !== settings.issuer) throw invalid('was issued by another server');
  if (typeof sub !== 'string' || sub === '') throw invalid('has no subject');
  const audience = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : [];
  if (!audience.length) throw invalid('has no audience');
  if (clientId !== undefined && !audience.includes(clientId)) throw invalid('was not issued to this client');
  return { sub, aud: audience, ...(typeof azp === 'string' ? { azp } : {}) };
}

/** The client a hint was issued to: its `azp`, else its only audience (OpenID Connect Core §2). */
export function hintClientId(hint: IdTokenHint): string | undefined {
  if (hint.azp !== undefined && hint.aud.includes(hint.azp)) return hint.azp;
  return hint.aud.length === 1 ? hint.aud[0] : undefined;
}

function invalid(problem: string): InvalidRequestError {
  return new InvalidRequestError(`The id_token_hint ${problem}`);
}
