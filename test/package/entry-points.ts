import * as root from 'nest-oauth2-provider';
import * as testing from 'nest-oauth2-provider/testing';
import * as typeorm from 'nest-oauth2-provider/typeorm';

// One build serves require and import alike, so a class from one entry point is the class the others use.
const clock = new testing.ManualClock(new Date(0));
console.log(
  JSON.stringify({
    root: typeof root.OAuthModule === 'function' && typeof root.BearerGuard === 'function',
    typeorm: typeorm.OAUTH_ENTITIES.length > 0 && typeorm.OAUTH_MIGRATIONS.length > 0 && typeof typeorm.TypeOrmTokenStore === 'function',
    testing: clock instanceof root.Clock && typeof testing.InMemoryTokenStore === 'function',
    internalsHidden: !('TokenCache' in root) && !('hashSecret' in root) && !('OAUTH_ENTITIES' in root),
  }),
);
