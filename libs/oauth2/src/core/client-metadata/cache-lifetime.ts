/**
 * How long a fetched Client ID Metadata Document may be used before it is fetched again
 * (draft-ietf-oauth-client-id-metadata-document §4.3: "respect HTTP cache headers"), within the
 * server's bounds: `max-age` (or `s-maxage`, which addresses shared caches like this one) clamped to
 * [min, max]; `no-store`, `no-cache` or no usable header → the minimum. The minimum keeps a client
 * from making the server fetch on every request; the maximum bounds how long a changed or withdrawn
 * document is ignored.
 */
export function cacheLifetime(cacheControl: string | undefined, bounds: { min: number; max: number }): number {
  const directives = new Map<string, string | undefined>();
  for (const part of (cacheControl ?? '').split(',')) {
    const [name, value] = part.trim().split('=');
    if (name) directives.set(name.toLowerCase(), value?.replace(/^"|"$/g, ''));
  }
  if (directives.has('no-store') || directives.has('no-cache')) return bounds.min;
  const age = directives.get('s-maxage') ?? directives.get('max-age');
  const seconds = age !== undefined && /^\d+$/.test(age) ? Number(age) : bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, seconds));
}
