import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { CUSTOMAPP_ENTITIES } from '../database/sample-schema';
import { ConnectionsService } from './connections.service';
import { CustomAppController } from './customapp.controller';
import { CUSTOMAPP_CONFIG, CUSTOMAPP_DATA_SOURCE, type CustomAppConfig } from './customapp.config';
import { OAuthCallbackHandler } from './oauth-callback.handler';
import { ShiftClient } from './shift-api/shift-client';
import { CustomAppSettings } from './storage/customapp-settings.service';

/**
 * CustomApp, the third-party app: it knows SHIFT only by its public URL and its own client
 * credentials, and uses only its own tables.
 */
@Module({})
export class CustomAppModule {
  static forRoot(config: CustomAppConfig, database: DataSourceOptions): DynamicModule {
    return {
      module: CustomAppModule,
      imports: [
        TypeOrmModule.forRoot({ ...database, name: CUSTOMAPP_DATA_SOURCE, entities: CUSTOMAPP_ENTITIES }),
        TypeOrmModule.forFeature(CUSTOMAPP_ENTITIES, CUSTOMAPP_DATA_SOURCE),
      ],
      controllers: [CustomAppController],
      providers: [
        { provide: CUSTOMAPP_CONFIG, useValue: config },
        CustomAppSettings,
        ShiftClient,
        ConnectionsService,
        OAuthCallbackHandler,
      ],
      exports: [CustomAppSettings],
    };
  }
}
