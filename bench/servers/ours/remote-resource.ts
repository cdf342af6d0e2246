// Ours as a resource server on another host: OAuthResourceModule validating tokens by introspection
// (RFC 7662), on Express or Fastify, with its introspection cache on or off.
//   node dist/bench/servers/ours/remote-resource.js --adapter express|fastify --cache on|off
// The authorization server is a stand-in in a child process (this script with `--role
// authorization-server`): RFC 8414 metadata and an introspection endpoint answering from a fixed
// table, so the figures are those of the resource server and one HTTP round trip per validation, not
// of an authorization server's database. It shares the machine's cores, as a real one would not.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
  const tokens = Array.from({ length: 100 }, () => randomBytes(32).toString('base64url'));
  const as = fork(__filename, ['--role', 'authorization-server'], {
    env: { ...process.env, BENCH_AS_CLIENT: JSON.stringify(CLIENT), BENCH_AS_TOKENS: JSON.stringify(tokens), BENCH_AS_RESOURCE: RESOURCE },
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    as.once('message', (message) => resolve(String(message)));
    as.once('exit', (code) => reject(new Error(`the stand-in authorization server exited with ${code}`)));
  });

  @Module({
    imports: [
      OAuthResourceModule.forRoot({
        issuer,
        resource: RESOURCE,
        introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
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
    notes: `${adapter}, introspection at a stand-in authorization server in another process, cache ${cache ? 'on (maxEntries 10000, ttl 30 s)' : 'off'}`,
  });
}

/** The stand-in: metadata and a table-driven introspection endpoint, over keep-alive HTTP. */
function serveAuthorizationServer(): void {
  const client = JSON.parse(process.env.BENCH_AS_CLIENT ?? '{}') as typeof CLIENT;
  const tokens = new Set(JSON.parse(process.env.BENCH_AS_TOKENS ?? '[]') as string[]);
  const expected = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
  let issuer = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown = { error: 'not_found' };
      let status = 404;
      if (req.url === '/.well-known/oauth-authorization-server') {
        [status, body] = [200, { issuer, introspection_endpoint: `${issuer}/introspect` }];
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
    process.send?.(issuer);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
