import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { SampleConfig } from '../sample-config';
import { shiftResources } from '../shift/shift-oauth.options';
import { FilesModule } from './files.module';

/** Builds SHIFT Files (not yet listening): an API only, with no pages, sessions or database of its own. */
export async function createFilesApp(config: SampleConfig, logger?: LoggerService | LogLevel[] | false): Promise<NestExpressApplication> {
  const resource = shiftResources(config.issuer, config.filesUrl).files;
  const app = await NestFactory.create<NestExpressApplication>(FilesModule.forRoot({ issuer: config.issuer, resource }), {
    logger: logger ?? ['warn', 'error'],
  });
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  await app.init();
  return app;
}
