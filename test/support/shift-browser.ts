import request from 'supertest';
import type { Response } from 'supertest';
import { DEMO_USERS } from '../../apps/sample/src/shift/users/demo-data';
import { pkcePair, readForm } from './sample-harness';

/** SHIFT's OAuth endpoints (SHIFT_OAUTH_PREFIX). */
export const SHIFT_AUTH = '/v1/oauth2/auth';
export const SHIFT_TOKEN = '/v1/oauth2/token';
export const SHIFT_REVOKE = '/v1/oauth2/revoke';

/** `name=value` of the cookie `name` that `res` set. */
function cookie(res: Response, name: string): string {
  const set = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith(`${name}=`));
  if (!set) throw new Error(`${res.status}: no ${name} cookie set`);
  return set.split(';')[0];
}

/**
 * Logs a demo user in through SHIFT's login form on `instance`, as a browser does (the form's CSRF
 * field, then the password), and resolves the session cookie, good on every instance of a cluster.
 */
export async function logIn(instance: string, username: 'nate' | 'ada'): Promise<string> {
  const { password } = DEMO_USERS.find((u) => u.username === username)!;
  const page = await request(instance).get('/login');
  const { fields } = readForm(page.text, /<form method="post" action="\/login"/);
  const res = await request(instance)
    .post('/login')
    .type('form')
    .set('Cookie', cookie(page, 'shift_sid'))
    .send({ ...fields, username, password });
  if (res.status !== 303) throw new Error(`login as ${username} answered ${res.status}`);
  return cookie(res, 'shift_sid');
}

/**
 * The code flow in a logged-in browser (`session`): the authorization request to `first`, the
 * consent page's Allow posted to `second` (another instance), the code from the redirect.
 */
export async function approveCode(
  first: string,
  second: string,
  session: string,
  client: { id: string; redirectUri: string },
  scope = 'profile offline_access',
): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const query = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUri,
    scope,
    state: 'st',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  };
  let res = await request(first).get(SHIFT_AUTH).query(query).set('Cookie', session);
  if (res.status === 200) {
    const form = readForm(res.text, /<form method="post"[^>]*class="actions"/);
    res = await request(second)
      .post(form.action)
      .type('form')
      .set('Cookie', `${session}; ${cookie(res, 'oauth_consent')}`)
      .send({ ...form.fields, decision: 'allow' });
  }
  const location = res.status === 302 ? new URL(res.headers.location) : undefined;
  const code = location?.searchParams.get('code');
  if (!code || location!.searchParams.get('state') !== 'st') throw new Error(`no code: ${res.status} ${res.headers.location ?? res.text}`);
  return { code, verifier: pkce.verifier };
}

/** POST SHIFT's token endpoint on `instance` with client_secret_post credentials. */
export function postToken(instance: string, client: { id: string; secret: string }, form: Record<string, string>) {
  return request(instance)
    .post(SHIFT_TOKEN)
    .type('form')
    .send({ ...form, client_id: client.id, client_secret: client.secret });
}

/** SHIFT's bearer-guarded API: GET /v1/users/me (scope `profile`). */
export function readMe(instance: string, token: string) {
  return request(instance).get('/v1/users/me').set('Authorization', `Bearer ${token}`);
}
