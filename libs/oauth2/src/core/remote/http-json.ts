/**
 * The one HTTP call of the remote resource server: `fetch` with a timeout, answering the status and
 * the parsed JSON body. A network failure, a timeout or a 5xx means the authorization server cannot
 * answer now (`AuthorizationServerUnavailable`); anything else is for the caller to judge.
 */

/** The `fetch` the remote resource server uses: the global one by default, replaceable in tests. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** The authorization server did not answer usefully: unreachable, too slow, or a 5xx. */
export class AuthorizationServerUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthorizationServerUnavailable';
  }
}

/** Status, headers and JSON body of a response (the body is undefined when it is not JSON). */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends one request; throws `AuthorizationServerUnavailable` on a network failure, a timeout or a 5xx. */
export async function fetchJson(fetcher: FetchFunction, url: string, init: RequestInit, timeoutMs: number): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetcher(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(error);
    throw new AuthorizationServerUnavailable(`${init.method ?? 'GET'} ${url} failed: ${reason}`, { cause: error });
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new AuthorizationServerUnavailable(`${init.method ?? 'GET'} ${url} answered ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}
