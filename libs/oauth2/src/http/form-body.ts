import type { IncomingMessage } from 'node:http';
import { InvalidRequestError } from '../core/oauth.errors';

/** Fastify's default `bodyLimit` (1 MiB), used when the route does not say. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The media types the platforms parse for the module (Nest's Express and Fastify adapters alike). */
const PARSED_TYPES = new Set(['application/x-www-form-urlencoded', 'application/json']);

/** The answer, on either platform, to a body its parser cannot decode. */
export const UNDECODABLE_BODY = 'The request body has an unsupported charset or content encoding';

/** True when the headers announce an `application/x-www-form-urlencoded` body with content. */
export function announcesFormBody(headers: IncomingMessage['headers']): boolean {
  return mediaType(headers) === 'application/x-www-form-urlencoded' && announcesBody(headers);
}

/**
 * Refuses with 415 `invalid_request` a form or JSON body the parser would misread: compressed
 * (any `Content-Encoding` but identity) or declared in a charset other than UTF-8, the only one
 * RFC 6749 Appendix B allows. Express's body parsers refuse such bodies themselves; Fastify's read
 * the bytes as UTF-8 text whatever the headers say, so on Fastify the module checks first.
 */
export function assertDecodableBody(headers: IncomingMessage['headers']): void {
  if (!announcesBody(headers) || !PARSED_TYPES.has(mediaType(headers))) return;
  const encoding = String(headers['content-encoding'] || 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' || !['utf-8', undefined].includes(charset(headers))) {
    throw new InvalidRequestError(UNDECODABLE_BODY, { status: 415 });
  }
}

function announcesBody(headers: IncomingMessage['headers']): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

function mediaType(headers: IncomingMessage['headers']): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The `charset` parameter of the Content-Type, lower-cased and unquoted, or undefined. */
function charset(headers: IncomingMessage['headers']): string | undefined {
  for (const parameter of (headers['content-type'] ?? '').split(';').slice(1)) {
    const eq = parameter.indexOf('=');
    if (eq < 0 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/**
 * Parses a form body as Express's and Fastify's parsers do: a repeated name becomes an array (so
 * the core can refuse it, RFC 6749 §3.1), and `__proto__` is an ordinary name that is dropped.
 */
export function parseFormBody(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name === '__proto__') continue;
    const previous = fields[name];
    fields[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return fields;
}

/** Reads a request body the framework left unread, refusing more than `limit` bytes with 413. */
export async function readFormBody(raw: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Record<string, string | string[]>> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new InvalidRequestError('The request body is too large', { status: 413 });
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    throw new InvalidRequestError('The request body could not be read', { cause: error }); // the client went away mid-body
  }
  return parseFormBody(Buffer.concat(chunks).toString('utf8'));
}
