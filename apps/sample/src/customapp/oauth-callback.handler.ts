import { Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import { sameSecret } from '../web/web-security';
import { ConnectionsService } from './connections.service';
import { authorizationErrorPage, friendlyShiftError, type ErrorPage } from './friendly-errors';
import { ShiftClient } from './shift-api/shift-client';

/** What the callback led to. */
export type CallbackOutcome = { kind: 'connected'; connectionId: string } | { kind: 'error'; status: number; page: ErrorPage };

/** A pending authorization request older than this is refused (the user walked away). */
const PENDING_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * The redirect URI's work (steps 3–8): check `state` (RFC 6749 §10.12) and `iss` (RFC 9207 §2.4),
 * exchange the code with the PKCE verifier and client secret and verify the ID token (OpenID Connect
 * Core §3.1.3.7, nonce included), keep the connection.
 */
@Injectable()
export class OAuthCallbackHandler {
  constructor(
    private readonly shift: ShiftClient,
    private readonly connections: ConnectionsService,
  ) {}

  async handle(query: Record<string, unknown>, pending: SessionData['pending']): Promise<CallbackOutcome> {
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const state = param('state');
    if (!pending || !state || !sameSecret(state, pending.state) || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS) {
      // Not a response to a request this browser made: a stale tab, a replay, or a forged link (CSRF).
      return this.fail(400, {
        title: 'Please start again',
        message: 'This sign-in did not start here, or took too long. Click "Log in with SHIFT" to try again.',
      });
    }
    // Mix-up defence: the response must come from the authorization server the request went to.
    if (param('iss') !== this.shift.issuer) {
      return this.fail(400, { title: 'Please start again', message: 'This answer did not come from SHIFT.', code: 'invalid_issuer' });
    }
    const error = param('error');
    if (error) return this.fail(400, authorizationErrorPage(error, param('error_description')));
    const code = param('code');
    if (!code) return this.fail(400, { title: 'Please start again', message: 'SHIFT sent no authorization code.' });
    const teamId = param('shift_team_id');
    if (teamId !== pending.shiftTeamId) {
      return this.fail(400, {
        title: 'Please start again',
        message: 'The team in SHIFT’s answer is not the one you opened CustomApp from.',
      });
    }
    try {
      // Who signed in is the ID token's to say; the profile page reads the API next, refreshing as needed.
      const signIn = await this.shift.signIn(query, pending);
      return { kind: 'connected', connectionId: await this.connections.create(signIn, teamId) };
    } catch (err) {
      const { status, page } = friendlyShiftError(err);
      return this.fail(status, page);
    }
  }

  private fail(status: number, page: ErrorPage): CallbackOutcome {
    return { kind: 'error', status, page };
  }
}
