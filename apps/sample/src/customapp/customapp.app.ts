import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { DataSourceOptions, Repository } from 'typeorm';
import { CustomAppSession } from '../database/session.entities';
import { setUpWebApp } from '../web/app-setup';
import { createPlatformApp } from '../web/http-platform';
import { sampleConfigModule, validateSampleEnv, type SampleConfig } from '../sample-config';
import { CUSTOMAPP_CONFIG, CUSTOMAPP_DATA_SOURCE, type CustomAppConfig } from './customapp.config';
import { CustomAppModule } from './customapp.module';

/** Builds CustomApp (not yet listening) on the validated environment with `overrides` on top, on the HTTP platform they name. */
export async function createCustomApp(
  overrides: Partial<SampleConfig>,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<INestApplication> {
  const settings = await sampleConfigModule(overrides);
  const sample = { ...validateSampleEnv(process.env).sample, ...overrides };
  const app = await createPlatformApp(CustomAppModule.forRoot(settings, database), {
    platform: sample.httpAdapter,
    trustProxy: sample.trustProxy ?? false,
    logger,
  });
  const config = app.get<CustomAppConfig>(CUSTOMAPP_CONFIG);
  await setUpWebApp(app, {
    name: 'customapp',
    publicUrl: config.publicUrl,
    sessions: app.get<Repository<CustomAppSession>>(getRepositoryToken(CustomAppSession, CUSTOMAPP_DATA_SOURCE)),
    sessionTtlSeconds: 30 * 24 * 3600,
    sessionSecret: sample.sessionSecret,
  });
  await app.init();
  return app;
}
