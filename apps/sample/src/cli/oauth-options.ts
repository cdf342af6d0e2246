import type { OAuthModuleOptions } from 'nest-oauth2-provider';
import { validateSampleEnv } from '../sample-config';
import { shiftOAuthOptions } from '../shift/shift-oauth.options';

/**
 * SHIFT's OAuth settings for the package's `nest-oauth2` CLI (`--config`), from the same
 * OAUTH_ISSUER and FILES_URL as the running server, so the CLI accepts a client exactly when SHIFT would.
 */
const { sample } = validateSampleEnv(process.env);
export const oauthOptions: OAuthModuleOptions = shiftOAuthOptions(sample.issuer, sample.filesUrl);
