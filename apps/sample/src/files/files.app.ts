import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import type { SampleConfig } from '../sample-config';
import { createPlatformApp } from '../web/http-platform';
import { shiftResources } from '../shift/shift-oauth.options';
import { FilesModule } from './files.module';

/**
 * Builds SHIFT Files (not yet listening) on the HTTP platform `config` names: an API only, with no
 * pages, sessions or database of its own.
 */
export async function createFilesApp(config: SampleConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestApplication> {
  const resource = shiftResources(config.issuer, config.filesUrl).files;
  const app = await createPlatformApp(
    FilesModule.forRoot({
      issuer: config.issuer,
      resource,
      jwksMaxAge: config.jwksMaxAge,
      clockTolerance: config.clockTolerance,
    }),
    {
      platform: config.httpAdapter,
      trustProxy: config.trustProxy ?? false,
      logger,
    },
  );
  await app.init();
  return app;
}
