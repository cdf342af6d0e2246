import type { ResourceAuthorization } from 'nest-oauth2-provider';
import { filesOf } from '../../files/demo-files';
import type { UsersService } from '../users/users.service';

/** One tool of SHIFT's MCP server: what it needs from the token, and what it answers. */
export interface ShiftTool {
  name: string;
  title: string;
  description: string;
  /** The scope a `tools/call` of this tool requires; without it the call is refused with 403 (step-up). */
  scope: string;
  /** The tool's answer for the user who approved the token, read in-process: no token leaves SHIFT. */
  run(auth: ResourceAuthorization, users: UsersService): Promise<unknown>;
}

/** The tools an agent gets over the signed-in user's data, each behind the scope its API needs. */
export const SHIFT_TOOLS: readonly ShiftTool[] = [
  {
    name: 'get_profile',
    title: 'Your SHIFT profile',
    description: "The signed-in user's name, email address and username.",
    scope: 'profile',
    async run(auth, users) {
      const user = auth.userId ? await users.findById(auth.userId) : null;
      if (!user) return null;
      return { id: user.id, first_name: user.firstName, last_name: user.lastName, email: user.email, username: user.username };
    },
  },
  {
    name: 'list_teams',
    title: 'Your SHIFT teams',
    description: 'The teams the signed-in user belongs to.',
    scope: 'teams:read',
    async run(auth, users) {
      return { teams: auth.userId ? await users.teamsOf(auth.userId) : [] };
    },
  },
  {
    name: 'list_files',
    title: 'Your SHIFT Files',
    description: 'The files the signed-in user keeps in SHIFT Files.',
    scope: 'files:read',
    // SHIFT Files' data, read where it lives rather than by calling its API with the agent's token:
    // that token is for this server alone (its audience), and passing it on would make it a key to both.
    run(auth) {
      return Promise.resolve({ files: auth.userId ? filesOf(auth.userId) : [] });
    },
  },
];

/** The scopes of SHIFT's MCP server as a resource (RFC 8707): those of its tools, and no `offline_access`. */
export const MCP_SCOPES: readonly string[] = [...new Set(SHIFT_TOOLS.map((tool) => tool.scope))];

/** The scope an agent is asked for before it calls anything: the 401 names it (MCP Authorization, scope selection). */
export const MCP_INITIAL_SCOPE = 'profile';
