import type { OAuthToken, TokenKind } from '../models';
import { epochMillis, parseStringList, spaceSeparated } from './column-transformers';
import { openIdFromColumn, openIdToColumn } from './openid-column';

/** The columns of `oauth_tokens`, in the order of `tokenRowValues`. */
export const TOKEN_COLUMNS =
  'id, token_hash, kind, client_id, user_id, scopes, resources, grant_id, parent_id, created_at, grant_created_at, expires_at, revoked_at, rotated_at, openid';

/** A raw `oauth_tokens` row as the drivers return it: `bigint` comes back as a string from pg and mysql2. */
export interface OAuthTokenRow {
  id: string;
  token_hash: string;
  kind: TokenKind;
  client_id: string;
  user_id: string | null;
  scopes: string | null;
  resources: string | null;
  grant_id: string;
  parent_id: string | null;
  created_at: string | number;
  grant_created_at: string | number;
  expires_at: string | number;
  revoked_at: string | number | null;
  rotated_at: string | number | null;
  openid: string | null;
}

/** The domain token of a raw row; the same conversions as the entity's column transformers. */
export function tokenFromRow(row: OAuthTokenRow): OAuthToken {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    kind: row.kind,
    clientId: row.client_id,
    userId: row.user_id,
    scopes: spaceSeparated.from(row.scopes),
    resources: parseStringList(row.resources, 'oauth_tokens.resources'),
    grantId: row.grant_id,
    parentId: row.parent_id,
    createdAt: epochMillis.from(row.created_at),
    grantCreatedAt: epochMillis.from(row.grant_created_at),
    expiresAt: epochMillis.from(row.expires_at),
    revokedAt: epochMillis.from(row.revoked_at),
    rotatedAt: epochMillis.from(row.rotated_at),
    openid: openIdFromColumn(row.openid, 'oauth_tokens.openid'),
  };
}

/** The parameters of one row of an INSERT over `TOKEN_COLUMNS`. */
export function tokenRowValues(token: OAuthToken): unknown[] {
  return [
    token.id,
    token.tokenHash,
    token.kind,
    token.clientId,
    token.userId,
    spaceSeparated.to(token.scopes),
    JSON.stringify(token.resources),
    token.grantId,
    token.parentId,
    epochMillis.to(token.createdAt),
    epochMillis.to(token.grantCreatedAt),
    epochMillis.to(token.expiresAt),
    epochMillis.to(token.revokedAt) ?? null,
    epochMillis.to(token.rotatedAt) ?? null,
    openIdToColumn(token.openid),
  ];
}
