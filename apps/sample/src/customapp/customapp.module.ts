import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { CUSTOMAPP_ENTITIES } from '../database/sample-schema';
import { ConnectionsService } from './connections.service';
import { CustomAppController } from './customapp.controller';
import type { SampleConfigService } from '../sample-config';
import { CUSTOMAPP_CONFIG, CUSTOMAPP_DATA_SOURCE, customAppConfig } from './customapp.config';
import { OAuthCallbackHandler } from './oauth-callback.handler';
import { SettingsController } from './settings.controller';
import { ShiftClient } from './shift-api/shift-client';
import { CustomAppSettings } from './storage/customapp-settings.service';

/**
 * CustomApp, the third-party app: it knows SHIFT only by its public URL and its own client
 * credentials, and uses only its own tables.
 */
@Module({})
export class CustomAppModule {
  /** `settings` is the awaited `sampleConfigModule()`; CustomApp's own configuration is derived from it. */
  static forRoot(settings: DynamicModule, database: DataSourceOptions): DynamicModule {
    return {
      module: CustomAppModule,
      imports: [
        settings,
        TypeOrmModule.forRoot({ ...database, name: CUSTOMAPP_DATA_SOURCE, entities: CUSTOMAPP_ENTITIES }),
        TypeOrmModule.forFeature(CUSTOMAPP_ENTITIES, CUSTOMAPP_DATA_SOURCE),
      ],
      controllers: [CustomAppController, SettingsController],
      providers: [
        {
          provide: CUSTOMAPP_CONFIG,
          inject: [ConfigService],
          useFactory: (config: SampleConfigService) => customAppConfig(config.get('sample', { infer: true })),
        },
        CustomAppSettings,
        ShiftClient,
        ConnectionsService,
        OAuthCallbackHandler,
      ],
      exports: [CustomAppSettings],
    };
  }
}
