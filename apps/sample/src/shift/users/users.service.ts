import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { DEMO_TEAMS, DEMO_USERS } from './demo-data';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password-hasher';
import { ShiftTeam, ShiftTeamMember } from './team.entity';
import { ShiftUser } from './user.entity';

/** A team as the API and pages show it. */
export interface TeamView {
  id: string;
  name: string;
  role: string;
}

/** SHIFT's accounts and teams; seeds the demo data on first start. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SHIFT');

  constructor(
    @InjectRepository(ShiftUser) private readonly users: Repository<ShiftUser>,
    @InjectRepository(ShiftTeam) private readonly teams: Repository<ShiftTeam>,
    @InjectRepository(ShiftTeamMember) private readonly members: Repository<ShiftTeamMember>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.count()) return;
    // Instances started at once on a new database all find it empty: inserts that skip an existing
    // row (ON CONFLICT DO NOTHING, INSERT IGNORE, INSERT OR IGNORE) let every one of them start.
    const users = await Promise.all(
      DEMO_USERS.map(async ({ password, ...fields }) => ({ ...fields, passwordHash: await hashPassword(password), createdAt: new Date() })),
    );
    await this.users.createQueryBuilder().insert().values(users).orIgnore().execute();
    await this.teams
      .createQueryBuilder()
      .insert()
      .values(DEMO_TEAMS.map(({ id, name }) => ({ id, name })))
      .orIgnore()
      .execute();
    const members = DEMO_TEAMS.flatMap((team) =>
      Object.entries(team.members).map(([username, role]) => ({
        teamId: team.id,
        userId: DEMO_USERS.find((u) => u.username === username)!.id,
        role,
      })),
    );
    await this.members.createQueryBuilder().insert().values(members).orIgnore().execute();
    this.logger.log(`seeded the demo users (${DEMO_USERS.map((u) => u.username).join(', ')}) and teams`);
  }

  /**
   * The user with these credentials, or undefined; the same work is done whether the username exists
   * or not. `username` must already be normalised (`normalizeUsername`), as the login limit counted it.
   */
  async authenticate(username: string, password: string): Promise<ShiftUser | undefined> {
    const user = await this.users.findOneBy({ username });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    return user && ok ? user : undefined;
  }

  findById(id: string): Promise<ShiftUser | null> {
    return this.users.findOneBy({ id });
  }

  /** The teams `userId` belongs to, by name. */
  async teamsOf(userId: string): Promise<TeamView[]> {
    const memberships = await this.members.findBy({ userId });
    if (!memberships.length) return [];
    const teams = await this.teams.findBy({ id: In(memberships.map((m) => m.teamId)) });
    return teams
      .map((t) => ({ id: t.id, name: t.name, role: memberships.find((m) => m.teamId === t.id)!.role }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
