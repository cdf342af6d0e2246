import { Logger } from '@nestjs/common';
import { ConnectionLostError } from './connections.service';
import { ShiftApiError, ShiftOAuthError, ShiftResponseError, ShiftUnavailableError } from './shift-api/shift-errors';

/** An error page: a title and a sentence for a person, never a stack trace or a token. */
export interface ErrorPage {
  title: string;
  message: string;
  /** Shown small, for whoever debugs: the OAuth error code. */
  code?: string;
}

const logger = new Logger('CustomApp');

/** The page for an `error` SHIFT sent back to the redirect URI (RFC 6749 §4.1.2.1). */
export function authorizationErrorPage(error: string, description?: string): ErrorPage {
  if (error === 'access_denied') {
    return {
      title: 'Not connected',
      message: 'You chose not to let CustomApp use your SHIFT account. Nothing was shared. You can try again whenever you like.',
      code: error,
    };
  }
  return {
    title: 'SHIFT could not connect you',
    message: description ? `SHIFT said: ${description}` : 'SHIFT turned the request down. Please try again.',
    code: error,
  };
}

/** The status and page for an error while talking to SHIFT. */
export function friendlyShiftError(err: unknown): { status: number; page: ErrorPage } {
  if (err instanceof ConnectionLostError) {
    return { status: 401, page: { title: 'Disconnected', message: 'Your SHIFT connection has ended. Log in with SHIFT again.' } };
  }
  if (err instanceof ShiftOAuthError) {
    logger.warn(`SHIFT refused a token request: ${err.error}`);
    return {
      status: 502,
      page: {
        title: 'SHIFT could not connect you',
        message:
          err.error === 'invalid_grant'
            ? 'That sign-in link has expired or was already used. Please log in with SHIFT again.'
            : 'SHIFT refused to connect CustomApp. Please try again later.',
        code: err.error,
      },
    };
  }
  if (err instanceof ShiftResponseError) {
    // A forged or mixed-up answer, or an ID token that does not verify: nothing from it is used.
    logger.warn(`SHIFT's answer failed a check: ${err.code}`);
    return {
      status: 502,
      page: {
        title: 'Please start again',
        message: 'SHIFT’s answer could not be verified, so CustomApp did not sign you in.',
        code: err.code,
      },
    };
  }
  if (err instanceof ShiftApiError) {
    logger.warn(`SHIFT's API refused a call: ${err.status}`);
    return {
      status: 502,
      page: { title: 'SHIFT said no', message: 'SHIFT did not give us your profile. Please try again.', code: err.error },
    };
  }
  logger.warn(
    err instanceof ShiftUnavailableError
      ? err.message
      : `unexpected error talking to SHIFT: ${err instanceof Error ? err.name : 'unknown'}`,
  );
  return {
    status: 503,
    page: { title: 'SHIFT is unavailable', message: 'We could not reach SHIFT just now. Please try again in a moment.' },
  };
}
