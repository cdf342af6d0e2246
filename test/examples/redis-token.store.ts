import type { Redis } from 'ioredis';
import { TokenStore, type OAuthToken, type RotationOutcome } from 'nest-oauth2-provider';

/**
 * An example `TokenStore` on Redis, as a host would write one (README, "Swapping a store"). Every
 * method is one Lua script, so each runs atomically on the server: exactly one of many concurrent
 * `rotate` calls wins, and an issuance is stored whole or not at all, across any number of app
 * instances. Keys (under `prefix`): `t:<hash>` the token as JSON, `i:<id>` → hash, and sets of ids
 * per grant (`g:`) and per user+client (`u:`); `exp` orders ids by expiry for the purge.
 */
export class RedisTokenStore extends TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'oauth:',
  ) {
    super();
  }

  async save(tokens: OAuthToken[]): Promise<void> {
    const ok = await this.run(SAVE, tokens.map(encode));
    if (ok !== 1) throw new Error('A token with this id or hash already exists');
  }

  async findByHash(tokenHash: string): Promise<OAuthToken | undefined> {
    const json = await this.redis.get(`${this.prefix}t:${tokenHash}`);
    return json ? decode(json) : undefined;
  }

  async rotate(refreshId: string, issued: OAuthToken[], now: Date): Promise<RotationOutcome> {
    const outcome = await this.run(ROTATE, [refreshId, now.getTime(), ...issued.map(encode)]);
    if (outcome === -1) throw new Error('A token with this id or hash already exists');
    return outcome === 1 ? 'rotated' : 'lost';
  }

  async revoke(id: string, now: Date): Promise<void> {
    await this.run(REVOKE_SET, ['', now.getTime(), id]);
  }

  async revokeGrant(grantId: string, now: Date): Promise<string[]> {
    return (await this.run(REVOKE_SET, [`g:${grantId}`, now.getTime()])) as string[];
  }

  async revokeForUserAndClient(userId: string, clientId: string, now: Date): Promise<string[]> {
    return (await this.run(REVOKE_SET, [`u:${JSON.stringify([userId, clientId])}`, now.getTime()])) as string[];
  }

  async purgeExpired(now: Date, batchSize = 1000): Promise<number> {
    return (await this.run(PURGE, [now.getTime(), batchSize])) as number;
  }

  private run(script: string, args: (string | number)[]): Promise<unknown> {
    return this.redis.eval(HELPERS + script, 0, this.prefix, ...args);
  }
}

/** Dates travel as epoch milliseconds, so Lua compares numbers. */
function encode(token: OAuthToken): string {
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  return JSON.stringify({
    ...token,
    createdAt: ms(token.createdAt),
    grantCreatedAt: ms(token.grantCreatedAt),
    expiresAt: ms(token.expiresAt),
    revokedAt: ms(token.revokedAt),
    rotatedAt: ms(token.rotatedAt),
    openid: token.openid ? { ...token.openid, authTime: ms(token.openid.authTime) } : null,
  });
}

function decode(json: string): OAuthToken {
  const raw = JSON.parse(json);
  const date = (v: number | null) => (v === null ? null : new Date(v));
  return {
    id: raw.id,
    tokenHash: raw.tokenHash,
    kind: raw.kind,
    clientId: raw.clientId,
    userId: raw.userId,
    scopes: raw.scopes,
    // cjson writes an empty list back as an empty object: Lua has one table type for both.
    resources: Array.isArray(raw.resources) ? raw.resources : [],
    grantId: raw.grantId,
    parentId: raw.parentId,
    createdAt: new Date(raw.createdAt),
    grantCreatedAt: new Date(raw.grantCreatedAt),
    expiresAt: new Date(raw.expiresAt),
    revokedAt: date(raw.revokedAt),
    rotatedAt: date(raw.rotatedAt),
    // The sign-in of an OpenID Connect grant, which its refresh tokens carry to each successor.
    openid: raw.openid ? { ...raw.openid, authTime: date(raw.openid.authTime) } : null,
  };
}

// cjson turns JSON null into cjson.null, so "no value" checks compare against it.
const HELPERS = `
local P = ARGV[1]
local function load(id)
  local hash = redis.call('GET', P .. 'i:' .. id)
  if not hash then return nil end
  local json = redis.call('GET', P .. 't:' .. hash)
  if not json then return nil end
  return cjson.decode(json)
end
local function put(t) redis.call('SET', P .. 't:' .. t.tokenHash, cjson.encode(t)) end
local function set(v) return v ~= nil and v ~= cjson.null end
local function insert(first)
  local tokens = {}
  for i = first, #ARGV do
    local t = cjson.decode(ARGV[i])
    if redis.call('EXISTS', P .. 't:' .. t.tokenHash, P .. 'i:' .. t.id) > 0 then return false end
    tokens[#tokens + 1] = t
  end
  for n, t in ipairs(tokens) do
    redis.call('SET', P .. 't:' .. t.tokenHash, ARGV[first + n - 1])
    redis.call('SET', P .. 'i:' .. t.id, t.tokenHash)
    redis.call('SADD', P .. 'g:' .. t.grantId, t.id)
    if set(t.userId) then redis.call('SADD', P .. 'u:' .. cjson.encode({t.userId, t.clientId}), t.id) end
    redis.call('ZADD', P .. 'exp', t.expiresAt, t.id)
  end
  return true
end
`;

const SAVE = `return insert(2) and 1 or 0`;

const ROTATE = `
local old = load(ARGV[2])
if not old or old.kind ~= 'refresh' or set(old.rotatedAt) or set(old.revokedAt) then return 0 end
local now = tonumber(ARGV[3])
if not insert(4) then return -1 end
old.rotatedAt = now
put(old)
return 1`;

/** Revokes the ids in one set (ARGV[2] names it) or the single id in ARGV[4]; returns the ids newly revoked. */
const REVOKE_SET = `
local now = tonumber(ARGV[3])
local ids = ARGV[2] ~= '' and redis.call('SMEMBERS', P .. ARGV[2]) or { ARGV[4] }
local revoked = {}
for _, id in ipairs(ids) do
  local t = load(id)
  if t and not set(t.revokedAt) then t.revokedAt = now; put(t); revoked[#revoked + 1] = id end
end
return revoked`;

const PURGE = `
local ids = redis.call('ZRANGEBYSCORE', P .. 'exp', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local t = load(id)
  if t then
    redis.call('DEL', P .. 't:' .. t.tokenHash)
    redis.call('SREM', P .. 'g:' .. t.grantId, id)
    if set(t.userId) then redis.call('SREM', P .. 'u:' .. cjson.encode({t.userId, t.clientId}), id) end
  end
  redis.call('DEL', P .. 'i:' .. id)
  redis.call('ZREM', P .. 'exp', id)
end
return #ids`;
