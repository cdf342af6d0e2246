import type { SigningAlgorithm } from '../../stores/models';

/**
 * OpenID Connect Core 1.0 on top of the authorization-code flow, after defaults. Present only when the
 * host turned it on (`openid` in the module options); the core then honours the `openid` scope.
 * @publicApi
 */
export interface OpenIdSettings {
  /** Lifetime of an ID token in seconds. */
  idTokenTtl: number;
  /** The algorithms ID tokens may be signed with; RS256 first (the default of OpenID Registration §2). */
  idTokenSigningAlgorithms: readonly SigningAlgorithm[];
  /**
   * Whether the claims of the granted scopes (`profile`, `email`, …) go into the ID token too, not only
   * UserInfo (OpenID Connect Core §5.4 returns them from UserInfo when an access token is issued; an
   * OP may add them to the ID token, which spares a relying party one request).
   */
  claimsInIdToken: boolean;
  /** The subject types the server offers (`subject_types_supported`): `public` always, `pairwise` too. */
  subjectTypes: readonly ('public' | 'pairwise')[];
  /**
   * The secret salt of pairwise subjects (OpenID Connect Core §8.1): changing it changes every
   * pairwise `sub`. Undefined = derived from the server `secret`; pairwise then needs one.
   */
  pairwiseSalt: string | undefined;
  /** Scope → the claims it releases (the four standard sets of Core §5.4 plus any the host adds). */
  scopeClaims: Readonly<Record<string, readonly string[]>>;
}

/** OpenID Connect Core §5.4: the claims each standard scope asks for. */
export const STANDARD_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  profile: Object.freeze([
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ]),
  email: Object.freeze(['email', 'email_verified']),
  address: Object.freeze(['address']),
  phone: Object.freeze(['phone_number', 'phone_number_verified']),
});

/** The scope that makes an authorization request an OpenID Connect one (Core §3.1.2.1). */
export const OPENID_SCOPE = 'openid';
