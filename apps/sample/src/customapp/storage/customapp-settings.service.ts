import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SampleSettings } from '../../sample-config';
import { CUSTOMAPP_DATA_SOURCE } from '../customapp.config';
import { CustomAppSetting } from './customapp.entities';
import { TokenCipher } from './token-cipher';

/** CustomApp's registration at SHIFT, as CustomApp keeps it. */
export interface ShiftCredentials {
  clientId: string;
  clientSecret: string;
}

const KEY = 'encryption_key';
const CLIENT_ID = 'shift_client_id';
const CLIENT_SECRET = 'shift_client_secret';
const SOURCE = 'shift_credentials_source';

/**
 * Where CustomApp's stored credentials came from: the sample's start-up registered them (an
 * operator's client it keeps in step), or someone pasted them into CustomApp's settings page (a
 * developer's app registered in SHIFT's portal, which the start-up leaves alone).
 */
export type CredentialsSource = 'provisioned' | 'settings';

/**
 * CustomApp's own configuration table: its client_id and (encrypted) client_secret at SHIFT, and the
 * encryption key when none is given in CUSTOMAPP_ENCRYPTION_KEY. SHIFT stores only a hash of the
 * secret, so this is the one place the secret itself lives.
 */
@Injectable()
export class CustomAppSettings {
  private readonly logger = new Logger('CustomApp');
  private cipher?: Promise<TokenCipher>;

  constructor(
    @InjectRepository(CustomAppSetting, CUSTOMAPP_DATA_SOURCE) private readonly rows: Repository<CustomAppSetting>,
    private readonly config: ConfigService<SampleSettings, true>,
  ) {}

  /** The cipher for tokens and the client secret. */
  tokenCipher(): Promise<TokenCipher> {
    this.cipher ??= this.loadCipher().catch((err) => {
      this.cipher = undefined;
      throw err;
    });
    return this.cipher;
  }

  /** CUSTOMAPP_CLIENT_ID/SECRET from the environment (e.g. registered with the CLI), else the stored pair. */
  async credentials(): Promise<ShiftCredentials | undefined> {
    const fromEnv = this.config.get('sample.customAppCredentials', { infer: true });
    if (fromEnv) return { ...fromEnv };
    const [id, secret] = await Promise.all([this.get(CLIENT_ID), this.get(CLIENT_SECRET)]);
    if (!id || !secret) return undefined;
    return { clientId: id, clientSecret: (await this.tokenCipher()).decrypt(secret, CLIENT_SECRET) };
  }

  /** True when the credentials come from the environment (the sample then registers nothing). */
  credentialsFromEnvironment(): boolean {
    return this.config.get('sample.customAppCredentials', { infer: true }) !== undefined;
  }

  /** Where the stored credentials came from; undefined when none are stored. */
  async credentialsSource(): Promise<CredentialsSource | undefined> {
    if (!(await this.get(CLIENT_ID))) return undefined;
    return (await this.get(SOURCE)) === 'settings' ? 'settings' : 'provisioned';
  }

  async saveCredentials(credentials: ShiftCredentials, source: CredentialsSource = 'provisioned'): Promise<void> {
    const sealed = (await this.tokenCipher()).encrypt(credentials.clientSecret, CLIENT_SECRET);
    await this.rows.manager.transaction(async (tx) => {
      await tx.save(CustomAppSetting, { key: CLIENT_ID, value: credentials.clientId });
      await tx.save(CustomAppSetting, { key: CLIENT_SECRET, value: sealed });
      await tx.save(CustomAppSetting, { key: SOURCE, value: source });
    });
  }

  private async loadCipher(): Promise<TokenCipher> {
    const fromEnv = this.config.get('sample.customAppEncryptionKey', { infer: true });
    if (fromEnv) return new TokenCipher(TokenCipher.parseKey(fromEnv));
    let stored = await this.get(KEY);
    if (!stored) {
      // Demo convenience only: a key beside the data protects nothing against a stolen database.
      // Production sets CUSTOMAPP_ENCRYPTION_KEY from its secret manager.
      await this.rows.insert({ key: KEY, value: TokenCipher.generateKey() }).catch(() => undefined);
      stored = await this.get(KEY);
      this.logger.warn('generated an encryption key and stored it in the database; set CUSTOMAPP_ENCRYPTION_KEY in production');
    }
    return new TokenCipher(TokenCipher.parseKey(stored!));
  }

  private async get(key: string): Promise<string | undefined> {
    return (await this.rows.findOneBy({ key }))?.value;
  }
}
