import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CustomAppSettings } from './customapp/storage/customapp-settings.service';
import { createCustomApp } from './customapp/customapp.app';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from './customapp/customapp.config';
import { dataSourceOptionsFromUrl } from './database/database-url';
import { createFilesApp } from './files/files.app';
import { provisionCustomApp, type ProvisionOutcome } from './provision-customapp';
import type { SampleConfig, SampleConfigService } from './sample-config';
import { createShiftApp } from './shift/shift.app';
import { listenOn } from './web/http-platform';

/** The three apps, listening, on Express or Fastify (HTTP_ADAPTER). */
export interface RunningSample {
  shift: INestApplication;
  customApp: INestApplication;
  /** SHIFT Files, the second API: a resource server that knows SHIFT only over HTTP. */
  files: INestApplication;
  provisioned: ProvisionOutcome;
  /** The settings both apps run with: the validated environment and the overrides. */
  config: SampleConfig;
  close(): Promise<void>;
}

/**
 * Starts SHIFT (its database connection applies pending migrations first), then CustomApp and SHIFT
 * Files, registers CustomApp at SHIFT when needed, and opens the three ports. Both read the environment, validated, through
 * `ConfigService`; `overrides` replace single settings (tests choose ports and URLs this way).
 */
export async function startSample(
  overrides: Partial<SampleConfig> = {},
  databaseUrl?: string,
  logger?: LoggerService | LogLevel[] | false,
): Promise<RunningSample> {
  const database = dataSourceOptionsFromUrl(databaseUrl);
  const shift = await createShiftApp(overrides, database, logger);
  const config = shift.get<SampleConfigService>(ConfigService).get('sample', { infer: true });
  let customApp: INestApplication | undefined;
  let files: INestApplication | undefined;
  try {
    customApp = await createCustomApp(overrides, { ...database, migrationsRun: false }, logger);
    const customConfig = customApp.get<CustomAppConfig>(CUSTOMAPP_CONFIG);
    const provisioned = await provisionCustomApp(shift, customApp.get(CustomAppSettings), customConfig);
    files = await createFilesApp(config, logger);
    await listenOn(shift, config.shiftPort, config.host);
    await listenOn(customApp, config.customAppPort, config.host);
    await listenOn(files, config.filesPort, config.host);
    const apps = { shift, customApp, files };
    const close = async () => void (await Promise.all([apps.customApp.close(), apps.files.close(), apps.shift.close()]));
    return { ...apps, provisioned, config, close };
  } catch (err) {
    await files?.close();
    await customApp?.close();
    await shift.close();
    throw err;
  }
}
