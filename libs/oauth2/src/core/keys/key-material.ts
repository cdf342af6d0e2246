/**
 * Signing key pairs for JWT access tokens: generation, the public JWK (RFC 7517) and its thumbprint
 * (RFC 7638), which is the `kid`. ES256 is P-256 (RFC 7518 §3.4), EdDSA is Ed25519 (RFC 8037), RS256
 * is RSA PKCS#1 v1.5 with SHA-256 and a 2048-bit modulus (RFC 7518 §3.3, the floor it sets).
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { PublicJwk, SigningAlgorithm } from '../../stores/models';

export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

/** A fresh key pair: the private key as PKCS#8 DER (to seal) and the public half as a JWK with its kid. */
export interface GeneratedKeyPair {
  kid: string;
  publicJwk: PublicJwk;
  privateKey: KeyObject;
}

export async function generateKeyPair(alg: SigningAlgorithm): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const members = pickPublicMembers(jwk);
  const kid = await calculateJwkThumbprint(members as never, 'sha256');
  return { kid, publicJwk: { ...members, kid, alg, use: 'sig' } as PublicJwk, privateKey };
}

/** A verification key from a JWK, or undefined when the JWK is not a public key this server uses. */
export function publicKeyFromJwk(jwk: Partial<PublicJwk>): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: pickPublicMembers(jwk as Record<string, string>) as never, format: 'jwk' });
    return key.type === 'public' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a key object suits an algorithm, so a JWK of one type can never verify under another `alg` (RFC 8725 §3.1). */
export function keyFitsAlgorithm(key: KeyObject, alg: string): alg is SigningAlgorithm {
  if (alg === 'ES256') return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519';
  if (alg === 'RS256') return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  return false;
}

/** Only the members that define the public key (RFC 7638 §3.2), so nothing private is ever published. */
function pickPublicMembers(jwk: Record<string, string | undefined>): Record<string, string> {
  const names = jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'OKP' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'];
  const out: Record<string, string> = {};
  for (const name of names) if (typeof jwk[name] === 'string') out[name] = jwk[name] as string;
  return out;
}
