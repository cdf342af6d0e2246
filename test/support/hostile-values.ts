import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Generators of hostile request data for the property-based tests of issue 7. Values are strings as
 * an attacker writes them on the wire: `encodeParams` turns them into a query or form body, either
 * properly percent-encoded or raw (so bad escapes and invalid UTF-8 reach the server as sent).
 */

/** Seed of every property run; set FC_SEED to replay a failure printed by a previous run. */
export const HOSTILE_SEED = Number(process.env.FC_SEED ?? 20300101);
/** Generated requests per endpoint (FC_RUNS overrides). */
export const HOSTILE_RUNS = Number(process.env.FC_RUNS ?? 250);

/**
 * Runs a property with the fixed seed and run count. On failure the report keeps what reproduces it
 * (seed, path, the cause) but cuts the counterexample: a 1 MB value would otherwise flood the log.
 */
export async function checkProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), { seed: HOSTILE_SEED, numRuns: HOSTILE_RUNS });
  if (!details.failed) return;
  const shown = JSON.stringify(details.counterexample, (_key, value) =>
    typeof value === 'string' && value.length > 300 ? `${value.slice(0, 300)}…(${value.length} chars)` : value,
  );
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `property failed after ${details.numRuns} runs (FC_SEED=${details.seed}, path ${details.counterexamplePath}):\n${cause.slice(0, 2000)}\ncounterexample: ${shown.slice(0, 3000)}`,
  );
}

/** Values meant to break a parser, a header or a template. */
export const NASTY_VALUES: readonly string[] = [
  '',
  ' ',
  '\t \u00a0\u2003',
  '"',
  '\'"><script>alert(1)</script>',
  '\\',
  'a"b\\c',
  '\r\nX-Injected: 1',
  '\nX-Injected: 1',
  'x\r\n\r\n<html>',
  '%0d%0aX-Injected:%201',
  '\u0000',
  '\u2028\u2029',
  '\ufeff',
  '\u202e',
  '\ud800',
  '\udfff\ud800',
  '😀👨‍👩‍👧',
  'İıſK',
  '../../../../etc/passwd',
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%C3%28',
  '%FF%FE',
  '%00',
  '[]',
  '{"$ne":null}',
  "' OR '1'='1",
  'NaN',
  '-1',
  '1e400',
  '__proto__',
  'constructor',
  'x'.repeat(10 * 1024),
];

/** Parameter names an attacker tries besides the real ones: prototype keys, brackets, case changes. */
export const ODD_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'a[b]',
  'client_id[]',
  'CLIENT_ID',
  'Scope',
  'state[0]',
  '',
  ' ',
];

/** Any string: unicode (lone surrogates included), a nasty one, or a large one. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_VALUES) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(10 * 1024), '\u00e9'.repeat(6 * 1024)) },
  );
}

/** Either one of the `good` values (to get past the first checks) or a hostile string. */
export function mostlyValid(...good: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: hostileString() });
}

/** A parameter value: absent, single, or repeated (RFC 6749 §3.1 forbids repeats). */
export type ParamValue = string | string[] | undefined;

/** An optional, sometimes repeated, parameter. */
export function param(value: fc.Arbitrary<string>): fc.Arbitrary<ParamValue> {
  return fc.oneof(
    { weight: 5, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) },
  );
}

/** A set of named parameters plus a few with odd names. */
export function params(shape: Record<string, fc.Arbitrary<ParamValue>>): fc.Arbitrary<Record<string, ParamValue>> {
  return fc
    .tuple(fc.record(shape), fc.dictionary(fc.constantFrom(...ODD_NAMES), hostileString(), { maxKeys: 2 }))
    .map(([named, odd]) => ({ ...odd, ...named }));
}

/** How the parameters go on the wire. */
export type Encoding = 'encoded' | 'raw' | 'latin1';

export function encoding(): fc.Arbitrary<Encoding> {
  return fc.constantFrom<Encoding>('encoded', 'encoded', 'raw', 'latin1');
}

/**
 * `name=value&…`: 'encoded' percent-encodes (lone surrogates become U+FFFD, as any client would);
 * 'raw' leaves `%` sequences as written (bad escapes survive) and escapes only what the request line
 * cannot hold; 'latin1' also sends each non-ASCII code unit as one byte, i.e. invalid UTF-8.
 */
export function encodeParams(values: Record<string, ParamValue>, how: Encoding): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push(`${encodePart(name, how)}=${encodePart(one, how)}`);
  }
  return pairs.join('&');
}

function encodePart(value: string, how: Encoding): string {
  if (how === 'encoded') return encodeURIComponent(wellFormed(value));
  return Array.from(value)
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === '&' || c === '=' || c === '#' || c === '+') return encodeURIComponent(c);
      if (code <= 0x20 || code === 0x7f) return `%${code.toString(16).padStart(2, '0').toUpperCase()}`;
      if (code < 0x7f) return c;
      if (how === 'latin1' && code <= 0xff) return c; // one raw byte ≥ 0x80: never valid UTF-8 on its own
      return encodeURIComponent(wellFormed(c));
    })
    .join('');
}

/** A body content type: the right one, a wrong one, a broken one, or none. */
export function contentType(right: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(right) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json',
        'text/plain',
        'multipart/form-data; boundary=x',
        `${right}; charset=utf-16`,
        `${right}; charset=iso-8859-1`,
        'application/x-www-form-urlencoded; charset="bogus"',
        'APPLICATION/X-WWW-FORM-URLENCODED',
        '',
        ';;;',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A request body: the form, the same as JSON (an object, or worse), or a large one. */
export function bodyFor(form: string, values: Record<string, ParamValue>): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(form) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(values)) },
    { weight: 1, arbitrary: fc.constantFrom('[1,2,3]', '"grant_type"', 'null', '{"client_id":{"$gt":""}}', '{bad json', '\u0000\u0001') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(Buffer.from([0xc3, 0x28, 0x3d, 0xff, 0xfe]), Buffer.from('grant_type=%C3%28&code=\xff', 'latin1')),
    },
    { weight: 1, arbitrary: fc.constant(`${form}&pad=${'a'.repeat(1024 * 1024)}`) },
  );
}

/** An `Authorization` header: none, valid Basic, Basic or Bearer with junk, or junk. */
export function authorizationHeader(valid: { id: string; secret: string }): fc.Arbitrary<string | undefined> {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(basic(valid.id, valid.secret)) },
    {
      weight: 2,
      arbitrary: fc.tuple(mostlyValid(valid.id), hostileString()).map(([id, secret]) => basic(id, secret)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Basic',
        'Basic !!!',
        'Basic Og==',
        'Basic JQ==',
        'Bearer',
        'Bearer "x"',
        'Digest realm="x"',
        'basic    Og==',
        '',
      ),
    },
  );
}

/** Strips characters Node refuses to send in a header (the server can never see them). */
export function headerSafe(value: string): string {
  return Array.from(wellFormed(value))
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
    })
    .join('');
}

/** Lone surrogates replaced by U+FFFD, as a UTF-8 encoder does. */
export function wellFormed(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/** A body as it goes on the wire, with the `Content-Encoding` it is sent under (none when undefined). */
export interface EncodedBody {
  body: string | Buffer;
  encoding?: string;
}

/**
 * How a body travels: as is; compressed for real (gzip, deflate, brotli, or several stacked, listed
 * in the order applied as RFC 9110 §8.4 says); compressed then corrupted (a byte flipped or the
 * stream cut short); or announced under an encoding it does not have, an unknown one or a malformed list.
 */
export function contentEncoded(body: string | Buffer): fc.Arbitrary<EncodedBody> {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ body }) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('gzip', 'deflate', 'br', 'GZIP', 'x-gzip', 'gzip, deflate', 'deflate, gzip, br', 'identity')
        .map((encoding) => ({ body: compress(raw, encoding), encoding })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'gzip, gzip'), fc.nat(), fc.boolean())
        .map(([encoding, at, truncate]) => {
          const packed = Buffer.from(compress(raw, encoding));
          if (truncate) return { body: packed.subarray(0, Math.floor(packed.length / 2)), encoding };
          packed[at % packed.length] ^= 0x5a;
          return { body: packed, encoding };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('gzip', 'deflate', 'br', 'br2', 'compress', 'zstd', 'gzip;q=1', ' gzip ,, ', 'gzip, br2', 'identity, gzip', '\t')
        .map((encoding) => ({ body, encoding })),
    },
  );
}

/** `raw` under each coding of the comma-separated list, in order; unknown names (x-gzip aside) leave it as is. */
function compress(raw: Buffer, encodings: string): Buffer {
  let out = raw;
  for (const name of encodings.split(',').map((e) => e.trim().toLowerCase())) {
    if (name === 'gzip' || name === 'x-gzip') out = gzipSync(out);
    else if (name === 'deflate') out = deflateSync(out);
    else if (name === 'br') out = brotliCompressSync(out);
  }
  return out;
}
