// A stranger's app, written only from docs/guide/getting-started.md: the files the guide shows are
// taken from the Markdown as the reader sees them, written into a fresh `nest new` app that has
// installed what the guide's `npm install` lines name (our package from the packed tarball),
// compiled with tsc as `nest new` sets it up (strict), and started. The client is registered with the
// guide's own `npx nest-oauth2 clients create …` command, then a browser logs in and approves.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { browserFlow } from './browser-flow.mjs';
import { check, install, installed, root, run } from './support.mjs';

const GUIDE = 'docs/guide/getting-started.md';
/** A block that is a whole file of the guide's app: `<!-- snippet: test/examples/getting-started-app/src/x.ts -->`. */
const APP_FILE = /<!-- snippet: test\/examples\/getting-started-app\/(\S+\.ts) -->\n```ts\n([\s\S]*?)```/g;

/** What `nest new` (NestJS 12) gives an app before the guide's steps: its packages and compiler options. */
const NEST_NEW = {
  dependencies: ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'reflect-metadata', 'rxjs'],
  devDependencies: ['typescript', '@types/node', '@types/express'],
  tsconfig: {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      resolvePackageJsonExports: true,
      esModuleInterop: true,
      isolatedModules: true,
      declaration: true,
      removeComments: true,
      emitDecoratorMetadata: true,
      experimentalDecorators: true,
      allowSyntheticDefaultImports: true,
      target: 'ES2023',
      types: ['node'],
      sourceMap: true,
      outDir: './dist',
      rootDir: '.',
      incremental: true,
      skipLibCheck: true,
      strict: true,
      strictPropertyInitialization: false,
    },
  },
  tsconfigBuild: { extends: './tsconfig.json', compilerOptions: { rootDir: './src' }, include: ['src'], exclude: ['node_modules', 'dist'] },
};

/** The guide, read as a stranger would: its app files, its install lines and its client registration. */
export function readGuide() {
  const markdown = readFileSync(join(root, GUIDE), 'utf8');
  const files = [...markdown.matchAll(APP_FILE)].map(([, path, code]) => ({ path, code }));
  const shell = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map(([, block]) => block);
  const installs = shell.flatMap((block) => block.split('\n')).filter((line) => /^npm install /.test(line));
  const packages = { dependencies: [], devDependencies: [] };
  for (const line of installs) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/).slice(2);
    const dev = words.some((w) => w === '--save-dev' || w === '-D');
    packages[dev ? 'devDependencies' : 'dependencies'].push(...words.filter((w) => !w.startsWith('-')));
  }
  const register = shell.find((block) => block.includes('nest-oauth2 clients create'));
  return { files, packages, register };
}

export async function strangerApp({ tarball, work }) {
  const guide = readGuide();
  check(guide.files.length >= 5, `${GUIDE} shows the app's files in full (${guide.files.map((f) => f.path).join(', ')})`);
  check(guide.packages.dependencies.includes('nest-oauth2-provider'), `${GUIDE} installs nest-oauth2-provider`);
  check(guide.register !== undefined, `${GUIDE} registers a client with npx nest-oauth2 clients create`);

  const app = join(work, 'stranger');
  const versions = (names) => Object.fromEntries(names.filter((n) => n !== 'nest-oauth2-provider').map((n) => [n, installed(n)]));
  console.log(`installing a fresh nest new app and what ${GUIDE} installs (${guide.packages.dependencies.join(', ')})…`);
  install(app, {
    tarball,
    name: 'my-app',
    dependencies: versions([...NEST_NEW.dependencies, ...guide.packages.dependencies]),
    devDependencies: versions([...NEST_NEW.devDependencies, ...guide.packages.devDependencies]),
  });
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(NEST_NEW.tsconfig, null, 2));
  writeFileSync(join(app, 'tsconfig.build.json'), JSON.stringify(NEST_NEW.tsconfigBuild, null, 2));
  for (const { path, code } of guide.files) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), code);
  }
  // `nest build` is tsc with tsconfig.build.json; a type error in the guide or in our declarations fails here.
  run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], app);
  check(true, "the guide's app compiles in strict mode against the packed package");

  const port = await freePort();
  const env = {
    PORT: String(port),
    OAUTH_ISSUER: `http://127.0.0.1:${port}`,
    SESSION_SECRET: 'a long random value for the package test only',
    DEMO_PASSWORD: 'correct horse battery staple',
  };
  const server = spawn('node', ['dist/main.js'], { cwd: app, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  try {
    await untilUp(`${env.OAUTH_ISSUER}/.well-known/oauth-authorization-server`, server, () => output);
    check(true, `the guide's app starts and serves its metadata on ${env.OAUTH_ISSUER}`);
    // The guide's command as printed, with --json so the test can read the credentials it prints once.
    const created = JSON.parse(run('bash', ['-c', `${guide.register.trim()} --json`], app, env));
    check(typeof created.client_id === 'string' && typeof created.client_secret === 'string', "the guide's CLI command registers a client");
    const redirectUri = /--redirect-uri (\S+)/.exec(guide.register)?.[1];
    await browserFlow({ issuer: env.OAUTH_ISSUER, client: created, redirectUri, user: { username: 'ada', password: env.DEMO_PASSWORD } });
  } catch (error) {
    console.error(output);
    throw error;
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function untilUp(url, server, output) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the guide's app exited (${server.exitCode}):\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the guide's app did not answer on ${url}:\n${output()}`);
}
