import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuthModuleExtras, OAuthModuleOptions } from './oauth-module-options.interface';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: OAUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OAuthModuleOptions>({ moduleName: 'OAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOAuthOptions')
  .setExtras<OAuthModuleExtras>({ isGlobal: true, storage: 'typeorm' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    // Resolved by OAuthModule.forRoot/forRootAsync, which know the extras (see oauth.module.ts).
  }))
  .build();
