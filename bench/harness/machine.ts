import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';

/** Packages whose versions decide the figures. */
const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'express',
  'fastify',
  'typeorm',
  'better-sqlite3',
  'pg',
  'oidc-provider',
  '@node-oauth/oauth2-server',
  'autocannon',
];

/** CPU, cores, memory, kernel, Node and package versions, as Markdown bullet lines. */
export async function machineFacts(root: string): Promise<string[]> {
  const cpu = cpus();
  const lines = [
    `CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores (load generator and server share them)`,
    `Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; kernel ${release()}`,
    `Node.js ${process.version}`,
    `PostgreSQL: ${await postgresVersion()}`,
  ];
  const versions = PACKAGES.map((name) => `${name} ${packageVersion(root, name)}`);
  lines.push(`Packages: ${versions.join(', ')}`);
  return lines;
}

function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '(not installed)';
  }
}

async function postgresVersion(): Promise<string> {
  const specifier = 'pg'; // untyped: loaded as any
  const { Client } = (await import(specifier)) as { Client: any };
  const client = new Client({ connectionString: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } catch {
    return 'not reachable';
  } finally {
    await client.end().catch(() => undefined);
  }
}
