/**
 * The form of a `client_id` that is the URL of a Client ID Metadata Document
 * (draft-ietf-oauth-client-id-metadata-document §3): an `https` URL with a path, no fragment, no
 * user name or password, and no `.` or `..` path segment. This server also asks for the URL's
 * normalized spelling (`new URL(id).href === id`: lower-case host, no default port), because the
 * identifier is compared as a plain string everywhere else (§4: the document's `client_id` must equal
 * it exactly), and two spellings of one URL would otherwise be two clients.
 */

/** True when `value` claims to be a client id URL (starts with `https://`), valid or not. */
export function isClientIdUrlCandidate(value: string): boolean {
  return value.startsWith('https://');
}

/** Why `value` is not a usable client id URL, or undefined when it is one. */
export function clientIdUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'the client_id is not a valid URL';
  }
  if (url.protocol !== 'https:') return 'a client_id URL must use https';
  if (url.username || url.password) return 'a client_id URL must not contain a user name or password';
  if (value.includes('#')) return 'a client_id URL must not contain a fragment';
  if (url.pathname === '/' || url.pathname === '') return 'a client_id URL must have a path (e.g. https://app.example/client.json)';
  // `new URL` resolves dot segments, so a URL that had them no longer spells itself the same way.
  if (url.href !== value) return `a client_id URL must be written in its normalized form (${url.href})`;
  return undefined;
}
