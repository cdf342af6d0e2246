/**
 * The behaviour every store implementation must have, as one suite per store contract. Each
 * implementation's spec calls these with a harness over its storage; the TypeORM specs run them on
 * the database in DATABASE_URL (SQLite by default), so the same assertions hold on every database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { hashSecret } from '../core/protocol/credentials';
import type { ClientStore } from './client.store';
import type { CodeStore } from './code.store';
import type { ConsentStore } from './consent.store';
import type { AuthorizationCode, OAuthClient, OAuthToken, OpenIdAuthentication } from './models';
import type { TokenStore } from './token.store';

/** One implementation's storage, seen by the contract suites. */
export interface StoreHarness<S> {
  /** Stores over the same storage, as separate app instances hold them (one where storage is per process). */
  stores: S[];
  /** Everything stored, as text (for a test to look for a value). */
  dump(): Promise<string>;
  /** Empty the storage between tests. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

const T0 = new Date('2030-01-01T00:00:00.123Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const rid = () => randomBytes(9).toString('base64url');

/** The sign-in of an OpenID Connect grant, every fact set; `auth_time` with milliseconds a rounding would lose. */
const SIGN_IN: OpenIdAuthentication = {
  authTime: new Date(Date.UTC(2029, 11, 31, 23, 59, 58, 987)),
  nonce: 'n-0S6_WzA2Mj',
  acr: 'urn:mace:incommon:iap:silver',
  amr: ['pwd', 'otp'],
};

function suite<S>(title: string, open: () => Promise<StoreHarness<S>>, body: (h: () => StoreHarness<S>) => void): void {
  describe(title, () => {
    let harness: StoreHarness<S>;
    before(async () => (harness = await open()));
    after(async () => harness.close());
    beforeEach(async () => harness.clear());
    body(() => harness);
  });
}

function client(over: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: rid(),
    name: 'CustomApp',
    secretHash: hashSecret('s3cret'),
    redirectUris: ['https://customapp.example/oauth/redirect', 'http://127.0.0.1:3001/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['profile', 'offline_access'],
    canIntrospect: false,
    applicationType: 'web',
    resources: null,
    defaultResource: null,
    registration: 'operator',
    createdAt: T0,
    ...over,
  };
}

/** `value` in other case and with a trailing space: lookups that must miss on every database. */
function variantsOf(value: string): string[] {
  const variants = [value.toUpperCase(), value.toLowerCase(), `${value} `].filter((v) => v !== value);
  assert.ok(variants.length >= 2, `${value} has no case to change`);
  return variants;
}

function code(raw: string, over: Partial<AuthorizationCode> = {}): AuthorizationCode {
  return {
    codeHash: hashSecret(raw),
    clientId: 'client-1',
    userId: 'nate',
    redirectUri: 'https://customapp.example/oauth/redirect',
    scopes: ['profile', 'offline_access'],
    resources: [],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    grantId: rid(),
    createdAt: T0,
    expiresAt: at(60),
    consumedAt: null,
    replayedAt: null,
    openid: null,
    ...over,
  };
}

function token(raw: string, over: Partial<OAuthToken> = {}): OAuthToken {
  return {
    id: rid(),
    tokenHash: hashSecret(raw),
    kind: 'access',
    clientId: 'client-1',
    userId: 'nate',
    scopes: ['profile'],
    resources: [],
    grantId: 'grant-1',
    parentId: null,
    createdAt: T0,
    grantCreatedAt: T0,
    expiresAt: at(3600),
    revokedAt: null,
    rotatedAt: null,
    openid: null,
    ...over,
  };
}

/** `ClientStore`: lookup by id, replace on save, delete, list; the secret kept only as its hash. */
export function describeClientStoreContract(name: string, open: () => Promise<StoreHarness<ClientStore>>): void {
  suite(`${name} ClientStore contract`, open, (h) => {
    it('returns a saved client exactly as saved, and undefined for an unknown id', async () => {
      const [store] = h().stores;
      const saved = client({ canIntrospect: true });
      await store.save(saved);
      assert.deepEqual(await store.findById(saved.id), saved);
      assert.equal(await store.findById('nope'), undefined);
    });

    it('keeps a public client without a secret', async () => {
      const [store] = h().stores;
      const saved = client({ secretHash: null, grantTypes: ['authorization_code'], applicationType: 'native' });
      await store.save(saved);
      assert.deepEqual(await store.findById(saved.id), saved);
    });

    it('keeps the redirect URIs as the exact list saved, never splitting one on a space (RFC 6749 §3.1.2)', async () => {
      const [store] = h().stores;
      const saved = client({ redirectUris: ['https://app.example/cb http://evil.example/steal', 'com.example.app:/cb'] });
      await store.save(saved);
      assert.deepEqual((await store.findById(saved.id))?.redirectUris, saved.redirectUris);
      assert.deepEqual(
        (await store.list()).map((c) => c.redirectUris),
        [saved.redirectUris],
      );
    });

    it('RFC 8707 §2: keeps the resources a client may use and its default, telling "every resource" (null) from "none" ([])', async () => {
      const [store] = h().stores;
      const limited = client({
        resources: ['https://api.shift.example/v1/', 'https://files.shift.example/'],
        defaultResource: 'https://files.shift.example/',
      });
      const none = client({ resources: [] });
      const every = client();
      for (const saved of [limited, none, every]) await store.save(saved);
      for (const saved of [limited, none, every]) assert.deepEqual(await store.findById(saved.id), saved);
      assert.deepEqual(
        (await store.list())
          .map((c) => [c.resources, c.defaultResource])
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [
          [['https://api.shift.example/v1/', 'https://files.shift.example/'], 'https://files.shift.example/'],
          [[], null],
          [null, null],
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    });

    it('RFC 7591 §2: keeps a logo_uri and client_uri when set, and none when absent', async () => {
      const [store] = h().stores;
      const branded = client({ logoUri: 'https://customapp.example/logo.png', clientUri: 'https://customapp.example/' });
      const plain = client();
      for (const saved of [branded, plain]) await store.save(saved);
      assert.deepEqual(await store.findById(branded.id), branded);
      assert.deepEqual(await store.findById(plain.id), plain);
      const { logoUri: _logo, ...withoutLogo } = branded;
      await store.save(withoutLogo);
      assert.deepEqual(await store.findById(branded.id), withoutLogo);
    });

    it('keeps an owner, a description and a previous secret with its end, and lists an owner’s clients by exact owner id', async () => {
      const [store] = h().stores;
      const owned = client({
        ownerId: 'Ada',
        description: 'Plans your week.\nReads your calendar only.',
        previousSecretHash: hashSecret('old secret'),
        previousSecretExpiresAt: new Date(Date.UTC(2031, 0, 1, 12, 0, 0, 123)),
      });
      const second = client({ ownerId: 'Ada', createdAt: new Date(owned.createdAt.getTime() + 1000) });
      const otherCase = client({ ownerId: 'ada' });
      const operators = client();
      for (const saved of [owned, second, otherCase, operators]) await store.save(saved);
      assert.deepEqual(await store.findById(owned.id), owned);
      assert.deepEqual(await store.findById(operators.id), operators, 'no owner, description or previous secret stays absent');
      assert.deepEqual(
        (await store.listByOwner('Ada')).map((c) => c.id),
        [owned.id, second.id],
        'oldest first, and never the clients of "ada" or of an operator',
      );
      assert.deepEqual(await store.listByOwner('Ada '), []);
      const { previousSecretHash: _hash, previousSecretExpiresAt: _until, ...ended } = owned;
      await store.save(ended);
      assert.deepEqual(await store.findById(owned.id), ended, 'an overlap that ended is cleared by a save without it');
    });

    it('RFC 7591/7592: keeps how a client was registered, its registration access token hash, software, last use and metadata expiry', async () => {
      const [store] = h().stores;
      const dynamic = client({
        registration: 'dynamic',
        secretHash: null,
        registrationAccessTokenHash: hashSecret('registration access token'),
        softwareId: '4NRB1-0XZABZI9E6-5SM3R',
        softwareVersion: '2.1',
        lastUsedAt: new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 678)),
      });
      // A Client ID Metadata Document's client id is its URL: longer than a random id, and kept exactly.
      const byUrl = client({
        id: `https://agent.example/${'clients/'.repeat(24)}Agent-${rid()}.json`,
        registration: 'url',
        secretHash: null,
        metadataExpiresAt: new Date(Date.UTC(2031, 0, 3, 0, 0, 0, 1)),
      });
      for (const saved of [dynamic, byUrl]) await store.save(saved);
      assert.deepEqual(await store.findById(dynamic.id), dynamic);
      assert.deepEqual(await store.findById(byUrl.id), byUrl);
      assert.equal(await store.findById(byUrl.id.toLowerCase()), undefined);
      const { lastUsedAt: _used, ...unused } = dynamic;
      await store.save(unused);
      assert.deepEqual(await store.findById(dynamic.id), unused, 'a save without a last use clears it');
    });

    it('OpenID Connect Registration §2, RP-Initiated Logout §3.1: keeps the ID token algorithm, subject type, sector and post-logout redirect URIs, and none when absent', async () => {
      const [store] = h().stores;
      const oidc = client({
        idTokenSignedResponseAlg: 'ES256',
        subjectType: 'pairwise',
        sectorIdentifierUri: 'https://customapp.example/sector.json',
        postLogoutRedirectUris: ['https://customapp.example/signed-out http://evil.example/', 'http://127.0.0.1:3001/bye'],
      });
      const noLogout = client({ subjectType: 'public', postLogoutRedirectUris: [] });
      const plain = client();
      for (const saved of [oidc, noLogout, plain]) await store.save(saved);
      for (const saved of [oidc, noLogout, plain]) assert.deepEqual(await store.findById(saved.id), saved);
      assert.deepEqual(
        (await store.list()).find((c) => c.id === oidc.id),
        oidc,
      );
      const {
        idTokenSignedResponseAlg: _alg,
        subjectType: _type,
        sectorIdentifierUri: _sector,
        postLogoutRedirectUris: _uris,
        ...cleared
      } = oidc;
      await store.save(cleared);
      assert.deepEqual(await store.findById(oidc.id), cleared, 'a save without them clears them');
    });

    it('finds a client by its exact id only: another case or a trailing space is an unknown client (RFC 6749 §2.2)', async () => {
      const [store] = h().stores;
      const saved = client({ id: `Client-${rid()}` });
      await store.save(saved);
      for (const variant of variantsOf(saved.id)) assert.equal(await store.findById(variant), undefined, JSON.stringify(variant));
      assert.equal(await store.delete(`${saved.id} `), false);
      assert.deepEqual(await store.findById(saved.id), saved);
    });

    it('replaces the client with the same id on save', async () => {
      const [store] = h().stores;
      const first = client();
      await store.save(first);
      const second = { ...first, name: 'Renamed', redirectUris: ['https://new.example/cb'], secretHash: hashSecret('rotated') };
      await store.save(second);
      assert.deepEqual(await store.findById(first.id), second);
      assert.equal((await store.list()).length, 1);
    });

    it('deletes a client and says whether it existed', async () => {
      const [store] = h().stores;
      const saved = client();
      await store.save(saved);
      assert.equal(await store.delete(saved.id), true);
      assert.equal(await store.findById(saved.id), undefined);
      assert.equal(await store.delete(saved.id), false);
    });

    it('lists every client, oldest first', async () => {
      const [store] = h().stores;
      const newer = client({ createdAt: at(10), name: 'newer' });
      const older = client({ createdAt: at(1), name: 'older' });
      await store.save(newer);
      await store.save(older);
      assert.deepEqual(
        (await store.list()).map((c) => c.name),
        ['older', 'newer'],
      );
    });

    it('markUsed sets lastUsedAt alone, leaving a concurrent change of the client in place', async () => {
      const [store] = h().stores;
      const saved = client({ registration: 'dynamic', registrationAccessTokenHash: hashSecret('rat') });
      await store.save(saved);
      await store.save({ ...saved, name: 'Renamed' });
      await store.markUsed(saved.id, at(60));
      assert.deepEqual(await store.findById(saved.id), { ...saved, name: 'Renamed', lastUsedAt: at(60) });
      await store.markUsed('nope', at(60));
      assert.equal(await store.findById('nope'), undefined);
    });

    it('purgeIdleDynamic deletes dynamic clients never used before one cutoff or last used before the other, in batches', async () => {
      const [store] = h().stores;
      const unused = client({ registration: 'dynamic', createdAt: at(0) });
      const fresh = client({ registration: 'dynamic', createdAt: at(100) });
      const idle = client({ registration: 'dynamic', createdAt: at(0), lastUsedAt: at(10) });
      const used = client({ registration: 'dynamic', createdAt: at(0), lastUsedAt: at(100) });
      const operator = client({ registration: 'operator', createdAt: at(0) });
      for (const c of [unused, fresh, idle, used, operator]) await store.save(c);
      assert.equal(await store.purgeIdleDynamic({}), 0);
      assert.equal(await store.purgeIdleDynamic({ unusedBefore: at(50), idleBefore: at(50) }, 1), 1);
      assert.equal(await store.purgeIdleDynamic({ unusedBefore: at(50), idleBefore: at(50) }, 10), 1);
      assert.deepEqual((await store.list()).map((c) => c.id).sort(), [fresh.id, used.id, operator.id].sort());
    });

    it('findDynamicPublic finds dynamic public clients by name and software id only', async () => {
      const [store] = h().stores;
      const agent = client({ registration: 'dynamic', secretHash: null, name: 'Agent', softwareId: 'agent' });
      const anonymous = client({ registration: 'dynamic', secretHash: null, name: 'Agent', createdAt: at(1) });
      await store.save(agent);
      await store.save(anonymous);
      await store.save(client({ registration: 'dynamic', name: 'Agent', softwareId: 'agent' }));
      await store.save(client({ registration: 'operator', secretHash: null, name: 'Agent', softwareId: 'agent' }));
      assert.deepEqual(
        (await store.findDynamicPublic('Agent', 'agent')).map((c) => c.id),
        [agent.id],
      );
      assert.deepEqual(
        (await store.findDynamicPublic('Agent', undefined)).map((c) => c.id),
        [anonymous.id],
      );
      assert.deepEqual(await store.findDynamicPublic('agent', 'agent'), []);
    });
  });
}

/** `CodeStore`: single use, atomically, across instances; expiry; purge. */
export function describeCodeStoreContract(name: string, open: () => Promise<StoreHarness<CodeStore>>): void {
  suite(`${name} CodeStore contract`, open, (h) => {
    it('consumes a saved code once, returning everything it was bound to (RFC 6749 §4.1.3)', async () => {
      const [store] = h().stores;
      const saved = code('the-code');
      await store.save(saved);
      const result = await store.consume(hashSecret('the-code'), at(1));
      assert.deepEqual(result, { outcome: 'consumed', code: { ...saved, consumedAt: at(1) } });
    });

    it('leaves a code presented for another client unconsumed and unmarked, live or used (RFC 6749 §4.1.3)', async () => {
      const { stores } = h();
      const saved = code('foreign-code');
      await stores[0].save(saved);
      assert.deepEqual(await stores[0].consume(saved.codeHash, at(1), 'other-client'), { outcome: 'foreign', code: saved });
      const owned = await stores[stores.length - 1].consume(saved.codeHash, at(2), 'client-1');
      assert.deepEqual(owned, { outcome: 'consumed', code: { ...saved, consumedAt: at(2) } }, 'the owner still redeems it');
      assert.equal((await stores[0].consume(saved.codeHash, at(3), 'other-client')).outcome, 'foreign');
      assert.equal(await stores[0].isReplayed(saved.codeHash), false, 'another client records no replay');
      assert.equal((await stores[0].consume(saved.codeHash, at(4), 'client-1')).outcome, 'replayed');
    });

    it('OpenID Connect Core §2, §3.1.2.1: returns the sign-in of an OpenID grant on consumption and replay, and null for a plain OAuth grant', async () => {
      const [store] = h().stores;
      const signedIn = code('openid-code', { openid: SIGN_IN });
      const unknownTime = code('openid-no-auth-time', { openid: { authTime: null } });
      const { openid: _none, ...plain } = code('plain-code');
      for (const saved of [signedIn, unknownTime, plain]) await store.save(saved);
      assert.deepEqual(await store.consume(signedIn.codeHash, at(1)), { outcome: 'consumed', code: { ...signedIn, consumedAt: at(1) } });
      assert.deepEqual(await store.consume(unknownTime.codeHash, at(1)), {
        outcome: 'consumed',
        code: { ...unknownTime, consumedAt: at(1) },
      });
      assert.deepEqual(await store.consume(plain.codeHash, at(1)), {
        outcome: 'consumed',
        code: { ...plain, openid: null, consumedAt: at(1) },
      });
      const replay = await store.consume(signedIn.codeHash, at(2));
      assert.deepEqual(replay.outcome === 'replayed' && replay.code.openid, SIGN_IN);
    });

    it("RFC 8707 §2: returns the grant's resources in the order the request named them", async () => {
      const [store] = h().stores;
      const saved = code('with-resources', { resources: ['https://files.shift.example/', 'https://api.shift.example/v1/'] });
      await store.save(saved);
      const consumed = await store.consume(saved.codeHash, at(1));
      assert.equal(consumed.outcome, 'consumed');
      assert.deepEqual(consumed.outcome === 'consumed' && consumed.code.resources, saved.resources);
    });

    it('reports a second use of the same code as a replay, with its grant (RFC 6749 §4.1.2)', async () => {
      const [store] = h().stores;
      const saved = code('used-twice');
      await store.save(saved);
      await store.consume(saved.codeHash, at(1));
      const again = await store.consume(saved.codeHash, at(2));
      assert.equal(again.outcome, 'replayed');
      assert.equal(again.outcome === 'replayed' && again.code.grantId, saved.grantId);
    });

    it('records a replay on the code, visible to every instance, keeping the first replay time (RFC 9700 §4.2.4)', async () => {
      const { stores } = h();
      const [first, other] = [stores[0], stores[stores.length - 1]];
      const saved = code('replayed-code');
      await first.save(saved);
      await first.consume(saved.codeHash, at(1));
      assert.equal(await first.isReplayed(saved.codeHash), false);
      const replay = await other.consume(saved.codeHash, at(2));
      assert.deepEqual(replay, { outcome: 'replayed', code: { ...saved, consumedAt: at(1), replayedAt: at(2) } });
      assert.equal(await first.isReplayed(saved.codeHash), true);
      const again = await first.consume(saved.codeHash, at(3));
      assert.equal(again.outcome === 'replayed' && again.code.replayedAt?.getTime(), at(2).getTime());
    });

    it('reports no replay for a fresh, a cleanly consumed or an unknown code', async () => {
      const [store] = h().stores;
      const saved = code('used-once');
      await store.save(saved);
      assert.equal(await store.isReplayed(saved.codeHash), false);
      await store.consume(saved.codeHash, at(1));
      assert.equal(await store.isReplayed(saved.codeHash), false);
      assert.equal(await store.isReplayed(hashSecret('never-issued')), false);
    });

    it('records a replay of a consumed code even after it expired, so a late replay still revokes (RFC 6749 §4.1.2)', async () => {
      const { stores } = h();
      const [first, other] = [stores[0], stores[stores.length - 1]];
      const saved = code('used-then-stale', { expiresAt: at(60) });
      await first.save(saved);
      await first.consume(saved.codeHash, at(1));
      const late = await other.consume(saved.codeHash, at(3600));
      assert.deepEqual(late, { outcome: 'replayed', code: { ...saved, consumedAt: at(1), replayedAt: at(3600) } });
      assert.equal(await first.isReplayed(saved.codeHash), true);
    });

    it('consumes a code by its exact hash only: another case or a trailing space is an unknown code (RFC 6749 §4.1.2)', async () => {
      const [store] = h().stores;
      const saved = code('exact-code');
      await store.save(saved);
      for (const variant of variantsOf(saved.codeHash)) {
        assert.deepEqual(await store.consume(variant, at(1)), { outcome: 'invalid' }, JSON.stringify(variant));
        assert.equal(await store.isReplayed(variant), false);
      }
      assert.equal((await store.consume(saved.codeHash, at(2))).outcome, 'consumed');
    });

    it('treats an unknown code as invalid', async () => {
      assert.deepEqual(await h().stores[0].consume(hashSecret('never-issued'), at(1)), { outcome: 'invalid' });
    });

    it('treats an expired, never-used code as invalid and records nothing on it (RFC 6749 §4.1.2)', async () => {
      const [store] = h().stores;
      const saved = code('short-lived', { expiresAt: at(60) });
      await store.save(saved);
      assert.deepEqual(await store.consume(saved.codeHash, at(60)), { outcome: 'invalid' });
      assert.deepEqual(await store.consume(saved.codeHash, at(61)), { outcome: 'invalid' });
      assert.equal(await store.isReplayed(saved.codeHash), false);
    });

    it('lets exactly one of 20 concurrent consume calls win, across instances', async () => {
      const { stores } = h();
      const saved = code('raced-code');
      await stores[0].save(saved);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % stores.length].consume(saved.codeHash, at(1))));
      assert.equal(results.filter((r) => r.outcome === 'consumed').length, 1);
      assert.equal(results.filter((r) => r.outcome === 'replayed').length, 19);
      assert.equal(await stores[0].isReplayed(saved.codeHash), true);
    });

    it('purges only expired codes, at most batchSize per call', async () => {
      const [store] = h().stores;
      for (let i = 0; i < 5; i++) await store.save(code(`old-${i}`, { expiresAt: at(10 + i) }));
      const live = code('live', { expiresAt: at(600) });
      await store.save(live);
      assert.equal(await store.purgeExpired(at(100), 2), 2);
      assert.equal(await store.purgeExpired(at(100), 2), 2);
      assert.equal(await store.purgeExpired(at(100), 2), 1);
      assert.equal(await store.purgeExpired(at(100), 2), 0);
      assert.equal((await store.consume(live.codeHash, at(101))).outcome, 'consumed');
      assert.deepEqual(await store.consume(hashSecret('old-0'), at(1)), { outcome: 'invalid' });
    });

    it('keeps consumed codes until the retention cutoff, so a late replay still finds them (RFC 6749 §4.1.2)', async () => {
      const [store] = h().stores;
      const unused = code('expired-unused', { expiresAt: at(60) });
      const usedEarly = code('consumed-early', { expiresAt: at(60) });
      const usedLate = code('consumed-late', { expiresAt: at(60) });
      for (const c of [unused, usedEarly, usedLate]) await store.save(c);
      await store.consume(usedEarly.codeHash, at(1));
      await store.consume(usedLate.codeHash, at(30));
      // Cutoff at 10 s: the code consumed at 1 s is past retention, the one consumed at 30 s is kept.
      assert.equal(await store.purgeExpired(at(100), 10, at(10)), 2);
      assert.equal((await store.consume(usedLate.codeHash, at(101))).outcome, 'replayed');
      assert.deepEqual(await store.consume(usedEarly.codeHash, at(101)), { outcome: 'invalid' });
      assert.equal(await store.purgeExpired(at(100), 10, at(31)), 1);
      assert.deepEqual(await store.consume(usedLate.codeHash, at(102)), { outcome: 'invalid' });
    });
  });
}

/** An access + refresh pair of one issuance in `grantId`, rotated from `parentId` when given. */
function pair(prefix: string, over: Partial<OAuthToken> = {}): OAuthToken[] {
  return [
    token(`${prefix}-access`, { kind: 'access', ...over }),
    token(`${prefix}-refresh`, { kind: 'refresh', expiresAt: at(86_400), ...over }),
  ];
}

/** `TokenStore`: lookup by hash, atomic rotation, family revocation, purge. */
export function describeTokenStoreContract(name: string, open: () => Promise<StoreHarness<TokenStore>>): void {
  suite(`${name} TokenStore contract`, open, (h) => {
    it('finds a saved token by hash with every field, and undefined for an unknown hash', async () => {
      const [store] = h().stores;
      const [access, refresh] = pair('first');
      await store.save([access, refresh]);
      assert.deepEqual(await store.findByHash(access.tokenHash), access);
      assert.deepEqual(await store.findByHash(refresh.tokenHash), refresh);
      assert.equal(await store.findByHash(hashSecret('unknown')), undefined);
    });

    it('finds a token by its exact hash only, and revokes by exact ids: no other case, no trailing space (RFC 6750 §3.1)', async () => {
      const [store] = h().stores;
      const saved = token('exact-token', { grantId: `Grant-${rid()}`, clientId: `Client-${rid()}`, userId: 'Nate' });
      await store.save([saved]);
      for (const variant of variantsOf(saved.tokenHash)) assert.equal(await store.findByHash(variant), undefined, JSON.stringify(variant));
      for (const variant of variantsOf(saved.grantId)) assert.deepEqual(await store.revokeGrant(variant, at(1)), []);
      for (const variant of variantsOf(saved.userId!))
        assert.deepEqual(await store.revokeForUserAndClient(variant, saved.clientId, at(1)), []);
      for (const variant of variantsOf(saved.clientId)) assert.deepEqual(await store.revokeForUserAndClient('Nate', variant, at(1)), []);
      assert.deepEqual(await store.findByHash(saved.tokenHash), saved);
    });

    it("RFC 8707: keeps an access token's audience and a refresh token's resources, in order, through a rotation", async () => {
      const [store] = h().stores;
      const grant = ['https://files.shift.example/', 'https://api.shift.example/v1/'];
      const [access, refresh] = pair('audience', { grantId: rid() });
      access.resources = ['https://files.shift.example/'];
      refresh.resources = grant;
      await store.save([access, refresh]);
      assert.deepEqual((await store.findByHash(access.tokenHash))?.resources, ['https://files.shift.example/']);
      assert.deepEqual((await store.findByHash(refresh.tokenHash))?.resources, grant);
      const [next, nextRefresh] = pair('audience-2', { grantId: refresh.grantId, parentId: refresh.id });
      next.resources = ['https://api.shift.example/v1/'];
      nextRefresh.resources = grant;
      assert.equal(await store.rotate(refresh.id, [next, nextRefresh], at(1)), 'rotated');
      assert.deepEqual(await store.findByHash(next.tokenHash), next);
      assert.deepEqual(await store.findByHash(nextRefresh.tokenHash), nextRefresh);
    });

    it('OpenID Connect Core §12.2: keeps the sign-in of a refresh token, and the one its successor is given on rotation; null when absent', async () => {
      const [store] = h().stores;
      const [access, refresh] = pair('signed-in', { grantId: rid() });
      refresh.openid = SIGN_IN;
      const { openid: _none, ...plainAccess } = access;
      await store.save([plainAccess, refresh]);
      assert.deepEqual(await store.findByHash(refresh.tokenHash), refresh);
      assert.deepEqual(await store.findByHash(access.tokenHash), { ...plainAccess, openid: null });
      const { nonce: _nonce, ...carried } = SIGN_IN;
      const [next, nextRefresh] = pair('signed-in-2', { grantId: refresh.grantId, parentId: refresh.id });
      nextRefresh.openid = carried;
      assert.equal(await store.rotate(refresh.id, [next, nextRefresh], at(1)), 'rotated');
      assert.deepEqual(await store.findByHash(nextRefresh.tokenHash), nextRefresh);
      assert.deepEqual(await store.findByHash(next.tokenHash), next);
      const [, unknownTime] = pair('signed-in-3', { openid: { authTime: null, amr: [] } });
      await store.save([unknownTime]);
      assert.deepEqual((await store.findByHash(unknownTime.tokenHash))?.openid, { authTime: null, amr: [] });
    });

    it('keeps a client_credentials token without a user', async () => {
      const [store] = h().stores;
      const machine = token('machine', { userId: null, scopes: [] });
      await store.save([machine]);
      assert.deepEqual(await store.findByHash(machine.tokenHash), machine);
    });

    it('returns the exact expiry so an expired token is never taken as valid', async () => {
      const [store] = h().stores;
      const expired = token('expired', { expiresAt: at(-1) });
      await store.save([expired]);
      const found = await store.findByHash(expired.tokenHash);
      assert.ok(found && found.expiresAt.getTime() <= T0.getTime());
    });

    it('saves an issuance all or nothing: a duplicate hash stores none of it', async () => {
      const [store] = h().stores;
      const existing = token('taken');
      await store.save([existing]);
      const fresh = token('fresh');
      await assert.rejects(store.save([fresh, token('taken')]));
      assert.equal(await store.findByHash(fresh.tokenHash), undefined);
      assert.deepEqual(await store.findByHash(existing.tokenHash), existing);
    });

    it('rotates a refresh token once: marks it rotated and inserts the new pair (RFC 9700 §4.14.2)', async () => {
      const [store] = h().stores;
      const [, refresh] = pair('gen1');
      await store.save([refresh]);
      const issued = pair('gen2', { parentId: refresh.id });
      assert.equal(await store.rotate(refresh.id, issued, at(5)), 'rotated');
      assert.deepEqual(await store.findByHash(refresh.tokenHash), { ...refresh, rotatedAt: at(5) });
      assert.deepEqual(await store.findByHash(issued[1].tokenHash), issued[1]);
      const late = pair('gen2-late', { parentId: refresh.id });
      assert.equal(await store.rotate(refresh.id, late, at(6)), 'lost');
      assert.equal(await store.findByHash(late[0].tokenHash), undefined);
    });

    it('never rotates a revoked refresh token, nor an access token', async () => {
      const [store] = h().stores;
      const [access, refresh] = pair('gen1');
      await store.save([access, refresh]);
      await store.revoke(refresh.id, at(1));
      assert.equal(await store.rotate(refresh.id, pair('x'), at(2)), 'lost');
      assert.equal(await store.rotate(access.id, pair('y'), at(2)), 'lost');
      assert.equal(await store.findByHash(hashSecret('x-access')), undefined);
      assert.equal(await store.findByHash(hashSecret('y-access')), undefined);
    });

    it('lets exactly one of 20 concurrent rotations win and inserts only its tokens, across instances', async () => {
      const { stores } = h();
      const [, refresh] = pair('raced');
      await stores[0].save([refresh]);
      const attempts = Array.from({ length: 20 }, (_, i) => pair(`attempt-${i}`, { parentId: refresh.id }));
      const outcomes = await Promise.all(attempts.map((issued, i) => stores[i % stores.length].rotate(refresh.id, issued, at(1))));
      assert.equal(outcomes.filter((o) => o === 'rotated').length, 1);
      const stored = await Promise.all(
        attempts.map(async ([a, r]) => [await stores[0].findByHash(a.tokenHash), await stores[0].findByHash(r.tokenHash)]),
      );
      const winner = outcomes.indexOf('rotated');
      stored.forEach(([a, r], i) => {
        assert.equal(Boolean(a), i === winner);
        assert.equal(Boolean(r), i === winner);
      });
    });

    it("keeps each row's grant first-issuance time, which rotation copies rather than renews (refreshTokenAbsoluteTtl)", async () => {
      const [store] = h().stores;
      const [, refresh] = pair('aged', { createdAt: at(7200), grantCreatedAt: at(10) });
      await store.save([refresh]);
      const issued = pair('aged-next', { parentId: refresh.id, createdAt: at(7300), grantCreatedAt: at(10) });
      assert.equal(await store.rotate(refresh.id, issued, at(7300)), 'rotated');
      assert.deepEqual((await store.findByHash(refresh.tokenHash))?.grantCreatedAt, at(10));
      for (const t of issued) assert.deepEqual(await store.findByHash(t.tokenHash), t);
    });

    it('revokes one token idempotently, keeping the first revocation time (RFC 7009 §2.2)', async () => {
      const [store] = h().stores;
      const single = token('single');
      await store.save([single]);
      await store.revoke(single.id, at(1));
      await store.revoke(single.id, at(2));
      assert.deepEqual((await store.findByHash(single.tokenHash))?.revokedAt, at(1));
    });

    it('revokes every token of a grant family, across rotations, and nothing else', async () => {
      const [store] = h().stores;
      const gen1 = pair('f1', { grantId: 'family' });
      await store.save(gen1);
      const gen2 = pair('f2', { grantId: 'family', parentId: gen1[1].id });
      await store.rotate(gen1[1].id, gen2, at(1));
      const other = pair('other', { grantId: 'other-family' });
      await store.save(other);
      await store.revoke(gen1[0].id, at(1));
      const revoked = await store.revokeGrant('family', at(2));
      assert.deepEqual(revoked.sort(), [gen1[1].id, gen2[0].id, gen2[1].id].sort());
      for (const t of [...gen1, ...gen2]) assert.ok((await store.findByHash(t.tokenHash))?.revokedAt);
      for (const t of other) assert.equal((await store.findByHash(t.tokenHash))?.revokedAt, null);
      assert.deepEqual(await store.revokeGrant('family', at(3)), []);
    });

    it("revokes every token a user holds for a client, and not the user's other clients", async () => {
      const [store] = h().stores;
      const mine = [...pair('a', { grantId: 'g-a' }), ...pair('b', { grantId: 'g-b' })];
      const otherClient = pair('c', { clientId: 'client-2', grantId: 'g-c' });
      const otherUser = pair('d', { userId: 'someone', grantId: 'g-d' });
      await store.save([...mine, ...otherClient, ...otherUser]);
      const revoked = await store.revokeForUserAndClient('nate', 'client-1', at(1));
      assert.deepEqual(revoked.sort(), mine.map((t) => t.id).sort());
      for (const t of [...otherClient, ...otherUser]) assert.equal((await store.findByHash(t.tokenHash))?.revokedAt, null);
    });

    it('purges only expired tokens, at most batchSize per call', async () => {
      const [store] = h().stores;
      const old = Array.from({ length: 5 }, (_, i) => token(`old-${i}`, { expiresAt: at(10 + i) }));
      await store.save(old);
      const live = token('live', { expiresAt: at(600) });
      await store.save([live]);
      assert.equal(await store.purgeExpired(at(100), 2), 2);
      assert.equal(await store.purgeExpired(at(100), 2), 2);
      assert.equal(await store.purgeExpired(at(100), 2), 1);
      assert.equal(await store.purgeExpired(at(100), 2), 0);
      assert.deepEqual(await store.findByHash(live.tokenHash), live);
      for (const t of old) assert.equal(await store.findByHash(t.tokenHash), undefined);
    });
  });
}

/** `ConsentStore`: merged scopes per (user, client), most recently used first, revocable. */
export function describeConsentStoreContract(name: string, open: () => Promise<StoreHarness<ConsentStore>>): void {
  suite(`${name} ConsentStore contract`, open, (h) => {
    it('has no consent before the first approval', async () => {
      assert.equal(await h().stores[0].find('nate', 'client-1'), undefined);
    });

    it('finds a consent by the exact user and client only: no other case, no trailing space (RFC 6749 §10.2)', async () => {
      const [store] = h().stores;
      await store.grant('Nate', 'Client-1', ['profile'], T0);
      for (const user of variantsOf('Nate')) assert.equal(await store.find(user, 'Client-1'), undefined, JSON.stringify(user));
      for (const id of variantsOf('Client-1')) assert.equal(await store.find('Nate', id), undefined, JSON.stringify(id));
      assert.deepEqual((await store.listForUser('NATE')).length, 0);
      assert.deepEqual((await store.find('Nate', 'Client-1'))?.scopes, ['profile']);
    });

    it('records a first approval and merges later ones, keeping createdAt (RFC 6749 §10.2)', async () => {
      const [store] = h().stores;
      assert.deepEqual(await store.grant('nate', 'client-1', ['profile'], at(1)), {
        userId: 'nate',
        clientId: 'client-1',
        scopes: ['profile'],
        resources: [],
        createdAt: at(1),
        lastUsedAt: at(1),
      });
      const merged = await store.grant('nate', 'client-1', ['profile', 'email'], at(5));
      assert.deepEqual([...merged.scopes].sort(), ['email', 'profile']);
      assert.deepEqual(merged.createdAt, at(1));
      assert.deepEqual(merged.lastUsedAt, at(5));
      assert.deepEqual(await store.find('nate', 'client-1'), merged);
    });

    it('RFC 8707: records the resources an approval was for, merged with earlier ones', async () => {
      const [store] = h().stores;
      await store.grant('nate', 'client-1', ['profile'], at(1), ['https://api.shift.example/v1/']);
      const merged = await store.grant('nate', 'client-1', ['email'], at(2), [
        'https://files.shift.example/',
        'https://api.shift.example/v1/',
      ]);
      assert.deepEqual(merged.resources, ['https://api.shift.example/v1/', 'https://files.shift.example/']);
      assert.deepEqual(await store.find('nate', 'client-1'), merged);
      assert.deepEqual((await store.grant('nate', 'client-1', ['profile'], at(3))).resources, merged.resources, 'none named, none lost');
    });

    it('keeps both scopes of two concurrent approvals', async () => {
      const { stores } = h();
      await Promise.all([
        stores[0].grant('nate', 'client-1', ['profile'], at(1)),
        stores[stores.length - 1].grant('nate', 'client-1', ['email'], at(1)),
      ]);
      assert.deepEqual((await stores[0].find('nate', 'client-1'))?.scopes.sort(), ['email', 'profile']);
    });

    it("lists a user's consents most recently used first, and only theirs", async () => {
      const [store] = h().stores;
      await store.grant('nate', 'client-a', ['profile'], at(1));
      await store.grant('nate', 'client-b', ['profile'], at(2));
      await store.grant('nate', 'client-c', ['profile'], at(3));
      await store.grant('someone', 'client-a', ['profile'], at(4));
      await store.touch('nate', 'client-a', at(10));
      assert.deepEqual(
        (await store.listForUser('nate')).map((c) => c.clientId),
        ['client-a', 'client-c', 'client-b'],
      );
      assert.deepEqual((await store.find('nate', 'client-a'))?.lastUsedAt, at(10));
    });

    it('revokes a consent and says whether there was one', async () => {
      const [store] = h().stores;
      await store.grant('nate', 'client-1', ['profile'], at(1));
      assert.equal(await store.revoke('nate', 'client-1'), true);
      assert.equal(await store.find('nate', 'client-1'), undefined);
      assert.equal(await store.revoke('nate', 'client-1'), false);
    });
  });
}
