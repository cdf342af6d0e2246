// The snippets of docs/guide/fastify.md and the Fastify line of docs/guide/remote-resource-server.md,
// compiled with the rest of the project (strict) and checked against the pages by
// test/docs-snippets.e2e-spec.ts.
import { Module } from '@nestjs/common';
import { AppModule } from './getting-started-app/src/app.module';

@Module({})
class FilesAppModule {}

// #region bootstrap
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

export async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter({ trustProxy: true }), // only behind a reverse proxy you control (see below)
  );
  await app.listen(3000, '0.0.0.0');
}
// #endregion bootstrap

export async function bootstrapFiles() {
  // #region remote-resource-server
  const app = await NestFactory.create(FilesAppModule, new FastifyAdapter());
  // #endregion remote-resource-server
  return app;
}
