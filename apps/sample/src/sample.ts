import type { LoggerService, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CustomAppSettings } from './customapp/storage/customapp-settings.service';
import { createCustomApp } from './customapp/customapp.app';
import { CUSTOMAPP_CONFIG, type CustomAppConfig } from './customapp/customapp.config';
import { dataSourceOptionsFromUrl } from './database/database-url';
import { provisionCustomApp, type ProvisionOutcome } from './provision-customapp';
import type { SampleConfig, SampleConfigService } from './sample-config';
import { createShiftApp } from './shift/shift.app';

/** Both apps, listening. */
export interface RunningSample {
  shift: NestExpressApplication;
  customApp: NestExpressApplication;
  provisioned: ProvisionOutcome;
  /** The settings both apps run with: the validated environment and the overrides. */
  config: SampleConfig;
  close(): Promise<void>;
}

/**
 * Starts SHIFT (its database connection applies pending migrations first), then CustomApp, registers
 * CustomApp at SHIFT when needed, and opens both ports. Both read the environment, validated, through
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
  try {
    customApp = await createCustomApp(overrides, { ...database, migrationsRun: false }, logger);
    const customConfig = customApp.get<CustomAppConfig>(CUSTOMAPP_CONFIG);
    const provisioned = await provisionCustomApp(shift, customApp.get(CustomAppSettings), customConfig);
    await (config.host ? shift.listen(config.shiftPort, config.host) : shift.listen(config.shiftPort));
    await (config.host ? customApp.listen(config.customAppPort, config.host) : customApp.listen(config.customAppPort));
    const apps = { shift, customApp };
    return { ...apps, provisioned, config, close: async () => void (await Promise.all([apps.customApp.close(), apps.shift.close()])) };
  } catch (err) {
    await customApp?.close();
    await shift.close();
    throw err;
  }
}
