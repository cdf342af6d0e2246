// The packaged-library test: packs libs/oauth2, installs the tarball and its peers from the registry
// into a fresh Nest app in a temporary folder (no links into this repo), compiles a small host app
// with tsc in strict mode — as CommonJS and as an ES module — starts it, issues a client_credentials
// token and reads a BearerGuard-protected route, and loads the three entry points (root, /typeorm,
// /testing). The package's `nest-oauth2` bin registers a client in the host's database that the host
// then issues a token to. A second install leaves out the optional peers typeorm and @nestjs/typeorm: a host on
// in-memory stores must compile, boot and answer without them. Any type error in our declarations fails it.
// It also runs `npm publish --dry-run`: the same files, the registry metadata present, no warning.
// Last, a stranger's app is built from the getting-started guide alone and a browser runs the
// authorization code flow through it (stranger-app.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strangerApp } from './stranger-app.mjs';
import { check, failed, install as installPackages, installed, lastJsonLine, root, run } from './support.mjs';

const lib = join(root, 'libs/oauth2');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const libPkg = JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8'));

const work = mkdtempSync(join(tmpdir(), 'oauth-package-'));
try {
  // The library's prepack script builds it from clean first, so no output of a deleted source is packed.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], lib))[0];
  const tarball = join(work, packed.filename);
  const size = statSync(tarball).size;
  console.log(`packed ${packed.filename}: ${(size / 1024).toFixed(1)} kB, ${packed.entryCount} files`);
  const stray = packed.files.map((f) => f.path).filter(isStray);
  // The budget catches a stray folder or a bundled dependency, each far larger than a feature: 0.2's
  // dynamic registration and Client ID Metadata Documents took the tarball from under 200 kB to about 225 kB.
  check(size < 300 * 1024, `tarball under 300 kB (got ${(size / 1024).toFixed(1)} kB)`);
  check(stray.length === 0, `no test, sample or build-state files in the tarball (found ${stray.join(', ')})`);
  publishDryRun(packed);

  // One install serves both host flavours: each is a folder with its own package.json "type",
  // resolving its packages from the shared node_modules above it, as a monorepo host would.
  const peers = Object.keys(libPkg.peerDependencies);
  const optional = Object.keys(libPkg.peerDependenciesMeta ?? {}).filter((p) => libPkg.peerDependenciesMeta[p].optional);
  check(optional.includes('typeorm') && optional.includes('@nestjs/typeorm'), 'typeorm and @nestjs/typeorm are optional peers');

  const full = join(work, 'full');
  install(full, peers, true);
  for (const flavour of ['commonjs', 'module']) {
    const app = hostApp(full, flavour, { 'main.ts': 'host-app.ts', 'entry-points.ts': 'entry-points.ts' });
    const entries = lastJsonLine(run('node', ['dist/entry-points.js'], app));
    check(entries.root && entries.typeorm && entries.testing, `${flavour}: the root, /typeorm and /testing entry points load`);
    check(entries.internalsHidden, `${flavour}: internals and the TypeORM storage stay out of the root entry point`);
    const result = lastJsonLine(run('node', ['dist/main.js'], app, { DB_FILE: join(app, 'app.sqlite') }));
    check(result.token === 200, `${flavour}: client_credentials token issued (status ${result.token})`);
    check(
      result.reports === 200 && result.body.scopes.includes('reports:read'),
      `${flavour}: guarded route read with the token (status ${result.reports})`,
    );
    check(
      result.denied === 401 && /^Bearer realm=/.test(result.challenge ?? ''),
      `${flavour}: guarded route refuses a request without a token (status ${result.denied})`,
    );
    if (flavour === 'commonjs') adminCli(app);
  }

  const memory = join(work, 'memory');
  install(
    memory,
    peers.filter((p) => !optional.includes(p)),
    false,
  );
  const absent = ['typeorm', '@nestjs/typeorm'].filter((p) => !existsSync(join(memory, 'node_modules', p)));
  check(absent.length === 2, `memory host: neither typeorm nor @nestjs/typeorm is installed (absent: ${absent.join(', ')})`);
  const withoutTypeorm = spawnSync('npx', ['--no-install', 'nest-oauth2', 'clients', 'list'], {
    cwd: memory,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: `sqlite:${join(memory, 'none.sqlite')}` },
  });
  check(
    withoutTypeorm.status === 1 && /^error: the CLI needs the "typeorm" package .*npm install typeorm\n$/.test(withoutTypeorm.stderr),
    `memory host: the bin names the missing typeorm package in one line (${withoutTypeorm.stderr.trim()})`,
  );
  for (const flavour of ['commonjs', 'module']) {
    const app = hostApp(memory, flavour, { 'main.ts': 'memory-host-app.ts' });
    const result = lastJsonLine(run('node', ['dist/main.js'], app));
    check(result.token === 200, `${flavour}: memory host without TypeORM issues a token (status ${result.token})`);
    check(
      result.reports === 200 && result.denied === 401,
      `${flavour}: memory host without TypeORM guards its route (status ${result.reports}, ${result.denied})`,
    );
    console.log(`info   ${flavour}: memory host RSS at rest after one request: ${(result.rss / 1024 / 1024).toFixed(1)} MB`);
  }

  await strangerApp({ tarball, work });

  // The package's bin registers a client in the database the host app migrated, validated against
  // the host's settings in a JSON file; the host app then issues a token to it.
  function adminCli(app) {
    const database = { DATABASE_URL: `sqlite:${join(app, 'app.sqlite')}` };
    const config = join(app, 'oauth.config.json');
    writeFileSync(config, JSON.stringify({ issuer: 'http://127.0.0.1', scopes: { 'reports:read': 'Read your reports' } }));
    const cli = (args) => run('npx', ['--no-install', 'nest-oauth2', ...args, '--config', config, '--json'], full, database);
    const created = JSON.parse(
      cli(['clients', 'create', '--name', 'Nightly export', '--grant-types', 'client_credentials', '--scope', 'reports:read']),
    );
    check(/^[A-Za-z0-9_-]{43}$/.test(created.client_secret ?? ''), "npx nest-oauth2 clients create prints the new client's credentials");
    const listed = JSON.parse(cli(['clients', 'list']));
    check(
      listed.some((c) => c.client_id === created.client_id && c.name === 'Nightly export'),
      'npx nest-oauth2 clients list shows the client it registered',
    );
    const result = lastJsonLine(
      run('node', ['dist/main.js'], app, {
        ...database,
        DB_FILE: join(app, 'app.sqlite'),
        CLIENT_ID: created.client_id,
        CLIENT_SECRET: created.client_secret,
      }),
    );
    check(result.token === 200 && result.reports === 200, `the host app issues a token to the CLI's client (status ${result.token})`);
  }

  function install(dir, withPeers, sqlite) {
    console.log(
      `installing the tarball and ${withPeers.length} peers from the registry into a fresh host app (${sqlite ? 'TypeORM' : 'memory'})…`,
    );
    installPackages(dir, {
      tarball,
      name: 'host-apps',
      dependencies: Object.fromEntries([
        ...withPeers.map((p) => [p, installed(p)]),
        ['@nestjs/platform-express', installed('@nestjs/platform-express')],
        ...(sqlite ? [['better-sqlite3', installed('better-sqlite3')]] : []),
      ]),
      devDependencies: { typescript: installed('typescript'), '@types/node': installed('@types/node') },
    });
  }

  function hostApp(dir, flavour, sources) {
    const app = join(dir, `host-${flavour}`);
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `host-${flavour}`, private: true, type: flavour }));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          outDir: 'dist',
          rootDir: 'src',
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    for (const [to, from] of Object.entries(sources))
      writeFileSync(join(app, 'src', to), readFileSync(new URL(from, import.meta.url), 'utf8'));
    run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
    return app;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${failed() === 0 ? 'package test passed' : 'package test FAILED'}`);
process.exit(failed() === 0 ? 0 : 1);

function isStray(path) {
  return /\.spec\.|spec-helper|\.tsbuildinfo$|(^|\/)(sample|test)\//.test(path);
}

// What `npm publish` would send, sent nowhere: the packed files, the fields the registry page and
// provenance read, and no warning (npm warns when it has to fix a field such as repository).
function publishDryRun(packed) {
  const result = spawnSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], { cwd: lib, encoding: 'utf8' });
  check(result.status === 0, `npm publish --dry-run succeeds (exit ${result.status})`);
  if (result.status !== 0) return console.error(result.stderr);
  const output = JSON.parse(result.stdout);
  const report = output[libPkg.name] ?? output;
  const files = report.files.map((f) => f.path).sort();
  const packedFiles = packed.files.map((f) => f.path).sort();
  check(
    report.id === `${libPkg.name}@${libPkg.version}` && files.join('\n') === packedFiles.join('\n'),
    `npm publish --dry-run sends ${report.id}, the ${files.length} files npm pack packs`,
  );
  check(files.filter(isStray).length === 0, 'npm publish --dry-run sends no test, sample or build-state files');
  // Being logged in is the one thing a dry run may lack; any other warning fails.
  const warnings = result.stderr.split('\n').filter((l) => /^npm warn/i.test(l) && !/requires you to be logged in/.test(l));
  check(warnings.length === 0, `npm publish --dry-run prints no warning${warnings.length ? ` (got ${warnings.join(' | ')})` : ''}`);

  const project = 'https://github.com/nest-oauth2-provider/nest-oauth2-provider';
  const { repository, homepage, bugs, publishConfig, keywords = [], engines } = libPkg;
  check(
    repository?.type === 'git' && repository.url === `git+${project}.git` && repository.directory === 'libs/oauth2',
    'repository names the project and its libs/oauth2 folder',
  );
  check(homepage?.startsWith(project) && bugs?.url === `${project}/issues`, 'homepage and bugs point at the project');
  check(publishConfig?.access === 'public', 'publishConfig.access is public');
  const wanted = ['rfc6749', 'rfc6750', 'rfc7009', 'rfc7636', 'rfc7662', 'rfc8414', 'rfc8707', 'rfc9728', 'resource-server', 'mcp'];
  const missing = wanted.filter((k) => !keywords.includes(k));
  check(missing.length === 0, `keywords name the RFCs and roles (missing ${missing.join(', ') || 'none'})`);
  check(engines?.node && engines.node === rootPkg.engines?.node, `engines.node matches the workspace's (${engines?.node})`);
}
