import 'reflect-metadata';
import { validateSampleEnv } from '../sample-config';
import { stopOnSignal } from '../stop-on-signal';
import { listenOn } from '../web/http-platform';
import { createFilesApp } from './files.app';

/**
 * `npm run start:files`: SHIFT Files alone, on another host than SHIFT. It needs a SHIFT client allowed
 * to introspect, e.g. `npm run --silent oauth -- clients create --name "SHIFT Files" --introspect
 * --grant-types "" --json`, passed as FILES_CLIENT_ID and FILES_CLIENT_SECRET.
 */
async function main(): Promise<void> {
  const config = validateSampleEnv(process.env).sample;
  if (!config.filesCredentials) {
    throw new Error('set FILES_CLIENT_ID and FILES_CLIENT_SECRET to a SHIFT client allowed to introspect (see the README)');
  }
  const files = await createFilesApp(config, config.filesCredentials);
  await listenOn(files, config.filesPort, config.host);
  const { port } = files.getHttpServer().address() as { port: number };
  process.stdout.write(`SHIFT Files listening on port ${port}, trusting tokens from ${config.issuer}\n`);
  stopOnSignal(() => files.close());
}

main().catch((err: unknown) => {
  console.error(`SHIFT Files could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
