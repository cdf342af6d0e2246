/** DI token of the validated, frozen `OAuthResourceModule` options. */
export const RESOLVED_OAUTH_RESOURCE_OPTIONS = 'OAUTH:RESOLVED_RESOURCE_OPTIONS';
