import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { DataSourceOptions, Repository } from 'typeorm';
import { CustomAppSession } from '../database/session.entities';
import { setUpWebApp } from '../web/app-setup';
import { CUSTOMAPP_DATA_SOURCE, type CustomAppConfig } from './customapp.config';
import { CustomAppModule } from './customapp.module';

/** Builds CustomApp (not yet listening). */
export async function createCustomApp(
  config: CustomAppConfig,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(CustomAppModule.forRoot(config, database), {
    logger: logger ?? ['warn', 'error'],
  });
  setUpWebApp(app, {
    name: 'customapp',
    publicUrl: config.publicUrl,
    sessions: app.get<Repository<CustomAppSession>>(getRepositoryToken(CustomAppSession, CUSTOMAPP_DATA_SOURCE)),
    sessionTtlSeconds: 30 * 24 * 3600,
    trustProxy: config.trustProxy,
  });
  await app.init();
  return app;
}
