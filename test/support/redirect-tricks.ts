import fc from 'fast-check';

/**
 * Variations of a registered redirect URI that an attacker hopes a lax matcher accepts (RFC 9700
 * §4.1.3, RFC 6819 §4.2.4): other scheme, host, port, path, query, fragment, userinfo, IDN
 * look-alikes and case changes. None is an exact match, so each must end on the error page.
 */
export function redirectTricks(registered: string): string[] {
  const url = new URL(registered);
  const host = url.host;
  const rest = registered.slice(`${url.protocol}//${host}`.length);
  const path = url.pathname;
  return [
    registered.replace(/^https?:/, url.protocol === 'https:' ? 'http:' : 'https:'),
    registered.replace(/^https?:/, 'javascript:'),
    `javascript:alert(1)//${host}${rest}`,
    `data:text/html,<script>alert(1)</script>`,
    `customapp://${host}${rest}`,
    `${url.protocol}//evil.example${rest}`,
    `${url.protocol}//${host}.evil.example${rest}`,
    `${url.protocol}//evil.example/${host}${rest}`,
    `${url.protocol}//${host}@evil.example${rest}`,
    `${url.protocol}//evil.example@${host}${rest}`,
    `${url.protocol}//user:pass@${host}${rest}`,
    `${url.protocol}//${host}\\@evil.example${rest}`,
    `${url.protocol}//${host.replace('a', '\u0430')}${rest}`, // Cyrillic а
    `${url.protocol}//${host.replace('e', '\u0435')}${rest}`, // Cyrillic е
    `${url.protocol}//xn--customapp-${host}${rest}`,
    `${url.protocol}//${url.hostname}.${url.port ? `:${url.port}` : ''}${rest}`,
    `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}${rest}`,
    `${url.protocol}//${url.hostname}:8443${rest}`,
    `${url.protocol}//${url.hostname}:${url.port ? Number(url.port) + 1 : 65536}${rest}`,
    `${url.protocol}//${host}${path}/../evil${url.search}`,
    `${url.protocol}//${host}${path}/..%2fevil${url.search}`,
    `${url.protocol}//${host}${path.replace(/\/[^/]*$/, '/../evil')}${url.search}`,
    `${url.protocol}//${host}${path}/${url.search}`,
    `${url.protocol}//${host}${path}.evil${url.search}`,
    `${url.protocol}//${host}${path}%2f..%2f..%2fevil${url.search}`,
    `${url.protocol}//${host}/${path.slice(1).toUpperCase()}${url.search}`,
    registered.toUpperCase(),
    `${url.protocol.toUpperCase()}//${host}${rest}`,
    `${url.protocol}//${host.toUpperCase()}${rest}`,
    `${registered}${url.search ? '&' : '?'}next=https://evil.example`,
    `${registered}#fragment`,
    `${registered}%23x`,
    `${registered}%00`,
    ` ${registered}`,
    `${registered} `,
    `${registered}\r\nX-Injected: 1`,
    `//evil.example${rest}`,
    `/\\evil.example${rest}`,
    rest,
  ].filter((trick) => trick !== registered); // e.g. upper-casing an IP address changes nothing
  // An empty redirect_uri is not a trick: RFC 6749 §3.1 treats it as omitted.
}

/** A registered URI, one of its tricks, or a trick with a random tail. */
export function redirectUriValue(registered: readonly string[], junk: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const tricks = registered.flatMap(redirectTricks);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...registered) },
    { weight: 3, arbitrary: fc.constantFrom(...tricks) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...registered), junk).map(([uri, tail]) => uri + tail) },
    { weight: 1, arbitrary: junk },
  );
}
