import { Controller, Get, Header, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';
import { UsersService, type TeamView } from '../users/users.service';

/** The teams API: needs `teams:read`, a scope of its own, so an app can have the profile without the teams. */
@Controller('v1/teams')
@UseGuards(BearerGuard)
@Scopes('teams:read')
export class TeamsApiController {
  constructor(private readonly users: UsersService) {}

  /** The teams of the user who approved the token. */
  @Get()
  @Header('Cache-Control', 'no-store')
  async list(@OAuthAuthorization() auth: ResourceAuthorization): Promise<{ teams: TeamView[] }> {
    return { teams: auth.userId ? await this.users.teamsOf(auth.userId) : [] };
  }

  /** One of those teams; another team is 404, as if it did not exist. */
  @Get(':id')
  @Header('Cache-Control', 'no-store')
  async one(@OAuthAuthorization() auth: ResourceAuthorization, @Param('id') id: string): Promise<TeamView> {
    const team = auth.userId ? (await this.users.teamsOf(auth.userId)).find((t) => t.id === id) : undefined;
    if (!team) throw new NotFoundException('No such team.');
    return team;
  }
}
