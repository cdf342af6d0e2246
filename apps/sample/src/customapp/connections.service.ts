import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CUSTOMAPP_DATA_SOURCE } from './customapp.config';
import {
  ShiftClient,
  type ShiftApi,
  type ShiftIdentity,
  type ShiftProfile,
  type ShiftTeam,
  type SignIn,
  type TokenResponse,
} from './shift-api/shift-client';
import { ShiftApiError, ShiftOAuthError } from './shift-api/shift-errors';
import { CustomAppConnection } from './storage/customapp.entities';
import { CustomAppSettings } from './storage/customapp-settings.service';

/** The connection is gone: SHIFT revoked it, or it was never there. The user has to log in again. */
export class ConnectionLostError extends Error {
  constructor(readonly reason: 'revoked' | 'missing') {
    super(reason === 'revoked' ? 'SHIFT no longer accepts this connection' : 'no such connection');
    this.name = 'ConnectionLostError';
  }
}

/** A file from SHIFT Files' `GET /v1/files`. */
export interface ShiftFile {
  id: string;
  name: string;
  size: number;
  updated_at: string;
}

/**
 * What each API answered when shown the other API's token: each token has one audience (RFC 8707),
 * so both should refuse with 401 `invalid_token`. The profile page shows it; a real app would not ask.
 */
export interface AudienceCheck {
  /** SHIFT Files, shown the token for SHIFT's user API. */
  filesWithUserApiToken: string;
  /** SHIFT's user API, shown the token for SHIFT Files. */
  userApiWithFilesToken: string;
}

/** What the profile page shows. */
export interface ConnectionView {
  /** Who signed in, from the ID token; undefined for a connection made before CustomApp used OpenID Connect. */
  identity?: ShiftIdentity;
  /** `GET /v1/users/me`, SHIFT's API read with the access token. */
  profile: ShiftProfile;
  teams?: ShiftTeam[];
  /** The user's files at SHIFT Files, fetched with a token for SHIFT Files; undefined when SHIFT did not grant `files:read`. */
  files?: ShiftFile[];
  audienceCheck?: AudienceCheck;
  scope: string;
  accessTokenExpiresAt: Date;
  refreshCount: number;
  refreshedAt: Date | null;
  connectedAt: Date;
  shiftTeamId: string | null;
}

/** Renew the access token this many milliseconds before it expires, so a call never races the expiry. */
const EXPIRY_MARGIN_MS = 1000;

/**
 * CustomApp's SHIFT connections: stores tokens encrypted, refreshes the access token when it has
 * expired, and forgets a connection SHIFT has revoked.
 */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger('CustomApp');

  constructor(
    @InjectRepository(CustomAppConnection, CUSTOMAPP_DATA_SOURCE) private readonly rows: Repository<CustomAppConnection>,
    private readonly shift: ShiftClient,
    private readonly settings: CustomAppSettings,
  ) {}

  /** Step 8: keeps the tokens and ID token of a new sign-in; resolves its id. */
  async create(signIn: SignIn, shiftTeamId: string | undefined): Promise<string> {
    const { tokens } = signIn;
    const id = randomUUID();
    const now = new Date();
    const cipher = await this.settings.tokenCipher();
    await this.rows.insert({
      id,
      shiftUserId: signIn.identity.sub,
      identity: JSON.stringify(signIn.identity),
      idToken: cipher.encrypt(signIn.idToken, `${id}:id_token`),
      // Filled by the first `load`, which reads the API with a fresh access token.
      profile: '{}',
      scope: tokens.scope ?? '',
      ...(await this.sealTokens(id, tokens, now)),
      refreshCount: 0,
      shiftTeamId: shiftTeamId ?? null,
      connectedAt: now,
      refreshedAt: null,
    });
    return id;
  }

  /** The profile (fresh from SHIFT) and teams of a connection, refreshing the access token when needed. */
  async load(id: string): Promise<ConnectionView> {
    const row = await this.rows.findOneBy({ id });
    if (!row) throw new ConnectionLostError('missing');
    const profile = await this.call<ShiftProfile>(row, 'userApi', '/v1/users/me');
    const granted = row.scope.split(' ');
    const teams = granted.includes('teams:read') ? (await this.call<{ teams: ShiftTeam[] }>(row, 'userApi', '/v1/teams')).teams : undefined;
    const files = await this.files(row);
    await this.rows.update({ id }, { profile: JSON.stringify(profile) });
    return {
      identity: row.identity ? (JSON.parse(row.identity) as ShiftIdentity) : undefined,
      profile,
      teams,
      files,
      audienceCheck: files ? await this.audienceCheck(row) : undefined,
      scope: row.scope,
      accessTokenExpiresAt: row.accessTokenExpiresAt,
      refreshCount: row.refreshCount,
      refreshedAt: row.refreshedAt,
      connectedAt: row.connectedAt,
      shiftTeamId: row.shiftTeamId,
    };
  }

  /** "Disconnect": revokes the grant at SHIFT (RFC 7009), then forgets the tokens whatever SHIFT said. */
  async disconnect(id: string): Promise<void> {
    const row = await this.rows.findOneBy({ id });
    if (!row) return;
    const cipher = await this.settings.tokenCipher();
    try {
      if (row.refreshToken) await this.shift.revoke(cipher.decrypt(row.refreshToken, `${id}:refresh`), 'refresh_token');
      await this.shift.revoke(cipher.decrypt(row.accessToken, `${id}:access`), 'access_token');
      if (row.filesAccessToken) await this.shift.revoke(cipher.decrypt(row.filesAccessToken, `${id}:files`), 'access_token');
    } catch (err) {
      this.logger.warn(`revocation at SHIFT failed (${err instanceof Error ? err.message : 'error'}); forgetting the tokens anyway`);
    }
    await this.rows.delete({ id });
  }

  /**
   * "Sign out": CustomApp forgets the connection's tokens (without revoking them: the user still
   * allows CustomApp at SHIFT, so the next sign-in asks no consent) and hands back the ID token, the
   * `id_token_hint` of the sign-out at SHIFT (OpenID Connect RP-Initiated Logout §2).
   */
  async signOut(id: string): Promise<string | undefined> {
    const row = await this.rows.findOneBy({ id });
    if (!row) return undefined;
    await this.rows.delete({ id });
    if (!row.idToken) return undefined;
    return (await this.settings.tokenCipher()).decrypt(row.idToken, `${id}:id_token`);
  }

  /**
   * The user's files, with the token for SHIFT Files; undefined when the grant does not cover SHIFT
   * Files (a connection made before CustomApp asked for it: SHIFT answers `invalid_target`).
   */
  private async files(row: CustomAppConnection): Promise<ShiftFile[] | undefined> {
    try {
      return (await this.call<{ files: ShiftFile[] }>(row, 'files', '/v1/files')).files;
    } catch (err) {
      if (err instanceof ShiftOAuthError && err.error === 'invalid_target') return undefined;
      if (err instanceof ShiftApiError && err.status === 403) return undefined;
      throw err;
    }
  }

  /** Each API shown the other's token: what it answered (status and RFC 6750 error). */
  private async audienceCheck(row: CustomAppConnection): Promise<AudienceCheck> {
    const answer = async (api: ShiftApi, path: string, token: string) => {
      try {
        await this.shift.get(api, path, token);
        return 'accepted it';
      } catch (err) {
        if (err instanceof ShiftApiError) return `refused it: ${err.status}${err.error ? ` ${err.error}` : ''}`;
        throw err;
      }
    };
    return {
      filesWithUserApiToken: await answer('files', '/v1/files', await this.accessToken(row, 'userApi')),
      userApiWithFilesToken: await answer('userApi', '/v1/users/me', await this.accessToken(row, 'files')),
    };
  }

  /**
   * A GET on one of SHIFT's APIs with a valid access token for it: fetched or refreshed first when
   * missing or expired, and refreshed once more if the API still says `invalid_token` (RFC 6750 §3.1)
   * — e.g. the clocks disagree.
   */
  private async call<T>(row: CustomAppConnection, api: ShiftApi, path: string): Promise<T> {
    const expiresAt = api === 'userApi' ? row.accessTokenExpiresAt : row.filesAccessTokenExpiresAt;
    if (!expiresAt || expiresAt.getTime() - EXPIRY_MARGIN_MS <= Date.now()) await this.refresh(row, api);
    try {
      return await this.shift.get<T>(api, path, await this.accessToken(row, api));
    } catch (err) {
      if (!(err instanceof ShiftApiError && err.status === 401)) throw err;
      await this.refresh(row, api);
      try {
        return await this.shift.get<T>(api, path, await this.accessToken(row, api));
      } catch (retryErr) {
        // The user API refusing a fresh token means the connection is gone; SHIFT Files alone does not decide that.
        if (api === 'userApi' && retryErr instanceof ShiftApiError && retryErr.status === 401) await this.forget(row);
        throw retryErr;
      }
    }
  }

  /**
   * Uses the refresh token for a new access token for `api` (RFC 6749 §6, RFC 8707 §2); SHIFT rotates
   * the refresh token, so the new one replaces it.
   */
  private async refresh(row: CustomAppConnection, api: ShiftApi): Promise<void> {
    const cipher = await this.settings.tokenCipher();
    if (!row.refreshToken) return this.forget(row);
    let tokens: TokenResponse;
    let identity: ShiftIdentity | undefined;
    try {
      const subject = row.identity ? (JSON.parse(row.identity) as ShiftIdentity).sub : undefined;
      ({ tokens, identity } = await this.shift.refresh(cipher.decrypt(row.refreshToken, `${row.id}:refresh`), api, subject));
    } catch (err) {
      // invalid_grant: the user revoked CustomApp on SHIFT, or the refresh token expired (RFC 6749 §5.2).
      if (err instanceof ShiftOAuthError && err.error === 'invalid_grant') return this.forget(row);
      throw err;
    }
    const now = new Date();
    const refreshToken = tokens.refresh_token ?? cipher.decrypt(row.refreshToken, `${row.id}:refresh`);
    const sealedTokens =
      api === 'userApi'
        ? { ...(await this.sealTokens(row.id, { ...tokens, refresh_token: refreshToken }, now)), scope: tokens.scope ?? row.scope }
        : {
            filesAccessToken: cipher.encrypt(tokens.access_token, `${row.id}:files`),
            filesAccessTokenExpiresAt: expiry(tokens, now),
            refreshToken: cipher.encrypt(refreshToken, `${row.id}:refresh`),
          };
    // A refreshed ID token, verified and of the same user, replaces the old one: it is the freshest `id_token_hint`.
    const renewedIdToken =
      identity && tokens.id_token
        ? { identity: JSON.stringify(identity), idToken: cipher.encrypt(tokens.id_token, `${row.id}:id_token`) }
        : {};
    const sealed = { ...sealedTokens, ...renewedIdToken };
    Object.assign(row, sealed, { refreshCount: row.refreshCount + 1, refreshedAt: now });
    await this.rows.update({ id: row.id }, { ...sealed, refreshCount: row.refreshCount, refreshedAt: now });
    this.logger.log(`refreshed the ${api === 'userApi' ? 'SHIFT' : 'SHIFT Files'} access token of connection ${row.id}`);
  }

  private async forget(row: CustomAppConnection): Promise<never> {
    await this.rows.delete({ id: row.id });
    throw new ConnectionLostError('revoked');
  }

  private async accessToken(row: CustomAppConnection, api: ShiftApi): Promise<string> {
    const cipher = await this.settings.tokenCipher();
    if (api === 'userApi') return cipher.decrypt(row.accessToken, `${row.id}:access`);
    if (!row.filesAccessToken) throw new ShiftApiError(401, 'invalid_token');
    return cipher.decrypt(row.filesAccessToken, `${row.id}:files`);
  }

  private async sealTokens(id: string, tokens: TokenResponse, now: Date) {
    const cipher = await this.settings.tokenCipher();
    return {
      accessToken: cipher.encrypt(tokens.access_token, `${id}:access`),
      accessTokenExpiresAt: expiry(tokens, now),
      refreshToken: tokens.refresh_token ? cipher.encrypt(tokens.refresh_token, `${id}:refresh`) : null,
    };
  }
}

/** When an access token expires; a missing `expires_in` (RFC 6749 §5.1 makes it optional) is treated as one hour. */
function expiry(tokens: TokenResponse, now: Date): Date {
  return new Date(now.getTime() + (tokens.expires_in ?? 3600) * 1000);
}
