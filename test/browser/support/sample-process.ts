import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from '../../support/sample-harness';
import { createTestDatabase } from '../../support/test-database';
import {
  makeTestTls,
  startDocumentServer,
  type DocumentServer,
} from '../../../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(__dirname, '..', '..', '..', 'apps', 'sample', 'src', 'main.js');

/** The sample's three apps in a child process, as `npm start` runs them, on free ports. */
export interface SampleProcess {
  shift: string;
  customApp: string;
  /** Everything the apps printed so far: tests check that no secret reaches it. */
  readonly output: string;
  /** SIGTERM, and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the sample with `env` over the defaults a test wants (free ports, SHIFT Files unset, the
 * development key-encryption key, no preset CustomApp client) and resolves once CustomApp listens.
 */
export async function startSampleProcess(env: Record<string, string>): Promise<SampleProcess> {
  const [shiftPort, customAppPort, filesPort] = [await freePort(), await freePort(), await freePort()];
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(shiftPort),
      CUSTOMAPP_PORT: String(customAppPort),
      FILES_PORT: String(filesPort),
      FILES_URL: '',
      OAUTH_KEY_ENCRYPTION_KEY: '',
      OAUTH_ISSUER: '',
      CUSTOMAPP_URL: '',
      CUSTOMAPP_CLIENT_ID: '',
      CUSTOMAPP_CLIENT_SECRET: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  };
  for (let i = 0; !output.includes('CustomApp  http'); i++) {
    if (i > 300 || child.exitCode !== null) {
      await stop();
      throw new Error(`the sample did not start:\n${output}`);
    }
    await sleep(100);
  }
  return {
    shift: `http://localhost:${shiftPort}`,
    customApp: `http://localhost:${customAppPort}`,
    get output() {
      return output;
    },
    stop,
  };
}

/** Debian's Chromium, headless, without the background traffic that would slow a test. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A native app's loopback redirect target (RFC 8252 §7.3): answers the browser, hands each URL to the test. */
export interface LoopbackRedirect {
  uri: string;
  /** The next URL the browser is sent to; call before the click that sends it. */
  next(): Promise<URL>;
  close(): Promise<void>;
}

export async function startLoopbackRedirect(): Promise<LoopbackRedirect> {
  let deliver: (url: URL) => void = () => undefined;
  let uri = '';
  const server = createServer((req, res) => {
    deliver(new URL(req.url ?? '/', uri));
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Signed in. You can close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    uri,
    next: () => new Promise<URL>((resolve) => (deliver = resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A server of Client ID Metadata Documents on 127.0.0.1 with a CA of its own (written into `dir`),
 * and the sample settings that let SHIFT reach it and trust its certificate.
 */
export async function startAgentDocumentServer(dir: string): Promise<{ docs: DocumentServer; sampleEnv: Record<string, string> }> {
  const tls = makeTestTls();
  writeFileSync(join(dir, 'ca.pem'), tls.ca);
  return {
    docs: await startDocumentServer(tls),
    sampleEnv: { CLIENT_ID_METADATA_ALLOWED_ADDRESSES: '127.0.0.1/32', CLIENT_ID_METADATA_CA_FILE: join(dir, 'ca.pem') },
  };
}

/**
 * What an agent's test runs against: the sample on a fresh database (from `DATABASE_URL`), a metadata
 * document server SHIFT trusts, the agent's loopback redirect, and Chromium for Nate.
 */
export interface AgentWorld {
  sample: SampleProcess;
  docs: DocumentServer;
  redirect: LoopbackRedirect;
  browser: Browser;
  close(): Promise<void>;
}

export async function startAgentWorld(env: Record<string, string>): Promise<AgentWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'sample-agents-'));
  // Closed newest first, also when a later step fails: an open server would keep the test file alive.
  const started: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const db = await createTestDatabase();
    started.push(() => db.drop());
    const { docs, sampleEnv } = await startAgentDocumentServer(dir);
    started.push(() => docs.close());
    const redirect = await startLoopbackRedirect();
    started.push(() => redirect.close());
    const sample = await startSampleProcess({ DATABASE_URL: db.url, ...sampleEnv, ...env });
    started.push(() => sample.stop());
    const browser = await launchChromium();
    started.push(() => browser.close());
    return { sample, docs, redirect, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Nate on SHIFT's authorization page in `page`: logs in when SHIFT asks (the first time in a browser),
 * waits for the consent page and resolves its text; the caller then clicks Allow.
 */
export async function nateReachesConsent(page: Page): Promise<string> {
  await page.locator('input[name="username"], button[value="allow"]').first().waitFor();
  if (await page.locator('input[name="username"]').count()) {
    await page.fill('input[name="username"]', 'nate');
    await page.fill('input[name="password"]', 'shift-demo');
    await page.click('button[type="submit"]');
  }
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  return page.locator('main').innerText();
}
