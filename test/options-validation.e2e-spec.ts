import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OAuthConfigurationError, OAuthModule, type OAuthModuleOptions } from 'nest-oauth2-provider';
import { TestInteraction } from './fixtures/test-interaction';

const BAD: OAuthModuleOptions = {
  issuer: 'http://shift.example/?tenant=1',
  scopes: { profile: 'Read your profile' },
  defaultScopes: ['profile', 'email'],
  accessTokenTtl: 0,
  authorizationCodeTtl: 3600,
  refreshTokenGracePeriod: -1,
  purgeInterval: 0,
};

const EVERY_PROBLEM = [
  /^issuer: must use https; http is allowed only on loopback hosts .*; must not contain a query or fragment \(RFC 8414 §2\)$/,
  /^defaultScopes: "email" is not one of the configured scopes$/,
  /^accessTokenTtl: must be a positive integer of seconds \(got 0\)$/,
  /^authorizationCodeTtl: must not exceed 600 seconds \(RFC 6749 §4\.1\.2\) \(got 3600\)$/,
  /^refreshTokenGracePeriod: must be a non-negative integer of seconds \(got -1\)$/,
  /^purgeInterval: must be a positive integer of seconds or false \(got 0\)$/,
];

/** Bootstraps a host app importing `oauth`, as main.ts would; resolves the error that stopped it. */
async function startFailure(oauth: DynamicModule): Promise<OAuthConfigurationError> {
  @Module({ imports: [oauth] })
  class HostModule {}
  try {
    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await app.close();
  } catch (error) {
    assert.ok(error instanceof OAuthConfigurationError, `expected OAuthConfigurationError, got ${String(error)}`);
    return error;
  }
  assert.fail('the misconfigured app started');
}

function assertEveryProblem(error: OAuthConfigurationError): void {
  assert.equal(error.problems.length, EVERY_PROBLEM.length, error.message);
  EVERY_PROBLEM.forEach((pattern, i) => assert.match(error.problems[i], pattern));
  assert.ok(error.message.startsWith('Invalid OAuthModule options:\n'));
}

describe('options validation at start-up', () => {
  it('refuses to start an app with bad forRoot options, listing every problem at once', async () => {
    assertEveryProblem(await startFailure(OAuthModule.forRoot({ ...BAD, storage: 'memory', interaction: TestInteraction })));
  });

  it('refuses to start an app whose forRootAsync factory returns bad options, the same way', async () => {
    assertEveryProblem(
      await startFailure(OAuthModule.forRootAsync({ useFactory: async () => BAD, storage: 'memory', interaction: TestInteraction })),
    );
  });

  it('names a bad prefix given beside the factory', async () => {
    const error = await startFailure(
      OAuthModule.forRoot({
        issuer: 'https://shift.example',
        scopes: {},
        prefix: 'oauth 2',
        storage: 'memory',
        interaction: TestInteraction,
      }),
    );
    assert.deepEqual(error.problems, ['prefix: must be a URL path (got "oauth 2")']);
  });
});
