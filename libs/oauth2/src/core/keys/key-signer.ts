import type { KeyObject } from 'node:crypto';
import type { PublicJwk, SigningAlgorithm, SigningKey } from '../../stores/models';
import { signBytes } from '../jwt/jws';
import { openPrivateKey, sealPrivateKey } from './key-encryption';
import { generateKeyPair } from './key-material';

/** A new key as the signer made it: the public JWK (with its thumbprint `kid`) and what the store keeps as `privateKey`. */
export interface CreatedKey {
  kid: string;
  publicJwk: PublicJwk;
  privateKey: string;
}

/**
 * Holds the private halves of signing keys and signs with them. The default keeps them in the
 * `SigningKeyStore`, sealed under the key-encryption key; a host whose keys live in a KMS or HSM
 * provides its own (`{ provide: KeySigner, useClass: KmsKeySigner }`): `create` makes a key there and
 * returns its public JWK and a reference, `sign` signs the JWS input with the referenced key.
 * @publicApi
 */
export abstract class KeySigner {
  abstract create(alg: SigningAlgorithm): Promise<CreatedKey>;
  /**
   * The signature of `input` (the JWS signing input) under `key`; ES256 as r||s (RFC 7518 §3.4).
   * Throws `UnusableSigningKeyError` when this key can never sign here, so a fresh key replaces it.
   */
  abstract sign(key: SigningKey, input: Buffer): Promise<Buffer> | Buffer;
}

/**
 * Thrown by `KeySigner.sign` when a stored key cannot be used by this process at all (its private half
 * does not open under this process's key-encryption key, or a KMS no longer holds it), as opposed to
 * a passing failure. The key manager then stops signing with that key and activates a fresh one.
 * @publicApi
 */
export class UnusableSigningKeyError extends Error {
  constructor(
    readonly kid: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnusableSigningKeyError';
  }
}

/** The default signer: keys generated here, sealed with AES-256-GCM, opened once per process. @publicApi */
export class LocalKeySigner extends KeySigner {
  private readonly opened = new Map<string, KeyObject>();

  constructor(private readonly keyEncryptionKey: Buffer) {
    super();
  }

  async create(alg: SigningAlgorithm): Promise<CreatedKey> {
    const pair = await generateKeyPair(alg);
    this.opened.set(pair.kid, pair.privateKey);
    return { kid: pair.kid, publicJwk: pair.publicJwk, privateKey: sealPrivateKey(pair.privateKey, pair.kid, this.keyEncryptionKey) };
  }

  sign(key: SigningKey, input: Buffer): Buffer {
    let privateKey = this.opened.get(key.kid);
    if (!privateKey) {
      try {
        privateKey = openPrivateKey(key.privateKey, key.kid, this.keyEncryptionKey);
      } catch (error) {
        throw new UnusableSigningKeyError(key.kid, (error as Error).message, { cause: error });
      }
      this.opened.set(key.kid, privateKey);
    }
    return signBytes(key.alg, input, privateKey);
  }
}
