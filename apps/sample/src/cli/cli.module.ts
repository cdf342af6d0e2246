import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from 'nest-oauth2-provider';
import type { DataSourceOptions } from 'typeorm';
import { openDataSource } from '../database/open-data-source';
import { SHIFT_OAUTH_PREFIX, shiftOAuthOptions } from '../shift/shift-oauth.options';

/** The admin CLI's application context: the database and SHIFT's OAuth settings, no HTTP server. */
@Module({})
export class CliModule {
  static forRoot(database: DataSourceOptions, issuer: string, filesUrl: string): DynamicModule {
    return {
      module: CliModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...database, retryAttempts: 0 }),
          dataSourceFactory: (options) => openDataSource(options!),
        }),
        OAuthModule.forRoot({ ...shiftOAuthOptions(issuer, filesUrl), purgeInterval: false, prefix: SHIFT_OAUTH_PREFIX }),
      ],
    };
  }
}
