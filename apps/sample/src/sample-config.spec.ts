import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { ConfigService } from '@nestjs/config';
import { sampleConfigModule, validateSampleEnv, type SampleConfig, type SampleSettings } from './sample-config';
import { shiftOAuthOptions, shiftResources } from './shift/shift-oauth.options';

const settingsFrom = (env: Record<string, string>): SampleConfig => validateSampleEnv(env).sample;

describe('validateSampleEnv (the settings every SHIFT instance reads)', () => {
  it('leaves the server secret and the refresh grace period to the library when unset', () => {
    const config = settingsFrom({});
    assert.equal(config.secret, undefined);
    assert.equal(config.refreshTokenGracePeriod, undefined);
  });

  it('reads OAUTH_SECRET and REFRESH_TOKEN_GRACE_PERIOD, 0 included', () => {
    const secret = 'k'.repeat(32);
    const config = settingsFrom({ OAUTH_SECRET: secret, OAUTH_CSRF_SECRET: 'c'.repeat(32), REFRESH_TOKEN_GRACE_PERIOD: '0' });
    assert.equal(config.secret, secret, 'OAUTH_SECRET wins over its older name');
    assert.equal(config.refreshTokenGracePeriod, 0);
  });

  it('still reads the older OAUTH_CSRF_SECRET as the server secret when OAUTH_SECRET is unset', () => {
    const secret = 'c'.repeat(32);
    assert.equal(settingsFrom({ OAUTH_CSRF_SECRET: secret }).secret, secret);
    assert.throws(() => settingsFrom({ OAUTH_SECRET: 'short' }), /OAUTH_SECRET must be at least 32 characters/);
  });

  it('reads the key-encryption key of SHIFT’s signing keys from OAUTH_KEY_ENCRYPTION_KEY, and leaves it to the library when unset', () => {
    assert.equal(settingsFrom({}).keyEncryptionKey, undefined);
    assert.equal(settingsFrom({ OAUTH_KEY_ENCRYPTION_KEY: 'a'.repeat(64) }).keyEncryptionKey, 'a'.repeat(64));
  });

  it('names every bad value in one error', () => {
    assert.throws(
      () => settingsFrom({ OAUTH_CSRF_SECRET: 'short', REFRESH_TOKEN_GRACE_PERIOD: '-1' }),
      (error: Error) =>
        /REFRESH_TOKEN_GRACE_PERIOD must be an integer from 0 to 3600 \(got "-1"\)/.test(error.message) &&
        /OAUTH_CSRF_SECRET must be at least 32 characters/.test(error.message),
    );
  });

  it('trusts no proxy unless TRUST_PROXY names one: a hop count or addresses, subnets and named ranges', () => {
    assert.equal(settingsFrom({}).trustProxy, false);
    assert.equal(settingsFrom({ TRUST_PROXY: 'off' }).trustProxy, false);
    assert.equal(settingsFrom({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(settingsFrom({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy, [
      'loopback',
      '10.0.0.0/8',
      '2001:db8::1',
    ]);
  });

  it('refuses a TRUST_PROXY that would trust every peer or names no address', () => {
    for (const bad of ['true', 'everyone', '10.0.0.0/33', '::1/129', '10.0.0.1,', '101']) {
      assert.throws(() => settingsFrom({ TRUST_PROXY: bad }), /TRUST_PROXY must be/, bad);
    }
  });

  it('limits developer-portal registrations to 10 an hour unless APP_REGISTRATION_RATE_LIMIT says otherwise or "off"', () => {
    assert.equal(settingsFrom({}).appRegistrationRateLimit, 10);
    assert.equal(settingsFrom({ APP_REGISTRATION_RATE_LIMIT: '3' }).appRegistrationRateLimit, 3);
    assert.equal(settingsFrom({ APP_REGISTRATION_RATE_LIMIT: 'off' }).appRegistrationRateLimit, false);
    for (const bad of ['0', '-1', 'ten', '1.5']) {
      assert.throws(
        () => settingsFrom({ APP_REGISTRATION_RATE_LIMIT: bad }),
        new RegExp(`APP_REGISTRATION_RATE_LIMIT must be an integer from 1 to 10000 \\(got "${bad}"\\)`),
        bad,
      );
    }
  });

  it('runs on Express unless HTTP_ADAPTER says fastify, and names any other platform as a bad value', () => {
    assert.equal(settingsFrom({}).httpAdapter, 'express');
    assert.equal(settingsFrom({ HTTP_ADAPTER: 'express' }).httpAdapter, 'express');
    assert.equal(settingsFrom({ HTTP_ADAPTER: 'fastify' }).httpAdapter, 'fastify');
    for (const bad of ['koa', 'Fastify', 'express,fastify']) {
      assert.throws(
        () => settingsFrom({ HTTP_ADAPTER: bad }),
        new RegExp(`HTTP_ADAPTER must be "express" or "fastify" \\(got "${bad}"\\)`),
        bad,
      );
    }
  });

  it('reads the session secret and CustomApp’s credentials only as a complete pair', () => {
    const config = settingsFrom({ SESSION_SECRET: 's', CUSTOMAPP_CLIENT_ID: 'id', CUSTOMAPP_ENCRYPTION_KEY: 'k' });
    assert.equal(config.sessionSecret, 's');
    assert.equal(config.customAppCredentials, undefined);
    assert.equal(config.customAppEncryptionKey, 'k');
    assert.deepEqual(settingsFrom({ CUSTOMAPP_CLIENT_ID: 'id', CUSTOMAPP_CLIENT_SECRET: 'x' }).customAppCredentials, {
      clientId: 'id',
      clientSecret: 'x',
    });
  });
});

describe('the Client ID Metadata Document settings (intranet agents; draft-ietf-oauth-client-id-metadata-document §6)', () => {
  const documents = (env: Record<string, string>) => shiftOAuthOptions(settingsFrom(env)).clientIdMetadataDocuments!;

  it('fetches from public hosts only, with the system CAs, when unset', () => {
    const options = documents({});
    assert.equal(options.enabled, true);
    assert.equal(options.allowedAddresses, undefined);
    assert.equal(options.ca, undefined);
  });

  it('reads CLIENT_ID_METADATA_ALLOWED_ADDRESSES as CIDRs and CLIENT_ID_METADATA_CA_FILE as the PEM it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-ca-'));
    try {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      writeFileSync(join(dir, 'ca.pem'), pem);
      writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\n');
      const options = documents({
        CLIENT_ID_METADATA_ALLOWED_ADDRESSES: ' 10.20.0.0/16, 127.0.0.1/32 ,',
        CLIENT_ID_METADATA_CA_FILE: join(dir, 'ca.pem'),
      });
      assert.deepEqual(options.allowedAddresses, ['10.20.0.0/16', '127.0.0.1/32']);
      assert.equal(options.ca, pem);
      assert.throws(
        () => settingsFrom({ CLIENT_ID_METADATA_CA_FILE: join(dir, 'key.pem') }),
        /CLIENT_ID_METADATA_CA_FILE must name a PEM file of CA certificates \(no certificate in/,
      );
      assert.throws(
        () => settingsFrom({ CLIENT_ID_METADATA_CA_FILE: join(dir, 'missing.pem') }),
        /CLIENT_ID_METADATA_CA_FILE must name a readable PEM file \(ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the key rotation settings (issue 16: a rotation watched in seconds, RFC 9068 and RFC 7517)', () => {
  const optionsFrom = (env: Record<string, string>) => shiftOAuthOptions(settingsFrom(env));
  const filesTokenTtl = (env: Record<string, string>) => {
    const { resources } = optionsFrom(env);
    return resources![shiftResources('http://localhost:3000', 'http://localhost:3002').files]!.accessTokenTtl;
  };

  it('leaves the JWT settings to the library when unset, and SHIFT Files tokens at ACCESS_TOKEN_TTL capped at 300 s', () => {
    const config = settingsFrom({});
    for (const name of ['filesTokenTtl', 'jwksMaxAge', 'keyRefreshInterval', 'clockTolerance'] as const) {
      assert.equal(config[name], undefined, name);
    }
    assert.equal(optionsFrom({}).jwt, undefined);
    assert.equal(filesTokenTtl({}), 300);
    assert.equal(filesTokenTtl({ ACCESS_TOKEN_TTL: '10' }), 10);
  });

  it('reads JWKS_MAX_AGE, KEY_REFRESH_INTERVAL, CLOCK_TOLERANCE (0 included) and FILES_TOKEN_TTL into SHIFT’s options', () => {
    const env = {
      JWKS_MAX_AGE: '2',
      KEY_REFRESH_INTERVAL: '1',
      CLOCK_TOLERANCE: '0',
      FILES_TOKEN_TTL: '600',
      OAUTH_KEY_ENCRYPTION_KEY: 'a'.repeat(64),
    };
    const config = settingsFrom(env);
    assert.deepEqual([config.jwksMaxAge, config.keyRefreshInterval, config.clockTolerance, config.filesTokenTtl], [2, 1, 0, 600]);
    assert.deepEqual(optionsFrom(env).jwt, { keyEncryptionKey: 'a'.repeat(64), jwksMaxAge: 2, keyRefreshInterval: 1, clockTolerance: 0 });
    assert.equal(filesTokenTtl(env), 600, 'FILES_TOKEN_TTL may exceed the 300 s default cap');
    assert.deepEqual(optionsFrom({ JWKS_MAX_AGE: '5' }).jwt, { jwksMaxAge: 5 });
  });

  it('OpenID Connect Core §2: SHIFT signs ID tokens with RS256 only, for ID_TOKEN_TTL seconds or the library’s default', () => {
    assert.deepEqual(optionsFrom({}).openid, { idTokenSigningAlgorithms: ['RS256'] });
    assert.deepEqual(optionsFrom({ ID_TOKEN_TTL: '15' }).openid, { idTokenSigningAlgorithms: ['RS256'], idTokenTtl: 15 });
    assert.match(optionsFrom({}).scopes.openid!, /Know who you are/, 'the consent page names the openid scope in SHIFT’s words');
  });

  it('names every out-of-range value, within the library’s bounds', () => {
    assert.throws(() => settingsFrom({ ID_TOKEN_TTL: '0' }), /ID_TOKEN_TTL must be an integer from 1 to 86400 \(got "0"\)/);
    assert.throws(
      () => settingsFrom({ JWKS_MAX_AGE: '0', KEY_REFRESH_INTERVAL: '1.5', CLOCK_TOLERANCE: '301', FILES_TOKEN_TTL: '3601' }),
      (error: Error) =>
        /JWKS_MAX_AGE must be an integer from 1 to 86400 \(got "0"\)/.test(error.message) &&
        /KEY_REFRESH_INTERVAL must be an integer from 1 to 3600 \(got "1.5"\)/.test(error.message) &&
        /CLOCK_TOLERANCE must be an integer from 0 to 300 \(got "301"\)/.test(error.message) &&
        /FILES_TOKEN_TTL must be an integer from 1 to 3600 \(got "3601"\)/.test(error.message),
    );
  });
});

describe('sampleConfigModule (ConfigModule with the sample’s validation)', () => {
  const saved = { ...process.env };
  const restore = () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };

  it('serves the validated settings, overrides on top, through the typed ConfigService', async () => {
    process.env.ACCESS_TOKEN_TTL = '120';
    try {
      const moduleRef = await Test.createTestingModule({ imports: [sampleConfigModule({ shiftPort: 4000 })] }).compile();
      const config = moduleRef.get<ConfigService<SampleSettings, true>>(ConfigService).get('sample', { infer: true });
      assert.equal(config.accessTokenTtl, 120);
      assert.equal(config.shiftPort, 4000);
      assert.equal('sample' in process.env, false, 'nothing is copied back into the environment');
    } finally {
      restore();
    }
  });

  it('refuses a bad environment before any app is built, with every problem in one message', async () => {
    process.env.ACCESS_TOKEN_TTL = '0';
    process.env.TRUST_PROXY = 'true';
    try {
      await assert.rejects(
        sampleConfigModule(),
        (error: Error) =>
          /^Invalid sample settings: /.test(error.message) &&
          /ACCESS_TOKEN_TTL must be an integer from 1 to 86400 \(got "0"\)/.test(error.message) &&
          /TRUST_PROXY must be/.test(error.message),
      );
    } finally {
      restore();
    }
  });
});
