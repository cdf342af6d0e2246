import type { LoggerService, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CustomAppSettings } from './customapp/storage/customapp-settings.service';
import { createCustomApp } from './customapp/customapp.app';
import { customAppConfig } from './customapp/customapp.config';
import { dataSourceOptionsFromUrl } from './database/database-url';
import { provisionCustomApp, type ProvisionOutcome } from './provision-customapp';
import type { SampleConfig } from './sample-config';
import { createShiftApp } from './shift/shift.app';

/** Both apps, listening. */
export interface RunningSample {
  shift: NestExpressApplication;
  customApp: NestExpressApplication;
  provisioned: ProvisionOutcome;
  close(): Promise<void>;
}

/**
 * Starts SHIFT (its database connection applies pending migrations first), then CustomApp, registers
 * CustomApp at SHIFT when needed, and opens both ports.
 */
export async function startSample(
  config: SampleConfig,
  databaseUrl?: string,
  logger?: LoggerService | LogLevel[] | false,
): Promise<RunningSample> {
  const database = dataSourceOptionsFromUrl(databaseUrl);
  const shift = await createShiftApp(config, database, logger);
  const customConfig = customAppConfig(config.issuer, config.customAppUrl, config.trustProxy);
  let customApp: NestExpressApplication | undefined;
  try {
    customApp = await createCustomApp(customConfig, { ...database, migrationsRun: false }, logger);
    const provisioned = await provisionCustomApp(shift, customApp.get(CustomAppSettings), customConfig);
    await (config.host ? shift.listen(config.shiftPort, config.host) : shift.listen(config.shiftPort));
    await (config.host ? customApp.listen(config.customAppPort, config.host) : customApp.listen(config.customAppPort));
    const apps = { shift, customApp };
    return { ...apps, provisioned, close: async () => void (await Promise.all([apps.customApp.close(), apps.shift.close()])) };
  } catch (err) {
    await customApp?.close();
    await shift.close();
    throw err;
  }
}
