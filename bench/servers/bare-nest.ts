// The limit: a bare Nest route on @nestjs/platform-express or @nestjs/platform-fastify, with nothing
// of the library. A fixed JSON GET, and a POST that parses a form body and returns a fixed token JSON
// (what a token endpoint costs before any OAuth work).
// With `--verify es256` the GET also checks the request's bearer JWT with one raw ES256
// `crypto.verify` and nothing else: the floor under any JWT-verifying route with its cache off.
import 'reflect-metadata';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Module, Post, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { announceReady, argValue, closeOnSignal } from './lifecycle';

const PROFILE = { sub: 'user-1', name: 'Nate', email: 'nate@shift.example' };
const TOKEN = {
  access_token: 'x'.repeat(43),
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'profile',
};

@Controller()
class BareController {
  @Get('api/me')
  me() {
    return PROFILE;
  }

  @Get('api/me-verified')
  meVerified(@Headers('authorization') authorization: string | undefined) {
    const token = authorization?.slice('Bearer '.length) ?? '';
    const dot = token.lastIndexOf('.');
    const valid =
      dot > 0 &&
      verify(
        'sha256',
        Buffer.from(token.slice(0, dot), 'latin1'),
        { key: verifyKey.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(token.slice(dot + 1), 'base64url'),
      );
    if (!valid) throw new UnauthorizedException();
    return PROFILE;
  }

  @Post('token')
  @HttpCode(200)
  token(@Body() body: Record<string, string>) {
    if (typeof body?.grant_type !== 'string') return { error: 'invalid_request' };
    return TOKEN;
  }
}

/** The key of `--verify`, made at start-up. */
const verifyKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }) as { publicKey: KeyObject; privateKey: KeyObject };

/** JWTs the size and shape of our RFC 9068 access tokens, signed with `verifyKey`, for the GET to send. */
function bearerJwts(count: number): string[] {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const input = `${b64({ typ: 'at+jwt', alg: 'ES256', kid: 'k'.repeat(43) })}.${b64({
      iss: 'http://127.0.0.1',
      sub: 'bench-cc',
      aud: 'http://127.0.0.1/api/',
      client_id: 'bench-cc',
      scope: 'profile',
      jti: String(i).padStart(43, 'j'),
      iat: now,
      exp: now + 86_400,
    })}`;
    const signature = sign('sha256', Buffer.from(input), { key: verifyKey.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  });
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const adapter = argValue('adapter', 'express');
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BareModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  closeOnSignal(() => app.close());
  const verifying = argValue('verify', 'none') === 'es256';
  announceReady(
    app.getHttpServer().address(),
    verifying
      ? { getPath: '/api/me-verified', tokenPath: '/token', bearerTokens: bearerJwts(100) }
      : { getPath: '/api/me', tokenPath: '/token' },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
