import { InvalidRequestError } from '../oauth.errors';

/**
 * Reads request parameters as single strings. RFC 6749 §3.1 and §3.2: "Request and response
 * parameters MUST NOT be included more than once"; a repeated parameter reaches us as an array from
 * the query/body parser and is refused here, as is any non-string value (a JSON body smuggled into
 * a form endpoint). Empty values count as absent (RFC 6749 §3.1).
 */
export function singleValuedParams(
  source: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) throw new InvalidRequestError(`The "${name}" parameter must not be repeated (RFC 6749 §3.1)`);
    if (typeof value !== 'string') throw new InvalidRequestError(`The "${name}" parameter must be a string`);
    out[name] = value;
  }
  return out;
}
