import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from 'nest-oauth2-provider';
import type { DataSourceOptions } from 'typeorm';
import { openDataSource } from '../database/open-data-source';
import { ShiftSession } from '../database/session.entities';
import type { SampleConfigService } from '../sample-config';
import { ConnectedAppsController } from './account/connected-apps.controller';
import { HomeController } from './account/home.controller';
import { DeveloperAppsController } from './developer/developer-apps.controller';
import { DeveloperAppsService } from './developer/developer-apps.service';
import { TeamsApiController } from './api/teams-api.controller';
import { UsersApiController } from './api/users-api.controller';
import { LoginController } from './auth/login.controller';
import { ShiftInteraction } from './auth/shift-interaction';
import { mcpController } from './mcp/mcp.controller';
import { McpBearerGuard } from './mcp/mcp-challenges';
import { mcpResource, SHIFT_OAUTH_PREFIX, shiftOAuthOptions } from './shift-oauth.options';
import { ShiftClaims } from './users/shift-claims';
import { UsersModule } from './users/users.module';

/** SHIFT: the OAuth authorization server, its users and their API. */
@Module({})
export class ShiftModule {
  /**
   * `settings` is the awaited `sampleConfigModule()`: every provider reads the validated settings from
   * `ConfigService`. `issuer` is among them, needed here already: the MCP controller is declared for its resource.
   */
  static forRoot(settings: DynamicModule, database: DataSourceOptions, issuer: string): DynamicModule {
    const mcp = mcpResource(issuer);
    return {
      module: ShiftModule,
      imports: [
        settings,
        // Migrations run under a database lock, so instances may start at once (open-data-source.ts).
        TypeOrmModule.forRootAsync({ useFactory: () => database, dataSourceFactory: (options) => openDataSource(options!) }),
        TypeOrmModule.forFeature([ShiftSession]),
        UsersModule,
        // ShiftInteraction and ShiftClaims are provided below, so they inject UsersService from this module; the factory
        // only reads the validated settings (the config module is global).
        OAuthModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (settings: SampleConfigService) => {
            const config = settings.get('sample', { infer: true });
            return {
              ...shiftOAuthOptions(config),
              secret: config.secret,
              refreshTokenGracePeriod: config.refreshTokenGracePeriod,
            };
          },
          prefix: SHIFT_OAUTH_PREFIX,
          interaction: ShiftInteraction,
          claims: ShiftClaims,
        }),
      ],
      controllers: [
        HomeController,
        LoginController,
        ConnectedAppsController,
        DeveloperAppsController,
        UsersApiController,
        TeamsApiController,
        mcpController(mcp),
      ],
      providers: [ShiftInteraction, ShiftClaims, DeveloperAppsService, McpBearerGuard],
    };
  }
}
