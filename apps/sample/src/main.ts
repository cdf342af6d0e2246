import 'reflect-metadata';
import { startSample } from './sample';
import { stopOnSignal } from './stop-on-signal';

const PLATFORM_NAMES = { express: 'Express', fastify: 'Fastify' };

/** `npm start`: SHIFT on PORT (3000), CustomApp on CUSTOMAPP_PORT (3001) and SHIFT Files on FILES_PORT (3002), in one process. */
async function main(): Promise<void> {
  const sample = await startSample();
  const { config } = sample;
  const registration = {
    registered: 'registered CustomApp at SHIFT (credentials kept in CustomApp’s own table)',
    reused: 'CustomApp’s registration at SHIFT reused',
    updated: 'CustomApp’s registration at SHIFT updated',
    environment: 'CustomApp uses CUSTOMAPP_CLIENT_ID / CUSTOMAPP_CLIENT_SECRET',
    settings: 'CustomApp uses the app registered in SHIFT’s developer portal (its settings page)',
  }[sample.provisioned];
  process.stdout.write(
    [
      '',
      `  SHIFT      ${config.issuer}   (demo user: nate, password in the README)`,
      `  CustomApp  ${config.customAppUrl}   ← open this and click "Log in with SHIFT"`,
      `  SHIFT Files ${config.filesUrl}  (an API on its own host; it accepts only tokens minted for it)`,
      `  ${registration}; access tokens last ${config.accessTokenTtl} s; served by ${PLATFORM_NAMES[config.httpAdapter]}`,
      '',
      '',
    ].join('\n'),
  );
  stopOnSignal(() => sample.close());
}

main().catch((err: unknown) => {
  console.error(`The sample could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
