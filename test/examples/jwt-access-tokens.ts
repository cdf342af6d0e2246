// The "JWT access tokens" guide's snippets, compiled with the rest of the project (strict) and
// checked against the guide by test/docs-snippets.e2e-spec.ts.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Global, Injectable, Module } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import {
  KeySigner,
  OAuthModule,
  SigningKeys,
  type CreatedKey,
  type OAuthModuleOptions,
  type PublicJwk,
  type SigningAlgorithm,
  type SigningKey,
} from 'nest-oauth2-provider';

/** The options of the first snippet, for the KMS one. */
export const oauthOptions: OAuthModuleOptions = {
  issuer: 'https://shift.example',
  scopes: { 'files:read': 'Read your files' },
  resources: { 'https://files.shift.example/': { scopes: ['files:read'], accessTokenFormat: 'jwt' } },
  defaultResource: 'https://files.shift.example/',
};

// #region jwt-resource
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: { profile: 'Read your profile', 'files:read': 'Read your files' },
      resources: {
        'https://shift.example/v1/': { scopes: ['profile'] }, // opaque tokens, as before
        'https://files.shift.example/': { scopes: ['files:read'], accessTokenFormat: 'jwt' },
      },
      defaultResource: 'https://shift.example/v1/',
      jwt: {
        keyEncryptionKey: process.env.OAUTH_KEY_ENCRYPTION_KEY, // openssl rand -base64 32
        rotationInterval: 30 * 24 * 3600, // the default; 0 = only `nest-oauth2 keys rotate`
      },
    }),
  ],
})
export class ShiftModule {}
// #endregion jwt-resource

/** What a KMS client offers, reduced to the two calls a signer needs (a stand-in for your provider's SDK). */
export abstract class KmsClient {
  abstract createKey(spec: 'ECC_NIST_P256'): Promise<{ keyId: string; publicKeyPem: string }>;
  /** A raw ES256 signature, r||s (RFC 7518 §3.4), of the SHA-256 digest of `message`. */
  abstract sign(keyId: string, message: Buffer): Promise<Buffer>;
}

/** An in-process stand-in for a KMS, so the signer above runs in tests. */
export class InProcessKms extends KmsClient {
  private readonly keys = new Map<string, KeyObject>();

  async createKey(): Promise<{ keyId: string; publicKeyPem: string }> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyId = `kms-key-${this.keys.size + 1}`;
    this.keys.set(keyId, privateKey);
    return { keyId, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }

  async sign(keyId: string, message: Buffer): Promise<Buffer> {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`no KMS key ${keyId}`);
    return sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
  }
}

// #region kms-signer
@Injectable()
export class KmsKeySigner extends KeySigner {
  constructor(private readonly kms: KmsClient) {
    super();
  }

  async create(alg: SigningAlgorithm): Promise<CreatedKey> {
    if (alg !== 'ES256') throw new Error(`this KMS signer makes ES256 keys only (asked for ${alg})`);
    const { keyId, publicKeyPem } = await this.kms.createKey('ECC_NIST_P256');
    const jwk = await exportJWK(createPublicKey(publicKeyPem));
    const kid = await calculateJwkThumbprint(jwk);
    const publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg, use: 'sig' } as PublicJwk;
    // The store keeps this reference in place of a sealed key: the private half never leaves the KMS.
    return { kid, publicJwk, privateKey: keyId };
  }

  sign(key: SigningKey, input: Buffer): Promise<Buffer> {
    return this.kms.sign(key.privateKey, input);
  }
}

@Global()
@Module({ providers: [{ provide: KmsClient, useClass: InProcessKms }], exports: [KmsClient] })
export class KmsModule {} // the signer's dependencies come from a global module

@Module({ imports: [KmsModule, OAuthModule.forRoot({ ...oauthOptions, keySigner: KmsKeySigner })] })
export class KmsShiftModule {}
// #endregion kms-signer

// #region rotate-in-code
@Injectable()
export class KeyRotationJob {
  constructor(private readonly keys: SigningKeys) {}

  /** What `nest-oauth2 keys rotate` does, for a host whose keys the CLI cannot make (a KMS signer). */
  async rotate(): Promise<void> {
    for (const step of await this.keys.rotate()) {
      if (step.activated) console.log(`${step.alg}: ${step.activated} signs now; ${step.published} published to sign next`);
      else if (step.waitUntil) console.log(`${step.alg}: not yet; the next key can sign from ${step.waitUntil.toISOString()}`);
    }
  }
}
// #endregion rotate-in-code
