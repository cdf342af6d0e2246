// The snippets of docs/guide/openid-connect.md, compiled with the rest of the project (strict) and
// checked against the page by test/docs-snippets.e2e-spec.ts. What they take from the host app
// around them is declared first.
import { Injectable, Module } from '@nestjs/common';
import type { Request } from 'express';
import {
  ClaimsProvider,
  ClientRegistry,
  OAuthInteraction,
  OAuthModule,
  type LoginHints,
  type OAuthRequest,
  type OAuthUser,
} from 'nest-oauth2-provider';

/** The host's account, as its own service returns it. */
interface Account {
  id: string;
  username: string;
  displayName: string;
  email: string;
  emailConfirmed: boolean;
  updatedAt: Date;
}

@Injectable()
class AccountsService {
  private readonly byId = new Map<string, Account>();

  async find(id: string): Promise<Account | undefined> {
    return this.byId.get(id);
  }
}

/** What the host's session middleware keeps: who logged in, and when they typed their password. */
interface LoginSession {
  userId?: string;
  loggedInAt?: number;
  destroy(done: (err?: unknown) => void): void;
}

type SessionRequest = Request & { session?: LoginSession };

// #region claims
@Injectable()
export class AccountClaims extends ClaimsProvider {
  constructor(private readonly accounts: AccountsService) {
    super();
  }

  // Return everything you are willing to say; the server keeps what the granted scopes release.
  async claims(userId: string): Promise<Record<string, unknown> | undefined> {
    const account = await this.accounts.find(userId);
    if (!account) return undefined; // deleted: UserInfo answers invalid_token
    return {
      name: account.displayName,
      preferred_username: account.username,
      email: account.email,
      email_verified: account.emailConfirmed,
      updated_at: Math.floor(account.updatedAt.getTime() / 1000),
    };
  }
}
// #endregion claims

// #region interaction
@Injectable()
export class AccountInteraction extends OAuthInteraction {
  currentUser(req: OAuthRequest): OAuthUser | undefined {
    const session = (req.raw as SessionRequest).session;
    if (!session?.userId) return undefined;
    return {
      id: session.userId,
      // When the password was typed: the ID token's auth_time, checked against max_age and prompt=login.
      authTime: session.loggedInAt === undefined ? undefined : new Date(session.loggedInAt),
      amr: ['pwd'], // RFC 8176 method names
    };
  }

  loginUrl(returnTo: string, _req: OAuthRequest, forceLogin: boolean, hints?: LoginHints): string {
    const query = new URLSearchParams({ return_to: returnTo });
    if (forceLogin) query.set('reauthenticate', '1'); // show the form even to a logged-in user
    if (hints?.loginHint) query.set('username', hints.loginHint); // a prefill, never a decision
    return `/login?${query.toString()}`;
  }

  // RP-Initiated Logout: the end-session endpoint calls this once the request checks out.
  override endSession(req: OAuthRequest): Promise<void> {
    const session = (req.raw as SessionRequest).session;
    return new Promise((resolve) => (session ? session.destroy(() => resolve()) : resolve()));
  }
}
// #endregion interaction

// #region options
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: {
        openid: 'Sign you in with your SHIFT account',
        profile: 'See your name',
        email: 'See your email address',
        offline_access: 'Stay connected',
      },
      openid: {}, // ID tokens, UserInfo, discovery and logout, with the defaults below
      interaction: AccountInteraction,
      claims: AccountClaims,
    }),
  ],
  providers: [AccountsService, AccountInteraction, AccountClaims],
})
export class AppModule {}
// #endregion options

// #region pairwise
OAuthModule.forRoot({
  issuer: 'https://shift.example',
  scopes: { openid: 'Sign you in', profile: 'See your name' },
  openid: {
    idTokenTtl: 600,
    claimsInIdToken: false, // the ID token says who; the rest comes from UserInfo
    pairwiseSalt: process.env.OIDC_PAIRWISE_SALT, // keep it forever: changing it changes every pairwise sub
  },
});
// #endregion pairwise

export async function registerRelyingParty(registry: ClientRegistry) {
  // #region register-client
  const { client, clientSecret } = await registry.register({
    name: 'CustomApp',
    redirectUris: ['https://customapp.example/oauth/redirect'],
    postLogoutRedirectUris: ['https://customapp.example/signed-out'],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    subjectType: 'pairwise', // optional: this client sees its own sub for each user
  });
  // #endregion register-client
  return { clientId: client.id, clientSecret };
}
