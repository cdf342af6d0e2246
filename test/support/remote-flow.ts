import request from 'supertest';
import { consentCookie, hiddenFields, pkcePair, redirectParams } from '../fixtures/oauth-flow';
import { TEST_USER_HEADER } from '../fixtures/test-interaction';

/** The code flow against running instances: authorize on `first`, consent on `second` (another instance). */
export async function codeFromInstances(
  first: string,
  second: string,
  client: { id: string; redirectUri: string },
  user: string,
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
  let res = await request(first).get('/oauth2/auth').query(query).set(TEST_USER_HEADER, user);
  if (res.status === 200) {
    res = await request(second)
      .post('/oauth2/auth')
      .type('form')
      .set(TEST_USER_HEADER, user)
      .set('Cookie', consentCookie(res))
      .send({ ...hiddenFields(res.text), decision: 'allow' });
  }
  const code = redirectParams(res).get('code');
  if (!code) throw new Error(`no code: ${res.status} ${res.headers.location}`);
  return { code, verifier: pkce.verifier };
}

/** POST the token endpoint of `instance` with client_secret_post credentials. */
export function postToken(instance: string, client: { id: string; secret: string }, form: Record<string, string>) {
  return request(instance)
    .post('/oauth2/token')
    .type('form')
    .send({ ...form, client_id: client.id, client_secret: client.secret });
}
