import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CUSTOMAPP_DATA_SOURCE } from './customapp.config';
import { ShiftClient, type ShiftProfile, type ShiftTeam, type TokenResponse } from './shift-api/shift-client';
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

/** What the profile page shows. */
export interface ConnectionView {
  profile: ShiftProfile;
  teams?: ShiftTeam[];
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

  /** Step 8: keeps the tokens and profile of a new connection; resolves its id. */
  async create(tokens: TokenResponse, profile: ShiftProfile, shiftTeamId: string | undefined): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await this.rows.insert({
      id,
      shiftUserId: profile.id,
      profile: JSON.stringify(profile),
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
    const profile = await this.call<ShiftProfile>(row, '/v1/users/me');
    const granted = row.scope.split(' ');
    const teams = granted.includes('teams:read') ? (await this.call<{ teams: ShiftTeam[] }>(row, '/v1/teams')).teams : undefined;
    await this.rows.update({ id }, { profile: JSON.stringify(profile) });
    return {
      profile,
      teams,
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
    } catch (err) {
      this.logger.warn(`revocation at SHIFT failed (${err instanceof Error ? err.message : 'error'}); forgetting the tokens anyway`);
    }
    await this.rows.delete({ id });
  }

  /**
   * A GET on SHIFT's API with a valid access token: refreshed first when expired, and refreshed once
   * more if SHIFT still says `invalid_token` (RFC 6750 §3.1) — e.g. the clocks disagree.
   */
  private async call<T>(row: CustomAppConnection, path: string): Promise<T> {
    if (row.accessTokenExpiresAt.getTime() - EXPIRY_MARGIN_MS <= Date.now()) await this.refresh(row);
    try {
      return await this.shift.get<T>(path, await this.accessToken(row));
    } catch (err) {
      if (!(err instanceof ShiftApiError && err.status === 401)) throw err;
      await this.refresh(row);
      try {
        return await this.shift.get<T>(path, await this.accessToken(row));
      } catch (retryErr) {
        if (retryErr instanceof ShiftApiError && retryErr.status === 401) await this.forget(row);
        throw retryErr;
      }
    }
  }

  /** Uses the refresh token (RFC 6749 §6); SHIFT rotates it, so the new one replaces it. */
  private async refresh(row: CustomAppConnection): Promise<void> {
    const cipher = await this.settings.tokenCipher();
    if (!row.refreshToken) return this.forget(row);
    let tokens: TokenResponse;
    try {
      tokens = await this.shift.refresh(cipher.decrypt(row.refreshToken, `${row.id}:refresh`));
    } catch (err) {
      // invalid_grant: the user revoked CustomApp on SHIFT, or the refresh token expired (RFC 6749 §5.2).
      if (err instanceof ShiftOAuthError && err.error === 'invalid_grant') return this.forget(row);
      throw err;
    }
    const now = new Date();
    const sealed = await this.sealTokens(
      row.id,
      { ...tokens, refresh_token: tokens.refresh_token ?? cipher.decrypt(row.refreshToken, `${row.id}:refresh`) },
      now,
    );
    Object.assign(row, sealed, { refreshCount: row.refreshCount + 1, refreshedAt: now, scope: tokens.scope ?? row.scope });
    await this.rows.update({ id: row.id }, { ...sealed, refreshCount: row.refreshCount, refreshedAt: now, scope: row.scope });
    this.logger.log(`refreshed the SHIFT access token of connection ${row.id}`);
  }

  private async forget(row: CustomAppConnection): Promise<never> {
    await this.rows.delete({ id: row.id });
    throw new ConnectionLostError('revoked');
  }

  private async accessToken(row: CustomAppConnection): Promise<string> {
    return (await this.settings.tokenCipher()).decrypt(row.accessToken, `${row.id}:access`);
  }

  private async sealTokens(id: string, tokens: TokenResponse, now: Date) {
    const cipher = await this.settings.tokenCipher();
    return {
      accessToken: cipher.encrypt(tokens.access_token, `${id}:access`),
      // A missing expires_in (RFC 6749 §5.1 makes it optional) is treated as one hour.
      accessTokenExpiresAt: new Date(now.getTime() + (tokens.expires_in ?? 3600) * 1000),
      refreshToken: tokens.refresh_token ? cipher.encrypt(tokens.refresh_token, `${id}:refresh`) : null,
    };
  }
}
