// The snippet of docs/guide/security.md, compiled with the rest of the project (strict) and checked
// against the page by test/docs-snippets.e2e-spec.ts.
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './getting-started-app/src/app.module';

export async function bootstrap() {
  // #region body-limits
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  app.useBodyParser('urlencoded', { limit: '16kb', parameterLimit: 50 });
  app.useBodyParser('json', { limit: '16kb' });
  // #endregion body-limits
  return app;
}
