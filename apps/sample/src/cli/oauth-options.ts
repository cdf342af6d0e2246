import type { OAuthModuleOptions } from 'nest-oauth2-provider';
import { validateSampleEnv } from '../sample-config';
import { shiftOAuthOptions } from '../shift/shift-oauth.options';

/**
 * SHIFT's OAuth settings for the package's `nest-oauth2` CLI (`--config`), from the same environment
 * as the running server: the CLI accepts a client exactly when SHIFT would, and `keys rotate` opens
 * SHIFT's keys (OAUTH_KEY_ENCRYPTION_KEY) and times their publication and retirement as SHIFT does
 * (JWKS_MAX_AGE, KEY_REFRESH_INTERVAL, CLOCK_TOLERANCE, and the token lifetimes).
 */
const { sample } = validateSampleEnv(process.env);
export const oauthOptions: OAuthModuleOptions = shiftOAuthOptions(sample);
