import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock } from './core/clock';
import { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import type { ResolvedOAuthOptions } from './oauth-options';
import { purgeInBatches } from './purge-batches';
import { ClientStore } from './stores/client.store';
import { CodeStore } from './stores/code.store';
import { TokenStore } from './stores/token.store';

/** The most rows deleted per statement; batches start smaller and adapt to take about 3 ms each. */
export const OAUTH_PURGE_BATCH_SIZE = 1000;

/** How many expired rows one purge deleted. @publicApi */
export interface OAuthPurgeResult {
  codes: number;
  tokens: number;
  /** Dynamically registered clients deleted as unused or idle (`registration.unusedClientTtl`, `idleClientTtl`). */
  clients: number;
}

/**
 * Deletes expired authorization codes and tokens so the tables never grow without limit (consumed
 * codes only once `consumedCodeRetention` has passed since their use, so a late replay still revokes),
 * and dynamically registered clients nobody uses (`registration.unusedClientTtl`, `idleClientTtl`): every
 * `purgeInterval` seconds (default hourly; `false` turns it off) on an unref'd timer that never keeps
 * the process alive. A failed purge is logged and retried at the next interval; it never crashes the app.
 * @publicApi
 */
@Injectable()
export class OAuthPurgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OAuthPurge');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  /** Aborted when the module stops: a paced purge of a large backlog must not hold the shutdown. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly codes: CodeStore,
    private readonly tokens: TokenStore,
    private readonly clock: Clock,
    private readonly clients: ClientStore,
  ) {}

  onModuleInit(): void {
    if (this.options.purgeInterval === false) return;
    this.timer = setInterval(() => void this.runInBackground(), this.options.purgeInterval * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Stop a purge in flight at its next batch, and let that batch finish before the connection closes.
    this.stopping.abort();
    await this.running;
  }

  /** Purge now: delete expired codes, then tokens, in batches of at most `batchSize` until a batch comes back short. */
  async run(batchSize = OAUTH_PURGE_BATCH_SIZE): Promise<OAuthPurgeResult> {
    const now = this.clock.now();
    const keepConsumedSince = new Date(now.getTime() - this.options.consumedCodeRetention * 1000);
    return {
      codes: await purgeInBatches((size) => this.codes.purgeExpired(now, size, keepConsumedSince), batchSize, {
        signal: this.stopping.signal,
      }),
      tokens: await purgeInBatches((size) => this.tokens.purgeExpired(now, size), batchSize, { signal: this.stopping.signal }),
      clients: await this.purgeIdleClients(now, batchSize),
    };
  }

  /** Dynamically registered clients never used within `unusedClientTtl` of their registration, or idle for `idleClientTtl`. */
  private purgeIdleClients(now: Date, batchSize: number): Promise<number> {
    const { unusedClientTtl, idleClientTtl } = this.options.registration;
    const before = (ttl: number | false) => (ttl === false ? undefined : new Date(now.getTime() - ttl * 1000));
    const cutoffs = { unusedBefore: before(unusedClientTtl), idleBefore: before(idleClientTtl) };
    if (!cutoffs.unusedBefore && !cutoffs.idleBefore) return Promise.resolve(0);
    return purgeInBatches((size) => this.clients.purgeIdleDynamic(cutoffs, size), batchSize, { signal: this.stopping.signal });
  }

  /** One scheduled purge; skipped while the previous one still runs, and never throws. */
  async runInBackground(): Promise<void> {
    if (this.running) return;
    this.running = this.run()
      .then(({ codes, tokens, clients }) => {
        if (codes || tokens) this.logger.log(`Purged ${codes} expired authorization codes and ${tokens} expired tokens`);
        if (clients) this.logger.log(`Deleted ${clients} unused dynamically registered clients`);
      })
      .catch((error: unknown) =>
        this.logger.error(`Purge of expired codes and tokens failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.running = undefined));
    await this.running;
  }
}
