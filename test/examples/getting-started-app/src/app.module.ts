import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthModule } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';
import { AppInteraction } from './app.interaction';
import { LoginController } from './login.controller';
import { oauthOptions } from './oauth-options';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3', // or 'postgres' / 'mysql' with a url
      database: 'app.sqlite',
      entities: [...OAUTH_ENTITIES], // and your own entities
      migrations: [...OAUTH_MIGRATIONS], // and your own migrations
      migrationsRun: true,
    }),
    OAuthModule.forRoot({ ...oauthOptions, interaction: AppInteraction }),
  ],
  controllers: [LoginController, UsersController],
  providers: [UsersService],
})
export class AppModule {}
