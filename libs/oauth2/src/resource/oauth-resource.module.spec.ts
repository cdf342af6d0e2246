import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('OAuthResourceModule', () => {
  it('boots a resource server app without loading typeorm or @nestjs/typeorm', () => {
    // A fresh process, so nothing another spec loaded counts.
    const script = `
      require('reflect-metadata');
      const { Module } = require('@nestjs/common');
      const { NestFactory } = require('@nestjs/core');
      const { OAuthResourceModule } = require(${JSON.stringify(require.resolve('../index'))});
      class AppModule {}
      Module({ imports: [OAuthResourceModule.forRoot({
        issuer: 'https://as.example',
        resource: 'https://files.example/',
        introspection: { clientId: 'files', clientSecret: 'secret' },
      })] })(AppModule);
      NestFactory.create(AppModule, { logger: false }).then(async (app) => {
        await app.init();
        await app.close();
        const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](typeorm|@nestjs[\\\\/]typeorm)[\\\\/]/.test(f));
        console.log(JSON.stringify({ loaded: loaded.length }));
      });
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}'), { loaded: 0 });
  });
});
