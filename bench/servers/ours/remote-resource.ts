// Ours as a resource server on another host: OAuthResourceModule validating tokens by introspection
// (RFC 7662) or, with `--tokens jwt`, verifying JWT access tokens (RFC 9068) from the authorization
// server's JWK Set, on Express or Fastify, with its cache on or off.
//   node dist/bench/servers/ours/remote-resource.js --adapter express|fastify --cache on|off [--tokens opaque|jwt]
// The authorization server is a stand-in in a child process (this script with `--role
// authorization-server`): RFC 8414 metadata, an introspection endpoint answering from a fixed table
// and a JWK Set, so the figures are those of the resource server and one HTTP round trip per
// introspection, not of an authorization server's database. It shares the machine's cores, as a real
// one would not. With JWTs the resource server reads the JWK Set once and then makes no call per request.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OAuthResourceModule } from 'nest-oauth2-provider';
import { announceReady, argValue, closeOnSignal } from '../lifecycle';
import { ApiController } from './api.controller';

const CLIENT = { id: 'bench-resource-server', secret: randomBytes(32).toString('base64url') };
const RESOURCE = 'http://127.0.0.1/api/';

async function main(): Promise<void> {
  if (argValue('role', 'resource-server') === 'authorization-server') return serveAuthorizationServer();
  const adapter = argValue('adapter', 'express');
  const cache = argValue('cache', 'off') === 'on';
  const jwt = argValue('tokens', 'opaque') === 'jwt';
  const opaqueTokens = Array.from({ length: 100 }, () => randomBytes(32).toString('base64url'));
  const as = fork(__filename, ['--role', 'authorization-server'], {
    env: {
      ...process.env,
      BENCH_AS_CLIENT: JSON.stringify(CLIENT),
      BENCH_AS_TOKENS: JSON.stringify(opaqueTokens),
      BENCH_AS_RESOURCE: RESOURCE,
      BENCH_AS_JWT: jwt ? '1' : '',
    },
  });
  const { issuer, jwts } = await new Promise<StandInReady>((resolve, reject) => {
    as.once('message', (message) => resolve(message as StandInReady));
    as.once('exit', (code) => reject(new Error(`the stand-in authorization server exited with ${code}`)));
  });
  const tokens = jwt ? jwts : opaqueTokens;

  @Module({
    imports: [
      OAuthResourceModule.forRoot({
        issuer,
        resource: RESOURCE,
        // JWTs only: no introspection client, so every token is verified from the JWK Set.
        ...(jwt ? {} : { introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret } }),
        scopes: ['profile'],
        cache: cache ? { maxEntries: 10_000, ttl: 30 } : false,
      }),
    ],
    controllers: [ApiController],
  })
  class RemoteResourceModule {}

  const app =
    adapter === 'fastify'
      ? await NestFactory.create(RemoteResourceModule, new FastifyAdapter(), { logger: ['error'] })
      : await NestFactory.create(RemoteResourceModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  closeOnSignal(async () => {
    as.kill('SIGTERM');
    await app.close();
  });
  announceReady(app.getHttpServer().address(), {
    getPath: '/api/me',
    tokenPath: '/token',
    bearerTokens: tokens,
    ...(jwt ? { accessTokenFormat: 'jwt' as const, jwt: { issuer, audience: RESOURCE, jwks: `${issuer}/jwks` } } : {}),
    notes: `${adapter}, ${jwt ? 'JWT access tokens (ES256) verified from the JWK Set of' : 'introspection at'} a stand-in authorization server in another process, cache ${cache ? 'on (maxEntries 10000, ttl 30 s)' : 'off'}`,
  });
}

/** What the stand-in sends once it listens: its issuer and, in JWT mode, the JWTs it signed. */
interface StandInReady {
  issuer: string;
  jwts: string[];
}

/**
 * RFC 9068 access tokens for the resource, signed with ES256 by the stand-in's key: what our
 * authorization server issues, with `sub` a user.
 */
function signAccessTokens(issuer: string, resource: string, count: number): { jwks: { keys: object[] }; jwts: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'stand-in-es256';
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const jwts = Array.from({ length: count }, () => {
    const input = `${b64({ typ: 'at+jwt', alg: 'ES256', kid })}.${b64({
      iss: issuer,
      sub: 'user-1',
      aud: resource,
      client_id: 'bench',
      scope: 'profile',
      jti: randomBytes(32).toString('base64url'),
      iat,
      exp: iat + 24 * 3600,
    })}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  });
  return { jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] }, jwts };
}

/** The stand-in: metadata and a table-driven introspection endpoint, over keep-alive HTTP. */
function serveAuthorizationServer(): void {
  const client = JSON.parse(process.env.BENCH_AS_CLIENT ?? '{}') as typeof CLIENT;
  const tokens = new Set(JSON.parse(process.env.BENCH_AS_TOKENS ?? '[]') as string[]);
  const expected = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
  let issuer = '';
  let jwks: { keys: object[] } = { keys: [] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown = { error: 'not_found' };
      let status = 404;
      if (req.url === '/.well-known/oauth-authorization-server') {
        [status, body] = [200, { issuer, introspection_endpoint: `${issuer}/introspect`, jwks_uri: `${issuer}/jwks` }];
      } else if (req.url === '/jwks') {
        res.writeHead(200, { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=600' });
        res.end(JSON.stringify(jwks));
        return;
      } else if (req.url === '/introspect' && req.method === 'POST') {
        const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token') ?? '';
        if (req.headers.authorization !== expected) [status, body] = [401, { error: 'invalid_client' }];
        else if (!tokens.has(token)) [status, body] = [200, { active: false }];
        else
          [status, body] = [
            200,
            {
              active: true,
              token_type: 'Bearer',
              client_id: 'bench',
              sub: 'user-1',
              scope: 'profile',
              aud: process.env.BENCH_AS_RESOURCE,
              exp,
            },
          ];
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signed = process.env.BENCH_AS_JWT ? signAccessTokens(issuer, process.env.BENCH_AS_RESOURCE ?? '', 100) : { jwks, jwts: [] };
    jwks = signed.jwks;
    process.send?.({ issuer, jwts: signed.jwts } satisfies StandInReady);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
