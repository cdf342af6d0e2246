// The snippets of docs/guide/pages.md, compiled with the rest of the project (strict) and checked
// against the page by test/docs-snippets.e2e-spec.ts.
import { Injectable, Module } from '@nestjs/common';
import type { Request } from 'express';
import { ClientRegistry, OAuthInteraction, OAuthModule, type ErrorView, type OAuthRequest, type OAuthUser } from 'nest-oauth2-provider';

/** Stands for the host's own templates (Handlebars, JSX, …), which escape what they print. */
declare function renderTemplate(name: string, data: object): string;

// #region interaction
@Injectable()
export class ShiftInteraction extends OAuthInteraction {
  currentUser(req: OAuthRequest): OAuthUser | undefined {
    const session = (req.raw as Request & { session?: { userId?: string } }).session;
    return session?.userId ? { id: session.userId } : undefined;
  }

  loginUrl(returnTo: string): string {
    return `/login?return_to=${encodeURIComponent(returnTo)}`;
  }

  // "Not you?" on the consent page: sign out, then log in again and come back.
  override switchAccountUrl(returnTo: string): string {
    return `/logout?return_to=${encodeURIComponent(returnTo)}`;
  }

  // Your own error page for one case; undefined keeps the built-in page for the others.
  override renderError(view: ErrorView): string | undefined {
    if (view.status >= 500) return renderTemplate('outage', { message: view.message });
    return undefined;
  }
}
// #endregion interaction

// #region theme
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: { profile: 'See your name and email address' },
      interaction: ShiftInteraction,
      pages: {
        productName: 'SHIFT',
        logoUrl: 'https://cdn.shift.example/logo.svg',
        theme: { accent: '#0f766e', radius: '6px', font: 'Inter, system-ui, sans-serif' },
        darkTheme: { accent: '#5eead4', accentText: '#042f2e' },
      },
    }),
  ],
})
export class ShiftModule {}
// #endregion theme

export async function registerWithLogo(registry: ClientRegistry) {
  // #region client-logo
  await registry.register({
    name: 'CustomApp',
    redirectUris: ['https://customapp.example/oauth/redirect'],
    logoUri: 'https://customapp.example/logo.png',
    clientUri: 'https://customapp.example/',
  });
  // #endregion client-logo
}
