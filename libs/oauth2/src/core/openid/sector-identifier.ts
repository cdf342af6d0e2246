/**
 * Sector identifiers of pairwise clients (OpenID Connect Core §8.1, OpenID Connect Registration §5):
 * - a pairwise client's sector is the host of its `sector_identifier_uri`, or else the host of its
 *   redirect URIs (see `subject.ts`); redirect URIs on more than one host give no single sector, so
 *   such a client must register a `sector_identifier_uri`;
 * - a `sector_identifier_uri` is an https URL whose document is a JSON array of redirect URIs that
 *   must list every redirect URI of the client: the host's owner vouches that they share the sector;
 * - the document is fetched when the client is registered or its sector or redirect URIs change,
 *   never per request, with the request-forgery rules of Client ID Metadata Documents
 *   (`document-fetcher.ts`: https only, checked and pinned addresses, no redirects, bounded size and time).
 */
import { AddressPolicy } from '../client-metadata/address-policy';
import type { ClientIdMetadataSettings } from '../client-metadata/client-id-metadata-settings';
import { ClientMetadataDocumentError, fetchJsonDocument, type DocumentFetchSettings } from '../client-metadata/document-fetcher';
import { sectorIdentifier } from './subject';

/** The largest sector identifier document accepted: a list of redirect URIs, possibly of many clients. */
export const SECTOR_DOCUMENT_MAX_BYTES = 64 * 1024;
/** Milliseconds a sector identifier fetch may take when no Client ID Metadata Document settings say otherwise. */
const DEFAULT_TIMEOUT = 5000;

/**
 * How sector identifier documents are fetched: with the address allow-list, resolver, CAs and
 * timeout of Client ID Metadata Documents when those are on (an intranet allowed for one is allowed
 * for the other), else public addresses only, the system's resolver and CAs.
 */
export function sectorDocumentFetchSettings(documents: ClientIdMetadataSettings | undefined): DocumentFetchSettings {
  return {
    addresses: new AddressPolicy(documents?.allowedAddresses ?? []),
    timeout: documents?.timeout ?? DEFAULT_TIMEOUT,
    maxBytes: SECTOR_DOCUMENT_MAX_BYTES,
    ...(documents?.lookup ? { lookup: documents.lookup } : {}),
    ...(documents?.ca ? { ca: documents.ca } : {}),
  };
}

/** The distinct pairwise sectors the redirect URIs fall in, as `subject.ts` computes a sector. */
export function redirectUriSectors(redirectUris: readonly string[]): string[] {
  const sectors = redirectUris.map((uri) => sectorIdentifier({ subjectType: 'pairwise', redirectUris: [uri] }));
  return [...new Set(sectors.filter((sector): sector is string => sector !== undefined))];
}

/**
 * Why the document at `uri` does not vouch for `redirectUris` (OpenID Connect Registration section 5), or
 * undefined when it lists every one. Never throws: a fetch that fails is a reason too.
 */
export async function sectorDocumentProblem(
  uri: string,
  redirectUris: readonly string[],
  fetch: DocumentFetchSettings,
): Promise<string | undefined> {
  let body: unknown;
  try {
    ({ body } = await fetchJsonDocument(new URL(uri), fetch));
  } catch (error) {
    if (!(error instanceof ClientMetadataDocumentError)) throw error;
    return `sector_identifier_uri "${uri}" could not be fetched: ${error.message}`;
  }
  if (!Array.isArray(body) || !body.every((item) => typeof item === 'string')) {
    return `sector_identifier_uri "${uri}" must return a JSON array of redirect URIs (OpenID Connect Registration section 5)`;
  }
  const missing = redirectUris.filter((redirect) => !body.includes(redirect));
  if (!missing.length) return undefined;
  return `sector_identifier_uri "${uri}" does not list the redirect URI${missing.length > 1 ? 's' : ''} ${missing
    .map((m) => JSON.stringify(m))
    .join(', ')} (OpenID Connect Registration section 5)`;
}
