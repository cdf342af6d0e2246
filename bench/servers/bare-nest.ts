// The limit: a bare Nest route on @nestjs/platform-express or @nestjs/platform-fastify, with nothing
// of the library. A fixed JSON GET, and a POST that parses a form body and returns a fixed token JSON
// (what a token endpoint costs before any OAuth work).
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
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

  @Post('token')
  @HttpCode(200)
  token(@Body() body: Record<string, string>) {
    if (typeof body?.grant_type !== 'string') return { error: 'invalid_request' };
    return TOKEN;
  }
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
  announceReady(app.getHttpServer().address(), { getPath: '/api/me', tokenPath: '/token' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
