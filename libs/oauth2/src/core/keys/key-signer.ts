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
  /** The signature of `input` (the JWS signing input) under `key`; ES256 as r||s (RFC 7518 §3.4). */
  abstract sign(key: SigningKey, input: Buffer): Promise<Buffer> | Buffer;
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
      privateKey = openPrivateKey(key.privateKey, key.kid, this.keyEncryptionKey);
      this.opened.set(key.kid, privateKey);
    }
    return signBytes(key.alg, input, privateKey);
  }
}
