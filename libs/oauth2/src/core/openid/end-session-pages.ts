import { escapeHtml, renderPage } from '../html-pages';
import { DEFAULT_PAGE_SETTINGS, type PageSettings } from '../pages/page-theme';

/**
 * The built-in pages of the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2, §3), in
 * the frame and style of the consent page: every interpolated string goes through `escapeHtml`, and
 * they run no script.
 */

/** What the sign-out confirmation shows and posts back. */
export interface LogoutConfirmationView {
  /** Who is signed in, in words. */
  user: string;
  /** The client that asked, when it is known: its name is what its registration says. */
  clientName?: string;
  /** Where the form posts (`POST {prefix}/logout`). */
  action: string;
  /** Hidden fields (the request and its CSRF token) the form posts back unchanged. */
  fields: Record<string, string>;
}

/**
 * Asks the user to confirm: a logout request without a verifiable `id_token_hint` could come from any
 * site, and signing someone out on a third party's word is a nuisance attack (RP-Initiated Logout §6).
 */
export function renderLogoutConfirmation(view: LogoutConfirmationView, settings: PageSettings = DEFAULT_PAGE_SETTINGS): string {
  const service = settings.productName ? escapeHtml(settings.productName) : 'this service';
  const asker = view.clientName
    ? `<p><strong class="client">${escapeHtml(view.clientName)}</strong> asks you to sign out of ${service}.</p>`
    : `<p>A site asks you to sign out of ${service}.</p>`;
  const hidden = Object.entries(view.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return renderPage(
    'Sign out?',
    `<h1>Sign out?</h1>` +
      `<p class="user">Signed in as <strong>${escapeHtml(view.user)}</strong>.</p>` +
      asker +
      `<form method="post" action="${escapeHtml(view.action)}">${hidden}<div class="actions">` +
      `<button type="submit" class="primary" name="logout" value="yes">Sign out</button></div></form>` +
      `<p class="muted">If you did not ask to sign out, close this page: you stay signed in.</p>`,
    settings,
  );
}

/** Shown after signing out when there is no client to return to. */
export function renderSignedOutPage(settings: PageSettings = DEFAULT_PAGE_SETTINGS): string {
  const service = settings.productName ? ` of ${escapeHtml(settings.productName)}` : '';
  return renderPage(
    'You are signed out',
    `<h1>You are signed out</h1><p>You are signed out${service}.</p>` +
      `<p class="muted">Close this page and return to the application you came from.</p>`,
    settings,
  );
}
