import 'express-session';

/** What the two apps keep in their sessions. Never a password, a token or a client secret. */
declare module 'express-session' {
  interface SessionData {
    /** Per-session token posted by every form of the app (synchronizer-token CSRF defence). */
    csrf?: string;
    /** A one-time message for the next page. */
    notice?: string;
    /**
     * SHIFT: the one-time token of the developer portal form whose answer shows a client secret. A
     * second post of that form (a reload) finds it gone and creates or rotates nothing more.
     */
    secretFormNonce?: string;
    /** SHIFT: the logged-in user. */
    userId?: string;
    /**
     * SHIFT: when that user typed their password (epoch milliseconds): the ID token's `auth_time`, which
     * `max_age` and `prompt=login` are checked against. Only a login sets it, never a later visit.
     */
    authTime?: number;
    /** CustomApp: the SHIFT connection this browser uses. */
    connectionId?: string;
    /** CustomApp: the authorization request in flight (RFC 6749 §10.12 state, RFC 7636 verifier). */
    pending?: { state: string; nonce: string; codeVerifier: string; shiftTeamId?: string; startedAt: number };
    /** CustomApp: the `state` of the sign-out sent on to SHIFT (OpenID Connect RP-Initiated Logout §3), checked on the way back. */
    signingOut?: { state: string; startedAt: number };
  }
}
