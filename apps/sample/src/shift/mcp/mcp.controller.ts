import { Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards, type Type } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InsufficientScopeError, OAuthAuthorization, Resource, type ResourceAuthorization } from 'nest-oauth2-provider';
import { UsersService } from '../users/users.service';
import { McpBearerGuard } from './mcp-challenges';
import { createShiftMcpServer } from './mcp-server';
import { MCP_SCOPES, SHIFT_TOOLS } from './mcp-tools';

/**
 * SHIFT's MCP server at /mcp (Streamable HTTP transport), a protected resource of its own: only tokens
 * whose audience is `resource` pass, and its challenges point at its RFC 9728 metadata document.
 * A class per resource identifier, since `@Resource()` takes it when the class is declared.
 */
export function mcpController(resource: string): Type<unknown> {
  @Controller('mcp')
  @UseGuards(McpBearerGuard)
  @Resource(resource)
  class McpController {
    constructor(private readonly users: UsersService) {}

    /**
     * One JSON-RPC message. Stateless: a new server and transport per request, no session id. Each
     * request carries its own token, so nothing about a caller outlives the request, and any SHIFT
     * instance can answer any request.
     */
    @Post()
    async post(@OAuthAuthorization() auth: ResourceAuthorization, @Req() req: object, @Res() res: object): Promise<void> {
      const body = (req as { body?: unknown }).body;
      assertToolScope(auth, body);
      const raw = rawExchange(req, res);
      raw.res.setHeader('Cache-Control', 'no-store');
      const server = createShiftMcpServer(auth, this.users);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      raw.res.on('close', () => void server.close());
      await server.connect(transport);
      await transport.handleRequest(raw.req, raw.res, body);
    }

    /** No server-initiated stream and no session to end in stateless mode (MCP Streamable HTTP transport). */
    @Get()
    @HttpCode(405)
    stream(@Res({ passthrough: true }) res: object): { error: string } {
      setAllow(res);
      return { error: 'This MCP server is stateless: send each message with POST.' };
    }

    @Delete()
    @HttpCode(405)
    end(@Res({ passthrough: true }) res: object): { error: string } {
      setAllow(res);
      return { error: 'This MCP server keeps no sessions.' };
    }
  }
  return McpController;
}

/** Refuses a `tools/call` the token's scopes do not cover, before any tool runs (403 with step-up challenge). */
function assertToolScope(auth: ResourceAuthorization, body: unknown): void {
  for (const message of Array.isArray(body) ? body : [body]) {
    const call = message as { method?: unknown; params?: { name?: unknown } } | null;
    if (call?.method !== 'tools/call') continue;
    const tool = SHIFT_TOOLS.find((t) => t.name === call.params?.name);
    if (!tool || auth.scopes.includes(tool.scope)) continue;
    const kept = MCP_SCOPES.filter((scope) => scope !== tool.scope && auth.scopes.includes(scope));
    // The library's filter gives it the guard's challenge: realm, scope and resource_metadata.
    throw new InsufficientScopeError([tool.scope, ...kept], `The tool ${tool.name} requires the scope: ${tool.scope}`);
  }
}

/** Node's own request and response under Express or Fastify; Fastify is told the reply is written outside it. */
function rawExchange(req: object, res: object): { req: IncomingMessage; res: ServerResponse } {
  const fastify = res as { raw?: ServerResponse; hijack?: () => void };
  if (fastify.raw && typeof fastify.hijack === 'function') {
    fastify.hijack();
    return { req: (req as { raw: IncomingMessage }).raw, res: fastify.raw };
  }
  return { req: req as IncomingMessage, res: res as ServerResponse };
}

function setAllow(res: object): void {
  const fastify = res as { header?: (name: string, value: string) => void };
  if (typeof fastify.header === 'function') fastify.header('Allow', 'POST');
  else (res as ServerResponse).setHeader('Allow', 'POST');
}
