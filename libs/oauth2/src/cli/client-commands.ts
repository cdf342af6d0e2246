import { ClientRegistry, type ClientRegistration } from '../core/client-registry';
import { SystemClock } from '../core/clock';
import { sectorDocumentFetchSettings } from '../core/openid/sector-identifier';
import type { ApplicationType, GrantType, OAuthClient, SigningAlgorithm, SubjectType } from '../stores/models';
import type { ClientStore } from '../stores/client.store';
import type { CodeStore } from '../stores/code.store';
import type { TokenStore } from '../stores/token.store';
import { InMemoryClientStore } from '../stores/memory/in-memory-client.store';
import { listOption, UsageError, type CliArgs } from './cli-args';
import type { CliSettings } from './cli-config';

/** What the commands use: the registry and the stores on the host's database. */
export interface CliServices {
  registry: ClientRegistry;
  clients: ClientStore;
  tokens: TokenStore;
  codes: CodeStore;
  /** Seconds consumed authorization codes are kept (the server's `consumedCodeRetention`). */
  consumedCodeRetention: number;
}

/** The registry over `clients`, validating against the server's scopes, resources and OpenID Connect settings. */
export function registryFor(clients: ClientStore, settings: CliSettings): ClientRegistry {
  return new ClientRegistry({
    clients,
    clock: new SystemClock(),
    knownScopes: settings.scopes,
    knownResources: settings.resources,
    openid: settings.openid,
    sectorDocuments: sectorDocumentFetchSettings(settings.clientIdMetadataDocuments),
  });
}

/** A command's result: what to print on stdout, and the exit code. */
export interface CommandResult {
  output: string;
  exitCode?: number;
}

/** The registration `clients create` asks for (before any database access). */
export function registrationFrom(args: CliArgs): ClientRegistration {
  const { values } = args;
  if (!values.name?.trim()) throw new UsageError('--name is required');
  return {
    name: values.name,
    redirectUris: values['redirect-uri'] ?? [],
    scopes: listOption(values.scope),
    grantTypes: listOption(values['grant-types']) as GrantType[] | undefined,
    public: values.public ?? false,
    // Checked by the registry with every other field, so a bad value is refused before the database opens.
    applicationType: values['application-type'] as ApplicationType | undefined,
    canIntrospect: values.introspect ?? false,
    // Taken as given: a URI may hold a comma, so unlike scopes these are never split.
    resources: values.resource ?? null,
    defaultResource: values['default-resource'] ?? null,
    // Checked by the registry against the server's openid settings, like every other field.
    postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? null,
    subjectType: (values['subject-type'] ?? null) as SubjectType | null,
    sectorIdentifierUri: values['sector-identifier-uri'] ?? null,
    idTokenSignedResponseAlg: (values['id-token-signed-response-alg'] ?? null) as SigningAlgorithm | null,
  };
}

/**
 * Runs the registration against an in-memory store first, so bad input is refused before the
 * database is even opened (nothing is written, not even a new SQLite file).
 */
export async function validateRegistration(registration: ClientRegistration, settings: CliSettings): Promise<void> {
  await registryFor(new InMemoryClientStore(), settings).register(registration);
}

/** The client as the CLI shows it: never the secret hash. */
function describe(client: OAuthClient) {
  return {
    client_id: client.id,
    name: client.name,
    type: client.secretHash === null ? 'public' : 'confidential',
    application_type: client.applicationType,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    scopes: client.scopes,
    can_introspect: client.canIntrospect,
    resources: client.resources,
    default_resource: client.defaultResource,
    ...(client.postLogoutRedirectUris ? { post_logout_redirect_uris: client.postLogoutRedirectUris } : {}),
    ...(client.subjectType ? { subject_type: client.subjectType } : {}),
    ...(client.sectorIdentifierUri ? { sector_identifier_uri: client.sectorIdentifierUri } : {}),
    ...(client.idTokenSignedResponseAlg ? { id_token_signed_response_alg: client.idTokenSignedResponseAlg } : {}),
    created_at: client.createdAt.toISOString(),
  };
}

function details(client: OAuthClient): string[] {
  const d = describe(client);
  return [
    `  client_id:        ${d.client_id}`,
    `  name:           ${d.name}`,
    `  type:             ${d.type}`,
    `  application type: ${d.application_type}`,
    `  redirect URIs:    ${d.redirect_uris.join(', ') || '(none)'}`,
    `  grant types:      ${d.grant_types.join(', ')}`,
    `  scopes:           ${d.scopes.join(' ') || '(none)'}`,
    `  introspection:    ${d.can_introspect ? 'allowed' : 'not allowed'}`,
    `  resources:        ${d.resources ? d.resources.join(', ') || '(none)' : '(every configured resource)'}`,
    `  default resource: ${d.default_resource ?? "(the server's)"}`,
    ...(d.post_logout_redirect_uris ? [`  post-logout URIs: ${d.post_logout_redirect_uris.join(', ')}`] : []),
    ...(d.subject_type ? [`  subject type:     ${d.subject_type}`] : []),
    ...(d.sector_identifier_uri ? [`  sector URI:       ${d.sector_identifier_uri}`] : []),
    ...(d.id_token_signed_response_alg ? [`  ID token alg:     ${d.id_token_signed_response_alg}`] : []),
    `  created:          ${d.created_at}`,
  ];
}

/** The client's lines with the secret right below the id, and the warning that it is shown only once. */
function withSecret(client: OAuthClient, secret: string | undefined): string[] {
  const [idLine, ...rest] = details(client);
  if (!secret) return [idLine, ...rest, '', 'A public client has no secret: it must use PKCE.'];
  return [
    idLine,
    `  client_secret:    ${secret}`,
    ...rest,
    '',
    'The client secret is shown only once: store it now. The server keeps only a hash of it.',
  ];
}

/** `clients create` */
export async function createClient(services: CliServices, registration: ClientRegistration, json: boolean): Promise<CommandResult> {
  const { client, clientSecret } = await services.registry.register(registration);
  if (json) return { output: JSON.stringify({ client_id: client.id, ...(clientSecret ? { client_secret: clientSecret } : {}) }) };
  return { output: [`Registered client "${client.name}"`, ...withSecret(client, clientSecret)].join('\n') };
}

/** `clients list` */
export async function listClients(services: CliServices, json: boolean): Promise<CommandResult> {
  const clients = await services.clients.list();
  if (json) return { output: JSON.stringify(clients.map(describe)) };
  if (!clients.length) return { output: 'No clients registered.' };
  const rows = clients.map((c) => [
    c.id,
    c.name,
    c.secretHash === null ? 'public' : 'confidential',
    c.applicationType,
    c.grantTypes.join(','),
    c.redirectUris.join(' '),
  ]);
  const header = ['CLIENT ID', 'NAME', 'TYPE', 'APPLICATION TYPE', 'GRANT TYPES', 'REDIRECT URIS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return { output: [line(header), ...rows.map(line)].join('\n') };
}

async function existing(services: CliServices, id: string): Promise<OAuthClient> {
  const client = await services.clients.findById(id);
  if (!client) throw new UsageError(`client "${id}" does not exist`);
  return client;
}

/** `clients show ID` */
export async function showClient(services: CliServices, id: string, json: boolean): Promise<CommandResult> {
  const client = await existing(services, id);
  return { output: json ? JSON.stringify(describe(client)) : [`Client "${client.name}"`, ...details(client)].join('\n') };
}

/** `clients delete ID` */
export async function deleteClient(services: CliServices, id: string, json: boolean): Promise<CommandResult> {
  const client = await existing(services, id);
  await services.clients.delete(id);
  return { output: json ? JSON.stringify({ deleted: id }) : `Deleted client "${client.name}" (${id}); its tokens no longer work.` };
}

/** `clients rotate-secret ID [--overlap SECONDS]` */
export async function rotateSecret(services: CliServices, id: string, overlap: number, json: boolean): Promise<CommandResult> {
  await existing(services, id);
  const { client, clientSecret } = await services.registry.rotateSecret(id, { overlap });
  const until = client.previousSecretExpiresAt;
  if (json) {
    return {
      output: JSON.stringify({
        client_id: client.id,
        client_secret: clientSecret,
        previous_secret_expires_at: until ? Math.floor(until.getTime() / 1000) : 0,
      }),
    };
  }
  const old = until ? `the old one works until ${until.toISOString()}` : 'the old one no longer works';
  return { output: [`New secret for "${client.name}"; ${old}.`, ...withSecret(client, clientSecret)].join('\n') };
}

/**
 * `tokens purge`: deletes expired tokens and codes, in batches, until none is left. Consumed codes
 * stay for the server's retention window, as the scheduled purge keeps them.
 */
export async function purgeTokens(services: CliServices, json: boolean): Promise<CommandResult> {
  const now = new Date();
  const keepConsumedSince = new Date(now.getTime() - services.consumedCodeRetention * 1000);
  const batch = 1000;
  let tokens = 0;
  let codes = 0;
  for (let n = batch; n === batch; tokens += n) n = await services.tokens.purgeExpired(now, batch);
  for (let n = batch; n === batch; codes += n) n = await services.codes.purgeExpired(now, batch, keepConsumedSince);
  return {
    output: json ? JSON.stringify({ tokens, codes }) : `Deleted ${tokens} expired token(s) and ${codes} expired authorization code(s).`,
  };
}
