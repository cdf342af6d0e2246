import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  Get,
  Module,
  Post,
  RequestMethod,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { mountedAt } from '../oauth.module-definition';
import { expressRouteHandlers } from './bearer-routes';
import { WELL_KNOWN_ROUTE } from './well-known.middleware';

/**
 * What the module takes from Nest and the two HTTP platforms beyond their documented API, on both
 * platforms whatever HTTP_ADAPTER says. A Nest, Express or Fastify upgrade that changes any of it
 * fails here, by name, before the OAuth endpoints misbehave:
 * - `mountedAt()` (oauth.module-definition.ts): a run-time subclass with its own `@Controller(path)` is routed
 *   at that path with its parent's handlers, and leaves the parent and other mounts alone;
 * - `configure()` / `onModuleInit()` (oauth.module.ts, body-errors.ts, bearer-routes.ts): `configure`
 *   runs before Nest registers the routes (a Fastify `onRoute` hook added then sees every route, and
 *   Express has none yet), `onModuleInit` after them and before Nest's own error handler (an Express
 *   error middleware added then sees body-parser errors; Express's router stack is readable);
 * - `WellKnownMiddleware` (well-known.middleware.ts): a middleware applied with `forRoutes()` to
 *   `WELL_KNOWN_ROUTE` runs for GET requests at any depth under `/.well-known/` that no controller
 *   declares, sees the raw path (trailing slash and percent-encoding kept), and nothing else.
 */
for (const platform of ['express', 'fastify'] as const) {
  describe(`the Nest and ${platform} behaviour the module relies on`, () => {
    const seen = { configureRoutes: -1, initRoutes: -1, fastifyRoutes: [] as string[] };

    @Controller()
    class ProbeController {
      @Get('ping')
      ping(): string {
        return 'pong';
      }

      @Post('echo')
      echo(@Body() body: unknown): unknown {
        return body;
      }
    }
    const one = mountedAt(ProbeController, 'one/two');
    const other = mountedAt(ProbeController, 'other');

    @Module({ controllers: [ProbeController, one, other] })
    class ProbeModule implements NestModule, OnModuleInit {
      constructor(private readonly adapterHost: HttpAdapterHost) {}

      configure(consumer: MiddlewareConsumer): void {
        consumer
          .apply((req: { originalUrl?: string; url: string }, res: { setHeader(n: string, v: string): void; end(b: string): void }) => {
            res.setHeader('Content-Type', 'text/plain');
            res.end(`seen ${req.originalUrl ?? req.url}`);
          })
          .forRoutes({ path: WELL_KNOWN_ROUTE, method: RequestMethod.GET });
        const instance = this.adapterHost.httpAdapter.getInstance();
        if (platform === 'fastify') {
          instance.addHook('onRoute', (route: { url: string; errorHandler?: unknown }) => {
            seen.fastifyRoutes.push(route.url);
            if (route.url === '/echo')
              route.errorHandler = (error: { code?: string }, _req: unknown, reply: { code(n: number): { send(b: unknown): void } }) =>
                reply.code(499).send({ caught: error.code });
          });
        } else seen.configureRoutes = expressRouteHandlers(instance, 'GET', '/ping').length;
      }

      onModuleInit(): void {
        const instance = this.adapterHost.httpAdapter.getInstance();
        if (platform === 'fastify') return;
        seen.initRoutes = expressRouteHandlers(instance, 'GET', '/ping').length;
        instance.use(
          (error: { type?: string }, _req: unknown, res: { status(n: number): { json(b: unknown): void } }, next: (e: unknown) => void) =>
            error?.type ? res.status(499).json({ caught: error.type }) : next(error),
        );
      }
    }

    let app: INestApplication;
    before(async () => {
      const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
      app =
        platform === 'fastify'
          ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false })
          : moduleRef.createNestApplication({ logger: false });
      await app.init();
      if (platform === 'fastify') await app.getHttpAdapter().getInstance().ready();
    });
    after(async () => app?.close());

    it('routes a mountedAt() subclass at its own path with its parent’s handlers, beside the parent and other mounts', async () => {
      assert.equal(one.name, 'ProbeController');
      for (const path of ['/ping', '/one/two/ping', '/other/ping']) {
        const res = await request(app.getHttpServer()).get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.text, 'pong', path);
      }
      assert.equal((await request(app.getHttpServer()).get('/one/ping')).status, 404);
    });

    it('runs a forRoutes() middleware on WELL_KNOWN_ROUTE for any depth under /.well-known/, with the raw path, as the well-known documents need', async () => {
      for (const path of [
        '/.well-known/x',
        '/.well-known/x/a',
        '/.well-known/x/a/',
        '/.well-known/x/a/b/c/d/e/f/g/h/i',
        '/.well-known/x/a%2Fb?q=1',
      ]) {
        const res = await request(app.getHttpServer()).get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.text, `seen ${path}`, path);
      }
      assert.equal((await request(app.getHttpServer()).get('/ping')).text, 'pong', 'other paths never reach it');
      assert.equal((await request(app.getHttpServer()).post('/.well-known/x/a')).status, 404, 'nor other methods');
    });

    if (platform === 'fastify') {
      it('runs configure() before the routes are added, so an onRoute hook sees and can handle each of them', async () => {
        for (const url of ['/ping', '/one/two/ping', '/other/ping']) assert.ok(seen.fastifyRoutes.includes(url), url);
        const res = await request(app.getHttpServer()).post('/echo').set('Content-Type', 'application/json').send('{"broken"');
        assert.equal(res.status, 499, res.text);
        assert.match(res.body.caught, /^FST_ERR_/);
      });
    } else {
      it('runs configure() before Express has the routes and onModuleInit() after, with the router stack readable', () => {
        assert.equal(seen.configureRoutes, 0, 'no route yet in configure()');
        assert.ok(seen.initRoutes > 0, 'the route and its handlers in onModuleInit()');
      });
      it('puts an error middleware added in onModuleInit() after the body parsers and before Nest’s error handler', async () => {
        const res = await request(app.getHttpServer()).post('/echo').set('Content-Type', 'application/json').send('{"broken"');
        assert.equal(res.status, 499, res.text);
        assert.equal(res.body.caught, 'entity.parse.failed');
      });
    }
  });
}
