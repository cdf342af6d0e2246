import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SigningKeys, type KeyRotationStep, type SigningKeySettings } from './core/keys/signing-keys';
import { RESOLVED_OAUTH_OPTIONS } from './oauth.constants';
import type { ResolvedOAuthOptions } from './oauth-options';

/** The longest wait between two runs, whatever `keyRefreshInterval` says: expired keys leave within the hour. */
export const OAUTH_KEY_MAINTENANCE_MAX_INTERVAL = 3600;

/** Seconds between two maintenance runs: one store refresh, at most an hour. */
export function keyMaintenanceInterval(settings: Pick<SigningKeySettings, 'keyRefreshInterval'>): number {
  return Math.min(settings.keyRefreshInterval, OAUTH_KEY_MAINTENANCE_MAX_INTERVAL);
}

/**
 * Runs `SigningKeys.maintain()` when a resource issues JWT access tokens: every
 * `min(jwt.keyRefreshInterval, 3600)` seconds (60 by default) it deletes retired keys whose last token
 * has expired, keeps a next key published, and rotates once the active key has signed for
 * `jwt.rotationInterval` (0: only `nest-oauth2 keys rotate` rotates). Each instance runs it; the
 * store's conditional updates let exactly one of them rotate. The timer is unref'd, so it never keeps
 * the process alive; a failed run is logged and retried at the next interval.
 */
@Injectable()
export class OAuthKeyRotationService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OAuthKeys');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly keys: SigningKeys,
  ) {}

  onModuleInit(): void {
    if (!this.options.jwt) return;
    this.timer = setInterval(() => void this.runInBackground(), keyMaintenanceInterval(this.options.jwt.keys) * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Let a run in flight finish its writes before the connection closes.
    await this.running;
  }

  /** One scheduled run; skipped while the previous one still runs, and never throws. */
  async runInBackground(): Promise<void> {
    if (this.running) return;
    this.running = this.keys
      .maintain()
      .then(({ deleted, steps }) => {
        for (const step of steps) this.report(step);
        if (deleted.length) this.logger.log(`Deleted signing keys whose last token has expired: ${deleted.join(', ')}`);
      })
      .catch((error: unknown) =>
        this.logger.error(`Signing key maintenance failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.running = undefined));
    await this.running;
  }

  /** Key ids only: the public half is in the JWKS, the private half is never logged. */
  private report(step: KeyRotationStep): void {
    if (step.activated) {
      const retired = step.retired.length ? `, retired ${step.retired.join(', ')}` : '';
      this.logger.log(
        `Rotated the ${step.alg} signing key: ${step.activated} signs now${retired}; published ${step.published} to sign next`,
      );
    } else if (step.published) {
      const from = step.waitUntil ? `; it may sign from ${step.waitUntil.toISOString()}` : '';
      this.logger.log(`Published ${step.alg} signing key ${step.published} to sign next${from}`);
    }
  }
}
