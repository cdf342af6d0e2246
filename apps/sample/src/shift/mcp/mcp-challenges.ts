import { Injectable, type ExecutionContext } from '@nestjs/common';
import { BearerGuard, InvalidRequestError, OAuthError } from 'nest-oauth2-provider';
import { MCP_INITIAL_SCOPE } from './mcp-tools';

/**
 * The library's BearerGuard for /mcp, with one addition: its 401 to a request with no token also names
 * the scope an agent should start with (`scope="profile"`, RFC 6750 §3, MCP 2025-11-25 Authorization
 * "Scope Selection Strategy"). Without it an agent asks for every scope of the resource metadata at once.
 * Relies on the library's missing-token error being a 401 `invalid_request` carrying its challenge.
 */
@Injectable()
export class McpBearerGuard extends BearerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      const challenge = error instanceof OAuthError ? error.headers['WWW-Authenticate'] : undefined;
      if (error instanceof InvalidRequestError && error.status === 401 && challenge && !challenge.includes('error=')) {
        throw new MissingTokenError(error, `${challenge}, scope="${MCP_INITIAL_SCOPE}"`);
      }
      throw error;
    }
  }
}

/** The bare 401 of RFC 6750 §3.1, with the starting scope added to its challenge. */
class MissingTokenError extends InvalidRequestError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(original: InvalidRequestError, challenge: string) {
    super(original.description, { status: 401 });
    this.headers = { ...original.headers, 'WWW-Authenticate': challenge };
  }
}
