import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClientRegistrationError, ClientRegistry, OAuthRateLimiter, type OAuthClient } from 'nest-oauth2-provider';
import type { SampleSettings } from '../../sample-config';
import { appChanges, type AppForm } from './app-form';

/** An app and its secret, which exists in clear only in this answer: SHIFT keeps its hash. */
export interface AppWithSecret {
  client: OAuthClient;
  clientSecret?: string;
}

/**
 * "Your apps" for one SHIFT user, over the library's `ClientRegistry`: every call names the owner,
 * so another user's app answers as an unknown one (404), never as "not yours".
 */
@Injectable()
export class DeveloperAppsService {
  constructor(
    private readonly registry: ClientRegistry,
    private readonly limiter: OAuthRateLimiter,
    private readonly config: ConfigService<SampleSettings, true>,
  ) {}

  list(owner: string): Promise<OAuthClient[]> {
    return this.registry.listByOwner(owner);
  }

  /** The owner's app; 404 for an unknown id and for someone else's app alike. */
  async get(owner: string, clientId: string): Promise<OAuthClient> {
    const client = await this.registry.get(clientId, { owner });
    if (!client) throw new NotFoundException('There is no such app among yours.');
    return client;
  }

  /**
   * Registers the app the form describes, owned by `owner`; throws `TooManyRequestsError` past the
   * hourly budget (counted per attempt, before validation, so a script cannot probe for free) and
   * `ClientRegistrationError` listing every problem, storing nothing.
   */
  async register(owner: string, form: AppForm): Promise<AppWithSecret> {
    const limit = this.config.get('sample.appRegistrationRateLimit', { infer: true });
    if (limit) await this.limiter.consume('developer:register', owner, { limit, ttl: 3600 });
    const { changes, problems } = appChanges(form);
    if (problems.length) throw new ClientRegistrationError(problems);
    return this.registry.register({ ...changes, public: form.kind === 'public', ownerId: owner });
  }

  /** Saves the edit form; whether the app is public stays as registered. */
  async update(owner: string, clientId: string, form: AppForm): Promise<OAuthClient> {
    await this.get(owner, clientId);
    const { changes, problems } = appChanges(form);
    if (problems.length) throw new ClientRegistrationError(problems);
    return this.registry.update(clientId, changes, { owner });
  }

  /** A new secret; the old one works `overlapSeconds` longer (0: it stops now). */
  async rotateSecret(owner: string, clientId: string, overlapSeconds: number): Promise<AppWithSecret> {
    await this.get(owner, clientId);
    return this.registry.rotateSecret(clientId, { owner, overlap: overlapSeconds });
  }

  /** Deletes the app; SHIFT then refuses its secret and every token it holds. */
  async delete(owner: string, clientId: string): Promise<OAuthClient> {
    const client = await this.get(owner, clientId);
    await this.registry.delete(clientId, { owner });
    return client;
  }
}
