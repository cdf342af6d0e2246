// The MCP guide's snippets (docs/guide/mcp.md), compiled with the rest of the project (strict) and
// checked against the guide by test/docs-snippets.e2e-spec.ts.
import { Controller, Module, Post, Req, Res, UseGuards } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import {
  BearerGuard,
  InsufficientScopeError,
  OAuthAuthorization,
  OAuthModule,
  Resource,
  type ResourceAuthorization,
} from 'nest-oauth2-provider';

// #region controller
@Controller('mcp')
@UseGuards(BearerGuard)
@Resource('https://shift.example/mcp') // only tokens for the MCP server; challenges name its metadata
export class McpController {
  @Post()
  async handle(@OAuthAuthorization() auth: ResourceAuthorization, @Req() req: Request, @Res() res: Response) {
    const server = new McpServer({ name: 'shift', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who approved this agent' }, () => ({
      content: [{ type: 'text', text: auth.userId ?? 'nobody' }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }
}
// #endregion controller

// #region module
@Module({
  imports: [
    OAuthModule.forRoot({
      issuer: 'https://shift.example',
      scopes: { profile: 'See your profile', 'files:read': 'See your files', offline_access: 'Stay connected' },
      offlineAccessScope: 'offline_access',
      resources: {
        'https://shift.example/v1/': { scopes: ['profile'], name: 'SHIFT API' },
        // No offline_access here: the agent adds it to its request; the resource does not offer it.
        'https://shift.example/mcp': { scopes: ['profile', 'files:read'], name: 'SHIFT MCP server' },
      },
      defaultResource: 'https://shift.example/v1/',
      // Agents nobody registered get the MCP server when they name no resource.
      clientIdMetadataDocuments: { enabled: true, allowClientIdUrl: () => ({ defaultResource: 'https://shift.example/mcp' }) },
      registration: { enabled: true, initialAccessToken: 'none', defaultResource: 'https://shift.example/mcp' },
    }),
  ],
  controllers: [McpController],
})
export class AppModule {}
// #endregion module

// #region tool-scope
/** Before the transport runs a `tools/call`: refuse it when the token lacks the tool's scope. */
export function assertToolScope(auth: ResourceAuthorization, body: { method?: string; params?: { name?: string } }) {
  const needs: Record<string, string> = { whoami: 'profile', list_files: 'files:read' };
  const scope = body.method === 'tools/call' ? needs[body.params?.name ?? ''] : undefined;
  if (scope && !auth.scopes.includes(scope)) {
    const kept = auth.scopes.filter((s) => s !== scope && Object.values(needs).includes(s));
    // 403 with the challenge BearerGuard would send: realm, scope (never offline_access) and resource_metadata.
    throw new InsufficientScopeError([scope, ...kept]);
  }
}
// #endregion tool-scope
