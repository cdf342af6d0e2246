import 'reflect-metadata';
import { validateSampleEnv } from '../sample-config';
import { stopOnSignal } from '../stop-on-signal';
import { createFilesApp } from './files.app';

/**
 * `npm run start:files`: SHIFT Files alone, on another host than SHIFT. It needs only SHIFT's issuer
 * (`OAUTH_ISSUER`): it verifies its JWT access tokens with SHIFT's published keys.
 */
async function main(): Promise<void> {
  const config = validateSampleEnv(process.env).sample;
  const files = await createFilesApp(config);
  await (config.host ? files.listen(config.filesPort, config.host) : files.listen(config.filesPort));
  const { port } = files.getHttpServer().address() as { port: number };
  process.stdout.write(`SHIFT Files listening on port ${port}, trusting tokens from ${config.issuer}\n`);
  stopOnSignal(() => files.close());
}

main().catch((err: unknown) => {
  console.error(`SHIFT Files could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
