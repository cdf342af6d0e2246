import type { OAuthModuleOptions } from 'nest-oauth2-provider';

// Read by OAuthModule.forRoot (app.module.ts) and by the admin CLI (--config dist/oauth-options.js).
export const oauthOptions: OAuthModuleOptions = {
  issuer: process.env.OAUTH_ISSUER ?? 'http://localhost:3000', // https in production
  scopes: { profile: 'Read your profile', offline_access: 'Stay connected when you are away' },
  secret: process.env.OAUTH_SECRET, // at least 32 characters, the same on every instance
};
