import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(
    session({
      secret: process.env.SESSION_SECRET!, // a long random value, the same on every instance
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: process.env.NODE_ENV === 'production' },
      // store: in production, a shared store (Redis, your database); the default keeps sessions in memory
    }),
  );
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();
