import type { ClientUpdate, GrantType, OAuthClient } from 'nest-oauth2-provider';

/** The grant types a developer may pick, in words. */
export const GRANT_CHOICES: readonly { value: GrantType; label: string }[] = [
  { value: 'authorization_code', label: 'Authorization code (users sign in with SHIFT)' },
  { value: 'refresh_token', label: 'Refresh token (stay connected)' },
  { value: 'client_credentials', label: 'Client credentials (your server acts as itself; confidential apps only)' },
];

const MAX_NAME = 100;
const MAX_REDIRECT_URIS = 10;

/** The "Register an app" / "Edit" form as posted, every field a string (checkboxes: a list), for re-rendering. */
export interface AppForm {
  name: string;
  clientUri: string;
  logoUri: string;
  description: string;
  /** One redirect URI per line. */
  redirectUris: string;
  /** Where SHIFT may send users back after signing them out at the app's request (OpenID Connect RP-Initiated Logout), one per line. */
  postLogoutRedirectUris: string;
  kind: 'confidential' | 'public';
  grantTypes: string[];
}

/** The form a new app starts from: a confidential web app signing users in. */
export function emptyAppForm(): AppForm {
  return {
    name: '',
    clientUri: '',
    logoUri: '',
    description: '',
    redirectUris: '',
    postLogoutRedirectUris: '',
    kind: 'confidential',
    grantTypes: ['authorization_code', 'refresh_token'],
  };
}

/** The form filled from a registered client, for its edit page. */
export function appFormOf(client: OAuthClient): AppForm {
  return {
    name: client.name,
    clientUri: client.clientUri ?? '',
    logoUri: client.logoUri ?? '',
    description: client.description ?? '',
    redirectUris: client.redirectUris.join('\n'),
    postLogoutRedirectUris: (client.postLogoutRedirectUris ?? []).join('\n'),
    kind: client.secretHash === null ? 'public' : 'confidential',
    grantTypes: [...client.grantTypes],
  };
}

/** The posted body as an `AppForm`: anything that is not a string (or a list of them) reads as empty. */
export function readAppForm(body: Record<string, unknown> | undefined): AppForm {
  const text = (name: string) => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
  const raw = body?.grant_types;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return {
    name: text('name'),
    clientUri: text('client_uri'),
    logoUri: text('logo_uri'),
    description: text('description'),
    redirectUris: text('redirect_uris'),
    postLogoutRedirectUris: text('post_logout_redirect_uris'),
    kind: text('kind') === 'public' ? 'public' : 'confidential',
    grantTypes: list.filter((g): g is string => typeof g === 'string'),
  };
}

/**
 * The registry's input for `form`, and the problems only the portal checks (the registry checks
 * the rest and lists them all): a name short enough for a consent page, a bounded list of URIs.
 */
export function appChanges(form: AppForm): {
  changes: Required<Pick<ClientUpdate, 'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'grantTypes'>> & ClientUpdate;
  problems: string[];
} {
  const problems: string[] = [];
  const name = form.name.trim();
  if (name.length > MAX_NAME) problems.push(`name: must be at most ${MAX_NAME} characters`);
  const redirectUris = lines(form.redirectUris);
  if (redirectUris.length > MAX_REDIRECT_URIS) problems.push(`redirect URIs: at most ${MAX_REDIRECT_URIS}, one per line`);
  const postLogoutRedirectUris = lines(form.postLogoutRedirectUris);
  if (postLogoutRedirectUris.length > MAX_REDIRECT_URIS) {
    problems.push(`post-logout redirect URIs: at most ${MAX_REDIRECT_URIS}, one per line`);
  }
  if (!form.grantTypes.length) problems.push('grant types: pick at least one');
  const optional = (value: string) => value.trim() || null;
  return {
    changes: {
      name,
      redirectUris: [...new Set(redirectUris)],
      postLogoutRedirectUris: [...new Set(postLogoutRedirectUris)],
      grantTypes: form.grantTypes as GrantType[],
      clientUri: optional(form.clientUri),
      logoUri: optional(form.logoUri),
      description: optional(form.description),
    },
    problems,
  };
}

/** The non-blank lines of a textarea, trimmed. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}
