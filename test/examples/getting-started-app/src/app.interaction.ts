import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { OAuthInteraction, type OAuthRequest, type OAuthUser } from 'nest-oauth2-provider';

// What your login page keeps in the session (express-session's typed SessionData).
declare module 'express-session' {
  interface SessionData {
    userId?: string;
    displayName?: string;
  }
}

@Injectable()
export class AppInteraction extends OAuthInteraction {
  currentUser(req: OAuthRequest): OAuthUser | undefined {
    const session = (req.raw as Request).session; // your session, read from the framework's request
    return session.userId ? { id: session.userId, name: session.displayName } : undefined;
  }

  loginUrl(returnTo: string): string {
    return `/login?return_to=${encodeURIComponent(returnTo)}`; // only ever redirect to a local path
  }

  // Optional: render the consent page with your own templates (escape every string, post every
  // entry of view.fields back unchanged). Return undefined to use the built-in page.
  // renderConsent(view: ConsentView) { return this.views.render('consent', view); }
}
