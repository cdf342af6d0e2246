// Peer: @node-oauth/oauth2-server v5 on plain Express, with the in-memory model of
// node-oauth-model.ts. Its `token()` serves client_credentials, authorization_code (PKCE) and
// refresh_token; its `authenticate()` guards the GET with scope `profile`.
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import OAuth2Server from '@node-oauth/oauth2-server';
import { announceReady, closeOnSignal } from '../lifecycle';
import { InMemoryOAuthModel } from './node-oauth-model';

const REDIRECT_URI = 'http://127.0.0.1/callback';

async function main(): Promise<void> {
  const model = new InMemoryOAuthModel();
  const oauth = new OAuth2Server({
    model: model as any,
    accessTokenLifetime: 3600,
    refreshTokenLifetime: 30 * 24 * 3600,
    allowEmptyState: true,
  });
  const ccSecret = model.addClient('bench-cc', ['client_credentials']);
  const webSecret = model.addClient('bench-web', ['authorization_code', 'refresh_token'], [REDIRECT_URI]);

  // Seed 1,000 access tokens through the model, as the bearer pool and background rows.
  const bearerTokens: string[] = [];
  const client = await model.getClient('bench-cc', null);
  for (let i = 0; i < 1000; i++) {
    const accessToken = randomBytes(32).toString('base64url');
    await model.saveToken({ accessToken, accessTokenExpiresAt: new Date(Date.now() + 3600_000), scope: ['profile'] }, client, {
      id: 'client:bench-cc',
    });
    if (i < 100) bearerTokens.push(accessToken);
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());

  const send = (res: express.Response, response: OAuth2Server.Response) => {
    res.set(response.headers as Record<string, string>);
    res.status(response.status ?? 200).json(response.body);
  };
  const fail = (res: express.Response, error: any) => {
    res.status(error.code ?? 500).json({ error: error.name ?? 'server_error', error_description: error.message });
  };

  app.post('/token', async (req, res) => {
    const request = new OAuth2Server.Request(req);
    const response = new OAuth2Server.Response(res);
    try {
      await oauth.token(request, response);
      send(res, response);
    } catch (error) {
      fail(res, error);
    }
  });

  app.get('/api/me', async (req, res) => {
    try {
      const token = await oauth.authenticate(new OAuth2Server.Request(req), new OAuth2Server.Response(res), { scope: ['profile'] });
      res.json({ sub: token.user.id, scope: token.scope });
    } catch (error) {
      fail(res, error);
    }
  });

  // Setup only, not measured: mint codes through the model, PKCE S256.
  const web = await model.getClient('bench-web', null);
  app.post('/bench/codes', async (req, res) => {
    const count = Math.min(Number(req.body?.count) || 1, 10_000);
    const minted = [];
    for (let i = 0; i < count; i++) {
      const code = randomBytes(32).toString('base64url');
      const verifier = randomBytes(32).toString('base64url');
      await model.saveAuthorizationCode(
        {
          authorizationCode: code,
          expiresAt: new Date(Date.now() + 600_000),
          redirectUri: REDIRECT_URI,
          scope: ['profile'],
          codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
          codeChallengeMethod: 'S256',
        },
        web,
        { id: 'user-1' },
      );
      minted.push({ code, verifier });
    }
    res.json(minted);
  });

  const server = app.listen(0, '127.0.0.1', () =>
    announceReady(server.address(), {
      getPath: '/api/me',
      tokenPath: '/token',
      ccClient: { id: 'bench-cc', secret: ccSecret },
      codeClient: { id: 'bench-web', secret: webSecret, redirectUri: REDIRECT_URI },
      bearerTokens,
      mintCodesPath: '/bench/codes',
    }),
  );
  closeOnSignal(() => new Promise((resolve) => server.close(resolve)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
