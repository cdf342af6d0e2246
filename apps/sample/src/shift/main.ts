import 'reflect-metadata';
import { dataSourceOptionsFromUrl } from '../database/database-url';
import { ConfigService } from '@nestjs/config';
import type { SampleConfigService } from '../sample-config';
import { stopOnSignal } from '../stop-on-signal';
import { listenOn } from '../web/http-platform';
import { createShiftApp } from './shift.app';

/**
 * `npm run start:shift`: SHIFT alone, without CustomApp — one instance of as many as share a
 * PostgreSQL database behind a load balancer. Same settings as `npm start`; every instance needs the
 * same SESSION_SECRET and OAUTH_SECRET.
 */
async function main(): Promise<void> {
  const shift = await createShiftApp({}, dataSourceOptionsFromUrl());
  const config = shift.get<SampleConfigService>(ConfigService).get('sample', { infer: true });
  await listenOn(shift, config.shiftPort, config.host);
  // PORT=0 picks a free port: say which one.
  const { port } = shift.getHttpServer().address() as { port: number };
  process.stdout.write(`SHIFT listening on port ${port}, issuer ${config.issuer}\n`);
  stopOnSignal(() => shift.close());
}

main().catch((err: unknown) => {
  console.error(`SHIFT could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
