import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { DataSourceOptions, Repository } from 'typeorm';
import { ShiftSession } from '../database/session.entities';
import { ConfigService } from '@nestjs/config';
import { sampleConfigModule, type SampleConfig, type SampleConfigService } from '../sample-config';
import { setUpWebApp } from '../web/app-setup';
import { ShiftModule } from './shift.module';

/**
 * Builds SHIFT (not yet listening) on the validated environment with `overrides` on top: migrations
 * run while the database connects.
 */
export async function createShiftApp(
  overrides: Partial<SampleConfig>,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<NestExpressApplication> {
  const settings = await sampleConfigModule(overrides);
  const app = await NestFactory.create<NestExpressApplication>(ShiftModule.forRoot(settings, database), {
    logger: logger ?? ['warn', 'error'],
  });
  const config = app.get<SampleConfigService>(ConfigService).get('sample', { infer: true });
  setUpWebApp(app, {
    name: 'shift',
    publicUrl: config.issuer,
    sessions: app.get<Repository<ShiftSession>>(getRepositoryToken(ShiftSession)),
    sessionTtlSeconds: 8 * 3600,
    trustProxy: config.trustProxy ?? false,
    sessionSecret: config.sessionSecret,
  });
  await app.init();
  return app;
}
