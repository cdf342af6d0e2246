import type { IncomingMessage } from 'node:http';
import { InvalidRequestError } from '../core/oauth.errors';

/** Fastify's default `bodyLimit` (1 MiB), used when the route does not say. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** True when the headers announce an `application/x-www-form-urlencoded` body with content. */
export function announcesFormBody(headers: IncomingMessage['headers']): boolean {
  const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return false;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
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
