#!/usr/bin/env node
import 'reflect-metadata';
import { ClientRegistrationError } from '../core/client-registry';
import { MissingKeyEncryptionKeyError } from '../core/keys/key-encryption-key';
import type { JwtSettings } from '../core/server-settings';
import { expiresInOf, overlapOf, parseCli, USAGE, UsageError, type CliArgs } from './cli-args';
import { loadSettings } from './cli-config';
import {
  createClient,
  deleteClient,
  listClients,
  purgeTokens,
  registrationFrom,
  registryFor,
  rotateSecret,
  showClient,
  validateRegistration,
  type CliServices,
  type CommandResult,
} from './client-commands';
import type { OpenDatabase } from './cli-database';
import { cliKeyEncryptionKey, jwtSettingsOf, listKeys, rotateKeys, signingKeysFor } from './key-commands';
import { createRegistrationToken, listRegistrationTokens, revokeRegistrationToken } from './registration-token-commands';

/** The admin CLI, the package's `nest-oauth2` bin (see USAGE). */
async function run(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const needsSettings = args.command === 'clients create' || args.command === 'keys rotate';
  const settings = await loadSettings(args.values.config ?? process.env.NEST_OAUTH2_CONFIG, needsSettings ? args.command : undefined);
  // Check a registration before opening the database, so bad input writes nothing at all.
  const registration = args.command === 'clients create' ? registrationFrom(args) : undefined;
  if (registration) await validateRegistration(registration, settings);
  const jwt = args.command === 'keys rotate' ? jwtSettingsOf(settings) : undefined;
  const expiresIn = args.command === 'registration-tokens create' ? expiresInOf(args.values['expires-in']) : undefined;

  const { openDatabase } = await loadDatabaseSupport();
  const database = await openDatabase({
    dataSourceFile: args.values['data-source'],
    url: process.env.DATABASE_URL,
    migrate: args.values.migrate ?? false,
    signingKeys: args.command.startsWith('keys '),
  });
  try {
    const services: CliServices = {
      registry: registryFor(database.clients, settings),
      clients: database.clients,
      tokens: database.tokens,
      codes: database.codes,
      consumedCodeRetention: settings.consumedCodeRetention,
    };
    const json = args.values.json ?? false;
    const result =
      jwt || args.command === 'keys list'
        ? await keyCommand(database, jwt, json)
        : args.command.startsWith('registration-tokens ')
          ? await registrationTokenCommand(database, args, expiresIn)
          : await dispatch(args, services, registration);
    process.stdout.write(`${result.output}\n`);
    return result.exitCode ?? 0;
  } finally {
    await database.close();
  }
}

/** `keys list` (no settings needed), or `keys rotate` with the server's JWT settings. */
function keyCommand(database: OpenDatabase, jwt: JwtSettings | undefined, json: boolean): Promise<CommandResult> {
  // openDatabase refuses a data source without the signing key entity for the key commands.
  const store = database.signingKeys!;
  if (!jwt) return listKeys(store, json);
  const kek = cliKeyEncryptionKey(jwt, database.keyEncryptionKeyFile, process.env.NODE_ENV === 'production');
  return rotateKeys(store, signingKeysFor(store, jwt, kek), kek, json);
}

/** `registration-tokens create`, `list` or `revoke ID`: initial access tokens for dynamic registration (RFC 7591 §3). */
function registrationTokenCommand(database: OpenDatabase, args: CliArgs, expiresIn: number | undefined): Promise<CommandResult> {
  const services = { tokens: database.tokens, list: () => database.listInitialAccessTokens() };
  const json = args.values.json ?? false;
  if (args.command === 'registration-tokens create') return createRegistrationToken(services, expiresIn, json);
  if (args.command === 'registration-tokens list') return listRegistrationTokens(services, json);
  return revokeRegistrationToken(services, args.positionals[0], json);
}

/** TypeORM and @nestjs/typeorm are optional peers: loaded only here, with the package to install when missing. */
async function loadDatabaseSupport(): Promise<typeof import('./cli-database.js')> {
  try {
    return await import('./cli-database.js');
  } catch (err) {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec((err as Error).message)?.[1];
    if (missing) throw new Error(`the CLI needs the "${missing}" package beside nest-oauth2-provider: npm install ${missing}`);
    throw err;
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
      return rotateSecret(services, id, overlapOf(args.values.overlap), json);
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
    const usage = err instanceof UsageError || err instanceof ClientRegistrationError || err instanceof MissingKeyEncryptionKeyError;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`error: ${message.split('\n').join(' ')}`);
    process.exitCode = usage ? 2 : 1;
  },
);
