import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ResourceAuthorization } from 'nest-oauth2-provider';
import type { UsersService } from '../users/users.service';
import { SHIFT_TOOLS } from './mcp-tools';

/** An MCP server for one request, answering for the user who approved `auth`. */
export function createShiftMcpServer(auth: ResourceAuthorization, users: UsersService): McpServer {
  const server = new McpServer({ name: 'shift', title: 'SHIFT', version: '1.0.0' });
  for (const tool of SHIFT_TOOLS) {
    server.registerTool(tool.name, { title: tool.title, description: tool.description, annotations: { readOnlyHint: true } }, async () => {
      // The controller refused a call without the scope already (403); this is the tool's own check.
      if (!auth.scopes.includes(tool.scope)) {
        return { isError: true, content: [{ type: 'text' as const, text: `This tool requires the scope ${tool.scope}.` }] };
      }
      const result = await tool.run(auth, users);
      return { content: [{ type: 'text' as const, text: JSON.stringify(result) }], structuredContent: asObject(result) };
    });
  }
  return server;
}

/** `structuredContent` must be an object; a tool with nothing to say (no such user) gives none. */
function asObject(result: unknown): Record<string, unknown> | undefined {
  return result && typeof result === 'object' ? (result as Record<string, unknown>) : undefined;
}
