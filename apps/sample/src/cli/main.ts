import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ClientRegistrationError, ClientRegistry, ClientStore, CodeStore, TokenStore } from 'nest-oauth2-provider';
import { dataSourceOptionsFromUrl } from '../database/database-url';
import { validateSampleEnv } from '../sample-config';
import { parseCli, USAGE, UsageError, type CliArgs } from './cli-args';
import {
  createClient,
  deleteClient,
  listClients,
  purgeTokens,
  registrationFrom,
  rotateSecret,
  showClient,
  validateRegistration,
  type CliServices,
  type CommandResult,
} from './client-commands';
import { CliModule } from './cli.module';

/** The admin CLI: `npm run --silent oauth -- clients create …` (see USAGE). */
async function run(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Check a registration before opening the database, so bad input writes nothing at all.
  const registration = args.command === 'clients create' ? registrationFrom(args) : undefined;
  if (registration) await validateRegistration(registration);

  const sample = validateSampleEnv(process.env).sample;
  const context = await NestFactory.createApplicationContext(
    CliModule.forRoot(dataSourceOptionsFromUrl(), sample.issuer, sample.filesUrl),
    {
      logger: false,
      abortOnError: false,
    },
  );
  try {
    const services: CliServices = {
      registry: context.get(ClientRegistry),
      clients: context.get(ClientStore),
      tokens: context.get(TokenStore),
      codes: context.get(CodeStore),
    };
    const result = await dispatch(args, services, registration);
    process.stdout.write(`${result.output}\n`);
    return result.exitCode ?? 0;
  } finally {
    await context.close();
  }
}

function dispatch(
  args: CliArgs,
  services: CliServices,
  registration: ReturnType<typeof registrationFrom> | undefined,
): Promise<CommandResult> {
  const json = args.values.json ?? false;
  const [id] = args.positionals;
  switch (args.command) {
    case 'clients create':
      return createClient(services, registration!, json);
    case 'clients list':
      return listClients(services, json);
    case 'clients show':
      return showClient(services, id, json);
    case 'clients delete':
      return deleteClient(services, id, json);
    case 'clients rotate-secret':
      return rotateSecret(services, id, json);
    default:
      return purgeTokens(services, json);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // One line, no stack: a usage mistake or a refused registration exits 2, anything else 1.
    const usage = err instanceof UsageError || err instanceof ClientRegistrationError;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`error: ${message.split('\n').join(' ')}`);
    process.exitCode = usage ? 2 : 1;
  },
);
