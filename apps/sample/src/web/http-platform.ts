import type { DynamicModule, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { HttpPlatform, TrustProxy } from '../sample-config';

/** How one of the sample's apps is built on its platform. */
export interface PlatformOptions {
  platform: HttpPlatform;
  /** The peers whose X-Forwarded-* headers are believed (TRUST_PROXY), in the same terms on both platforms. */
  trustProxy: TrustProxy;
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * A Nest app of `module` on Express or on Fastify. Fastify is loaded only when asked for, so the
 * default Express sample never loads it. Fastify takes `trustProxy` when it is created; Express
 * takes it as `trust proxy` right after.
 */
export async function createPlatformApp(module: DynamicModule, options: PlatformOptions): Promise<INestApplication> {
  const logger = options.logger ?? ['warn', 'error'];
  if (options.platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(module, new FastifyAdapter({ trustProxy: fastifyTrustProxy(options.trustProxy) }), { logger });
  }
  const app = await NestFactory.create<NestExpressApplication>(module, { logger });
  // Off unless configured: a forwarded address from any other peer is the client's own choice.
  app.set('trust proxy', options.trustProxy);
  app.disable('x-powered-by');
  return app;
}

/**
 * TRUST_PROXY in Fastify's terms. Fastify trusts nobody for a bare hop count, so a count becomes
 * the rule Express applies to it: the nearest `hops` peers are proxies.
 */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** True for an app on `@nestjs/platform-fastify`. */
export function isFastifyApp(app: INestApplication): boolean {
  return app.getHttpAdapter().getType() === 'fastify';
}

/**
 * Listens on `port` of `host`; an unset host means every interface on both platforms (Fastify
 * alone would listen on localhost only).
 */
export async function listenOn(app: INestApplication, port: number, host?: string): Promise<void> {
  if (host) await app.listen(port, host);
  else if (isFastifyApp(app)) await app.listen(port, '::');
  else await app.listen(port);
}
