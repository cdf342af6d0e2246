/** The longest `login_hint` SHIFT copies into its login form: a username or an email address, never more. */
export const MAX_LOGIN_HINT = 255;

/** The username the login form starts with: the `login_hint` an app sent (OpenID Connect Core §3.1.2.1), when it is usable. */
export function usernameFromHint(hint: unknown): string | undefined {
  if (typeof hint !== 'string') return undefined;
  const trimmed = hint.trim();
  return trimmed && trimmed.length <= MAX_LOGIN_HINT ? trimmed : undefined;
}
