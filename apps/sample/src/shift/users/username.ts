/**
 * The one spelling of a username that SHIFT stores, looks up and rate-limits: compatibility forms
 * folded (NFKC: full-width "ａｄａ" is "ada"), surrounding space dropped, lower case. Every use goes
 * through it, so no variant of a name can open a fresh login budget for the same account.
 */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}
