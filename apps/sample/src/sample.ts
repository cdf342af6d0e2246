import type { LoggerService, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CustomAppSettings } from './customapp/storage/customapp-settings.service';
import { createCustomApp } from './customapp/customapp.app';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from './customapp/customapp.config';
import { dataSourceOptionsFromUrl } from './database/database-url';
import { createFilesApp } from './files/files.app';
import { provisionCustomApp, type ProvisionOutcome } from './provision-customapp';
import type { SampleConfig, SampleConfigService } from './sample-config';
import { createShiftApp } from './shift/shift.app';

/** The three apps, listening. */
export interface RunningSample {
  shift: NestExpressApplication;
  customApp: NestExpressApplication;
  /** SHIFT Files, the second API: a resource server that knows SHIFT only over HTTP. */
  files: NestExpressApplication;
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
  let customApp: NestExpressApplication | undefined;
  let files: NestExpressApplication | undefined;
  try {
    customApp = await createCustomApp(overrides, { ...database, migrationsRun: false }, logger);
    const customConfig = customApp.get<CustomAppConfig>(CUSTOMAPP_CONFIG);
    const provisioned = await provisionCustomApp(shift, customApp.get(CustomAppSettings), customConfig);
    files = await createFilesApp(config, logger);
    const listen = (app: NestExpressApplication, port: number) => (config.host ? app.listen(port, config.host) : app.listen(port));
    await listen(shift, config.shiftPort);
    await listen(customApp, config.customAppPort);
    await listen(files, config.filesPort);
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
