import 'reflect-metadata';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BearerGuard, ClientRegistry, OAuthAuthorization, OAuthModule, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from 'nest-oauth2-provider/typeorm';

@Controller('api')
class ReportsController {
  @Get('reports')
  @UseGuards(BearerGuard)
  @Scopes('reports:read')
  list(@OAuthAuthorization() auth: ResourceAuthorization): { client: string; scopes: readonly string[] } {
    return { client: auth.clientId, scopes: auth.scopes };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.DB_FILE!,
      entities: [...OAUTH_ENTITIES],
      migrations: [...OAUTH_MIGRATIONS],
      migrationsRun: true,
    }),
    OAuthModule.forRoot({ issuer: 'http://127.0.0.1', scopes: { 'reports:read': 'Read your reports' } }),
  ],
  controllers: [ReportsController],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  // A client registered beforehand with the package's CLI, or one registered here.
  const { CLIENT_ID, CLIENT_SECRET } = process.env;
  const { client, clientSecret } =
    CLIENT_ID && CLIENT_SECRET
      ? { client: { id: CLIENT_ID }, clientSecret: CLIENT_SECRET }
      : await app.get(ClientRegistry).register({ name: 'Reports job', grantTypes: ['client_credentials'], scopes: ['reports:read'] });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=reports%3Aread',
  });
  const issued = (await token.json()) as { access_token: string };
  const reports = await fetch(`${base}/api/reports`, { headers: { authorization: `Bearer ${issued.access_token}` } });
  const denied = await fetch(`${base}/api/reports`);
  console.log(
    JSON.stringify({
      token: token.status,
      reports: reports.status,
      body: await reports.json(),
      denied: denied.status,
      challenge: denied.headers.get('www-authenticate'),
    }),
  );
  await app.close();
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
