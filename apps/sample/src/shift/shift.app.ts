import { getRepositoryToken } from '@nestjs/typeorm';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import type { DataSourceOptions, Repository } from 'typeorm';
import { ShiftSession } from '../database/session.entities';
import { sampleConfigModule, validateSampleEnv, type SampleConfig } from '../sample-config';
import { setUpWebApp } from '../web/app-setup';
import { createPlatformApp } from '../web/http-platform';
import { ShiftModule } from './shift.module';

/**
 * Builds SHIFT (not yet listening) on the validated environment with `overrides` on top, on the
 * HTTP platform they name: migrations run while the database connects.
 */
export async function createShiftApp(
  overrides: Partial<SampleConfig>,
  database: DataSourceOptions,
  logger?: LoggerService | LogLevel[] | false,
): Promise<INestApplication> {
  const settings = await sampleConfigModule(overrides);
  // The platform is chosen before the app exists; the environment was validated just above.
  const config = { ...validateSampleEnv(process.env).sample, ...overrides };
  const app = await createPlatformApp(ShiftModule.forRoot(settings, database, config.issuer), {
    platform: config.httpAdapter,
    trustProxy: config.trustProxy ?? false,
    logger,
  });
  await setUpWebApp(app, {
    name: 'shift',
    publicUrl: config.issuer,
    sessions: app.get<Repository<ShiftSession>>(getRepositoryToken(ShiftSession)),
    sessionTtlSeconds: 8 * 3600,
    sessionSecret: config.sessionSecret,
  });
  await app.init();
  return app;
}
