import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { median } from './stats';

/** Verifications per batch, and batches per reading (the first one only warms the JIT up). */
const BATCH = 2000;
const BATCHES = 7;

/**
 * CPU time of one raw ES256 signature check, in microseconds: `crypto.verify` on a P-256 public
 * `KeyObject` with an `ieee-p1363` (JOSE r||s) signature over a JWS signing input the size of one of
 * our access tokens, nothing else. A tight loop in this process, timed by the process's CPU time
 * (user + system) so other work on the machine inflates it as little as it inflates the servers'
 * `CPU µs/req`; the reading is the median of the batches.
 */
export function rawVerifyMicros(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = Buffer.from(JSON.stringify({ typ: 'at+jwt', alg: 'ES256', kid: 'x'.repeat(43) })).toString('base64url');
  const claims = {
    iss: 'http://127.0.0.1',
    sub: 'bench-cc',
    aud: 'http://127.0.0.1/api/',
    client_id: 'bench-cc',
    scope: 'profile',
    jti: 'y'.repeat(43),
    iat: 1_800_000_000,
    exp: 1_800_000_300,
  };
  const input = Buffer.from(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`);
  const signature = sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const perBatch: number[] = [];
  for (let b = 0; b <= BATCHES; b++) {
    const start = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) {
      if (!verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('raw verify failed');
    }
    const used = process.cpuUsage(start);
    if (b > 0) perBatch.push((used.user + used.system) / BATCH);
  }
  return median(perBatch);
}
