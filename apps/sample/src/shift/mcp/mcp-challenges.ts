import { Injectable, type ExecutionContext } from '@nestjs/common';
import { BearerGuard, InsufficientScopeError, InvalidRequestError, OAuthError } from 'nest-oauth2-provider';
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

/** Where the 403 of a tool call points: the realm and the MCP server's metadata document (RFC 9728 §5.1). */
export interface McpChallengeTarget {
  realm: string;
  resourceMetadata: string;
}

/**
 * 403 `insufficient_scope` for a tool call the token's scopes do not cover (RFC 6750 §3.1), with the
 * challenge an agent steps up from: `scope` lists what the call needs plus what the token already has
 * for this server, so the new token loses nothing (MCP 2025-11-25 Authorization, "Step-Up Authorization Flow").
 */
export class ToolScopeError extends InsufficientScopeError {
  override readonly headers: Readonly<Record<string, string>>;
  constructor(target: McpChallengeTarget, tool: string, scopes: readonly string[]) {
    super(scopes, `The tool ${tool} requires the scope: ${scopes[0]}`);
    const params = [
      `realm="${target.realm}"`,
      `error="${this.code}"`,
      `error_description="${this.description}"`,
      `scope="${scopes.join(' ')}"`,
      `resource_metadata="${target.resourceMetadata}"`,
    ];
    this.headers = { 'WWW-Authenticate': `Bearer ${params.join(', ')}` };
  }
}
