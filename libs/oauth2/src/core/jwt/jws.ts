/**
 * Compact JWS (RFC 7515 §7.1) signing and verification on `node:crypto` key objects, for the three
 * algorithms the server uses. The hot path never goes through WebCrypto: a synchronous
 * `crypto.sign`/`crypto.verify` on a cached `KeyObject` is the cheapest correct check.
 * Verification follows RFC 8725: the algorithm comes from an allow-list and must fit the key's type
 * (§3.1, no `none`, no HMAC with a public key), and the header is checked before any signature work.
 */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../stores/models';
import { keyFitsAlgorithm } from '../keys/key-material';

export interface JwsHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [name: string]: unknown;
}

/** The bytes to sign: `BASE64URL(header) "." BASE64URL(payload)`. */
export function signingInput(header: JwsHeader, payload: object): string {
  return `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
}

/** The signature over `input` with a private key (ES256 in the JOSE r||s form, RFC 7518 §3.4). */
export function signBytes(alg: SigningAlgorithm, input: Buffer, key: KeyObject): Buffer {
  if (alg === 'ES256') return cryptoSign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  if (alg === 'EdDSA') return cryptoSign(null, input, key);
  return cryptoSign('sha256', input, key);
}

export function verifyBytes(alg: SigningAlgorithm, input: Buffer, signature: Buffer, key: KeyObject): boolean {
  if (alg === 'ES256') return cryptoVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (alg === 'EdDSA') return cryptoVerify(null, input, key, signature);
  return cryptoVerify('sha256', input, key, signature);
}

/** A compact JWS, parsed but not yet verified. */
export interface ParsedJws {
  /** Frozen: one header object may serve every token with the same header segment. */
  header: Readonly<JwsHeader>;
  payload: Record<string, unknown>;
  input: Buffer;
  signature: Buffer;
}

/** Whether a bearer value has the shape of a compact JWS (three base64url parts), without parsing it. */
export function looksLikeJws(value: string): boolean {
  // Runs before the cache lookup on every bearer request: index scans, no split array.
  const first = value.indexOf('.');
  const second = first > 0 ? value.indexOf('.', first + 1) : -1;
  return second > first + 1 && value.indexOf('.', second + 1) === -1;
}

/** Three non-empty base64url parts: the compact serialization of a signed JWT (no JWE, no unsecured JWS). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Splits and decodes a compact JWS; undefined when it is not one (bad base64url or JSON, JWE, unsecured). */
export function parseJws(token: string): ParsedJws | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const header = decodeHeader(token.slice(0, first));
  const payload = decodeJson(token.slice(first + 1, second));
  if (!header || !payload) return undefined;
  return {
    header,
    payload,
    // The parts are base64url (checked above), so one byte per character: latin1 copies without UTF-8 encoding.
    input: Buffer.from(token.slice(0, second), 'latin1'),
    signature: Buffer.from(token.slice(second + 1), 'base64url'),
  };
}

/**
 * Every token one key signs has the same header segment, so its decoding is remembered. The memo
 * maps a segment to its deterministic parse and never grows past a few entries: made-up headers can
 * only empty it, which costs what decoding costs anyway.
 */
const HEADER_MEMO_SIZE = 16;
const headerMemo = new Map<string, JwsHeader | null>();

function decodeHeader(part: string): JwsHeader | undefined {
  let header = headerMemo.get(part);
  if (header === undefined) {
    const decoded = decodeJson(part);
    header = decoded && typeof decoded.alg === 'string' ? (Object.freeze(decoded) as JwsHeader) : null;
    if (headerMemo.size >= HEADER_MEMO_SIZE) headerMemo.clear();
    headerMemo.set(part, header);
  }
  return header ?? undefined;
}

/**
 * Whether `jws` is signed by `key` under an allowed algorithm that fits the key's type. `crit` is
 * refused since no extension is understood (RFC 7515 §4.1.11).
 */
export function verifyJws(jws: ParsedJws, key: KeyObject, allowed: readonly SigningAlgorithm[]): boolean {
  const alg = jws.header.alg;
  if (!allowed.includes(alg as SigningAlgorithm) || !keyFitsAlgorithm(key, alg)) return false;
  if (jws.header.crit !== undefined) return false;
  return verifyBytes(alg, jws.input, jws.signature, key);
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
