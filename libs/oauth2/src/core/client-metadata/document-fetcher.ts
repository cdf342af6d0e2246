import { lookup as dnsLookup } from 'node:dns/promises';
import { request, type RequestOptions } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';

/**
 * The one outbound request of the server: Client ID Metadata Documents
 * (draft-ietf-oauth-client-id-metadata-document §4.1, §6) and OpenID Connect sector identifier
 * documents (OpenID Connect Registration §5), both at URLs a client chooses, so both are built
 * against server-side request forgery the same way:
 * - https only; the host name is resolved ONCE, every address it resolves to must pass the
 *   `AddressPolicy`, and the TCP connection goes to the address that was checked (the request's
 *   `lookup` answers it), while TLS still verifies the certificate for the host name (SNI and `Host`
 *   stay the name). A DNS answer that changes between the check and the connection (DNS rebinding)
 *   therefore cannot move the connection to a private address;
 * - no redirect is followed (a 3xx is a failure: its target would escape the checks above);
 * - the body is streamed and the request aborted past `maxBytes`; the whole exchange, DNS included,
 *   has `timeout` milliseconds;
 * - the answer must be 200 with a JSON media type and a JSON body (an object, for a client metadata document).
 * Keep-alive is off (`agent: false`): a pooled socket would be reused for a later URL on the same
 * host name without its address being checked again.
 */

/** Resolves a host name to its addresses (default: the system resolver, `dns.lookup`). @publicApi */
export type HostLookup = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

/** What the fetcher needs. */
export interface DocumentFetchSettings {
  addresses: AddressPolicy;
  /** Milliseconds for the whole exchange. */
  timeout: number;
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** Default: `dns.lookup` with every address. */
  lookup?: HostLookup;
  /** Trusted CA certificates (PEM) instead of the system's; for tests and intranet CAs. */
  ca?: string | readonly string[];
}

/** A fetched JSON document of any shape: its body, the `Cache-Control` header, and the address connected to. */
export interface FetchedJson {
  body: unknown;
  cacheControl: string | undefined;
  /** The IP address the connection was made to (the one the address rules passed). */
  address: string;
}

/** A fetched client metadata document: a JSON object. */
export interface FetchedDocument extends FetchedJson {
  body: Record<string, unknown>;
}

/** The document could not be fetched or is not a JSON object; the message says why, for the user. @publicApi */
export class ClientMetadataDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientMetadataDocumentError';
  }
}

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Fetch the client metadata document at `url` under the rules above; throws `ClientMetadataDocumentError`. */
export async function fetchClientMetadataDocument(url: URL, settings: DocumentFetchSettings): Promise<FetchedDocument> {
  const fetched = await fetchJsonDocument(url, settings);
  const { body } = fetched;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientMetadataDocumentError('the document is not a JSON object');
  }
  return fetched as FetchedDocument;
}

/** Fetch the JSON document at `url` under the rules above, whatever its shape; throws `ClientMetadataDocumentError`. */
export async function fetchJsonDocument(url: URL, settings: DocumentFetchSettings): Promise<FetchedJson> {
  if (url.protocol !== 'https:') throw new ClientMetadataDocumentError('the document must be fetched over https');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeout);
  try {
    const target = await withAbort(resolveTarget(url, settings), controller.signal, settings.timeout);
    return await get(url, target, settings, controller.signal);
  } catch (error) {
    if (error instanceof ClientMetadataDocumentError) throw error;
    if (controller.signal.aborted) throw new ClientMetadataDocumentError(`no answer within ${settings.timeout} ms`, { cause: error });
    const code = (error as { code?: string }).code;
    throw new ClientMetadataDocumentError(`the request failed${code ? ` (${code})` : ''}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** The one address to connect to: every address of the host must pass the rules (a mixed answer is refused). */
async function resolveTarget(url: URL, settings: DocumentFetchSettings): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let answers: readonly { address: string; family: number }[];
  if (isIP(host)) answers = [{ address: host, family: isIP(host) }];
  else {
    try {
      answers = await (settings.lookup ?? systemLookup)(host);
    } catch (error) {
      throw new ClientMetadataDocumentError(`the host name ${host} could not be resolved`, { cause: error });
    }
  }
  if (!answers.length) throw new ClientMetadataDocumentError(`the host name ${host} has no address`);
  const refused = answers.find((a) => !settings.addresses.isAllowed(a.address));
  if (refused) {
    throw new ClientMetadataDocumentError(
      `${host} resolves to ${refused.address}, a private or reserved address this server does not connect to`,
    );
  }
  const [first] = answers;
  return { address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}

function get(
  url: URL,
  target: { address: string; family: 4 | 6 },
  settings: DocumentFetchSettings,
  signal: AbortSignal,
): Promise<FetchedJson> {
  // Answers the checked address whatever name is asked for: the connection cannot go anywhere else.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const options: RequestOptions = {
    method: 'GET',
    host,
    port: url.port || 443,
    path: url.pathname + url.search,
    headers: { accept: 'application/json' },
    lookup: pinned,
    agent: false,
    signal,
    // SNI carries host names only; an IP-literal URL is verified against the certificate's IP entries.
    servername: isIP(host) ? undefined : host,
    ...(settings.ca ? { ca: typeof settings.ca === 'string' ? settings.ca : [...settings.ca] } : {}),
  };
  return new Promise<FetchedJson>((resolve, reject) => {
    const req = request(options, (res) => {
      const fail = (message: string) => {
        res.destroy();
        reject(new ClientMetadataDocumentError(message));
      };
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) return fail(`the document's URL answered a redirect (${status}); redirects are not followed`);
      if (status !== 200) return fail(`the document's URL answered HTTP ${status}`);
      const type = (res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
        return fail(`the document must be served as application/json (got ${type || 'no content type'})`);
      }
      const declared = Number(res.headers['content-length']);
      if (declared > settings.maxBytes) return fail(`the document is larger than ${settings.maxBytes} bytes`);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > settings.maxBytes) return fail(`the document is larger than ${settings.maxBytes} bytes`);
        chunks.push(chunk);
      });
      res.on('error', reject);
      // A body cut short (the abort of the timeout, a reset) ends in 'close' without 'end'.
      res.on('close', () => {
        if (!res.complete) reject(new ClientMetadataDocumentError('the document was not received completely'));
      });
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reject(new ClientMetadataDocumentError('the document is not valid JSON'));
        }
        resolve({
          body,
          cacheControl: headerValue(res.headers['cache-control']),
          address: target.address,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Rejects when `signal` aborts first (a DNS lookup cannot be cancelled, only abandoned). */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal, timeout: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ClientMetadataDocumentError(`no answer within ${timeout} ms`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
