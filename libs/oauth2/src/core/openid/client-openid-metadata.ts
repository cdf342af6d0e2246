/**
 * The OpenID Connect metadata of a client, checked wherever the client comes from (the rules that
 * need no fetch; the sector identifier document is `sector-identifier.ts`):
 * - `id_token_signed_response_alg` (OpenID Connect Registration §2): one of the server's ID token
 *   algorithms. `none` is refused (an unsigned ID token proves nothing) and so is `HS256`… (the MAC
 *   key would be the client's secret, which a public client lacks and the server only keeps hashed);
 * - `subject_type` (Core §8): `public` or `pairwise`, and only one the server offers;
 * - `sector_identifier_uri` (Registration §2): an https URL without a fragment; required for a
 *   pairwise client whose redirect URIs are on more than one host (Core §8.1);
 * - `post_logout_redirect_uris` (RP-Initiated Logout §3.1): the redirect URI rules, as-is.
 * With OpenID Connect off none of this means anything, so a client given any of it is refused rather
 * than stored unused (RFC 7591 registration ignores it instead: see `registration/client-metadata.ts`).
 */
import type { ApplicationType, OAuthClient, SigningAlgorithm, SubjectType } from '../../stores/models';
import { isHttpsUrl } from '../protocol/https-url';
import { redirectUriProblem } from '../protocol/redirect-uri';
import type { OpenIdSettings } from './openid-settings';
import { redirectUriSectors } from './sector-identifier';

/** What the client rules need of the server's OpenID Connect settings. @publicApi */
export type ClientOpenIdSettings = Pick<OpenIdSettings, 'idTokenSigningAlgorithms' | 'subjectTypes'>;

/** The OpenID Connect fields of a client being registered or updated (null = not set), as given. */
export interface OpenIdClientFields {
  redirectUris: readonly unknown[];
  applicationType: ApplicationType;
  idTokenSignedResponseAlg: string | null;
  subjectType: string | null;
  sectorIdentifierUri: string | null;
  postLogoutRedirectUris: string[] | null;
}

/** The OpenID Connect client metadata, by the name registration uses on the wire. */
const OPENID_FIELDS = [
  ['idTokenSignedResponseAlg', 'id_token_signed_response_alg'],
  ['subjectType', 'subject_type'],
  ['sectorIdentifierUri', 'sector_identifier_uri'],
  ['postLogoutRedirectUris', 'post_logout_redirect_uris'],
] as const;

/** Whitespace, a fragment or a control character: none belongs in a sector identifier URL. */
const NOT_IN_SECTOR_URI = /[\s#\x00-\x1f\x7f]/;

/** Every reason these OpenID Connect fields may not be stored; `openid` undefined = OpenID Connect is off. */
export function openIdMetadataProblems(fields: OpenIdClientFields, openid: ClientOpenIdSettings | undefined): string[] {
  const given = OPENID_FIELDS.filter(([field]) => fields[field] !== null).map(([, wire]) => wire);
  if (!openid) return given.length ? [`${given.join(', ')}: OpenID Connect is not enabled on this server`] : [];
  const { idTokenSignedResponseAlg: alg, subjectType, sectorIdentifierUri: sector, postLogoutRedirectUris: logout } = fields;
  const problems: string[] = [];
  const algorithms = openid.idTokenSigningAlgorithms.join(', ');
  if (alg !== null) {
    if (typeof alg !== 'string') problems.push('id_token_signed_response_alg must be a string');
    else if (alg === 'none')
      problems.push(`id_token_signed_response_alg "none" is refused: ID tokens are always signed here (use ${algorithms})`);
    else if (/^HS\d+$/i.test(alg)) {
      problems.push(
        `id_token_signed_response_alg "${alg}" is refused: ID tokens are signed with the server's keys, never a shared secret (use ${algorithms})`,
      );
    } else if (!(openid.idTokenSigningAlgorithms as readonly string[]).includes(alg)) {
      problems.push(`id_token_signed_response_alg ${JSON.stringify(alg)} is not supported (use ${algorithms})`);
    }
  }
  if (subjectType !== null) {
    if (subjectType !== 'public' && subjectType !== 'pairwise') {
      problems.push(`subject_type ${JSON.stringify(subjectType)} is not supported (use public or pairwise)`);
    } else if (!openid.subjectTypes.includes(subjectType)) {
      problems.push(`subject_type "${subjectType}" is not offered by this server (offered: ${openid.subjectTypes.join(', ')})`);
    }
  }
  if (sector !== null && (!isHttpsUrl(sector) || NOT_IN_SECTOR_URI.test(sector))) {
    problems.push(
      `sector_identifier_uri ${JSON.stringify(sector)} must be an https URL without a fragment (OpenID Connect Registration section 2)`,
    );
  }
  const redirects = fields.redirectUris.filter((uri): uri is string => typeof uri === 'string');
  if (subjectType === 'pairwise' && sector === null && redirectUriSectors(redirects).length > 1) {
    problems.push(
      'a pairwise client whose redirect URIs are on more than one host needs a sector_identifier_uri (OpenID Connect Core section 8.1)',
    );
  }
  if (logout !== null && !Array.isArray(logout)) problems.push('post_logout_redirect_uris must be a list of URIs');
  for (const uri of Array.isArray(logout) ? logout : []) {
    if (typeof uri !== 'string') {
      problems.push('each post-logout redirect URI must be a string');
      continue;
    }
    // The same rules as redirect URIs; the prefix keeps these apart from redirect URI problems (RFC 7591 §3.2.2).
    const problem = redirectUriProblem(uri, fields.applicationType);
    if (problem) problems.push(`post-logout ${problem}`);
  }
  return problems;
}

/** The OpenID Connect metadata to store, present only when set; an empty post-logout list is none. */
export function openIdMetadata(
  fields: OpenIdClientFields,
): Pick<OAuthClient, 'idTokenSignedResponseAlg' | 'subjectType' | 'sectorIdentifierUri' | 'postLogoutRedirectUris'> {
  return {
    ...(fields.idTokenSignedResponseAlg ? { idTokenSignedResponseAlg: fields.idTokenSignedResponseAlg as SigningAlgorithm } : {}),
    ...(fields.subjectType ? { subjectType: fields.subjectType as SubjectType } : {}),
    ...(fields.sectorIdentifierUri ? { sectorIdentifierUri: fields.sectorIdentifierUri } : {}),
    ...(fields.postLogoutRedirectUris?.length ? { postLogoutRedirectUris: [...new Set(fields.postLogoutRedirectUris)] } : {}),
  };
}
