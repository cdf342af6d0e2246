import type { LoggerService, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { DataSourceOptions, Repository } from 'typeorm';
import { CustomAppSession } from '../database/session.entities';
import { setUpWebApp } from '../web/app-setup';
import { sampleConfigModule, type SampleConfig, type SampleConfigService } from '../sample-config';
import { CUSTOMAPP_CONFIG, CUSTOMAPP_DATA_SOURCE, type CustomAppConfig } from './customapp.config';
import { CustomAppModule } from './customapp.module';

/** Builds CustomApp (not yet listening) on the validated environment with `overrides` on top. */
export async function createCustomApp(
  overrides: Partial<SampleConfig>,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<NestExpressApplication> {
  const settings = await sampleConfigModule(overrides);
  const app = await NestFactory.create<NestExpressApplication>(CustomAppModule.forRoot(settings, database), {
    logger: logger ?? ['warn', 'error'],
  });
  const config = app.get<CustomAppConfig>(CUSTOMAPP_CONFIG);
  const { sessionSecret } = app.get<SampleConfigService>(ConfigService).get('sample', { infer: true });
  setUpWebApp(app, {
    name: 'customapp',
    publicUrl: config.publicUrl,
    sessions: app.get<Repository<CustomAppSession>>(getRepositoryToken(CustomAppSession, CUSTOMAPP_DATA_SOURCE)),
    sessionTtlSeconds: 30 * 24 * 3600,
    trustProxy: config.trustProxy,
    sessionSecret,
  });
  await app.init();
  return app;
}
