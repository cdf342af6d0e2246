/** SHIFT answered an OAuth request with an error (RFC 6749 §5.2, RFC 7009 §2.2.1). */
export class ShiftOAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(`SHIFT answered ${status} ${error}${description ? `: ${description}` : ''}`);
    this.name = 'ShiftOAuthError';
  }
}

/** SHIFT's API refused a call; `error` is the RFC 6750 §3.1 code from WWW-Authenticate, when given. */
export class ShiftApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | undefined,
  ) {
    super(`SHIFT's API answered ${status}${error ? ` ${error}` : ''}`);
    this.name = 'ShiftApiError';
  }
}

/** SHIFT could not be reached, or answered something that is not OAuth. */
export class ShiftUnavailableError extends Error {
  constructor(reason: string) {
    super(`SHIFT is unavailable: ${reason}`);
    this.name = 'ShiftUnavailableError';
  }
}

/**
 * SHIFT's answer failed a check CustomApp makes (openid-client's error code): a state, issuer or
 * nonce that does not match, an ID token with a bad signature or for another client. Never trusted.
 */
export class ShiftResponseError extends Error {
  constructor(readonly code: string) {
    super(`SHIFT's answer failed a check: ${code}`);
    this.name = 'ShiftResponseError';
  }
}
