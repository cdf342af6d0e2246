import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { DataSourceOptions, Repository } from 'typeorm';
import { ShiftSession } from '../database/session.entities';
import type { SampleConfig } from '../sample-config';
import { setUpWebApp } from '../web/app-setup';
import { ShiftModule } from './shift.module';

/** Builds SHIFT (not yet listening): migrations run while the database connects. */
export async function createShiftApp(
  config: SampleConfig,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ShiftModule.forRoot(config, database), {
    logger: logger ?? ['warn', 'error'],
  });
  setUpWebApp(app, {
    name: 'shift',
    publicUrl: config.issuer,
    sessions: app.get<Repository<ShiftSession>>(getRepositoryToken(ShiftSession)),
    sessionTtlSeconds: 8 * 3600,
    trustProxy: config.trustProxy ?? false,
  });
  await app.init();
  return app;
}
