import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A SHIFT team; what `teams:read` lets a connected app see. */
@Entity('shift_teams')
export class ShiftTeam {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;
}

/** Who belongs to which team, and as what. */
@Entity('shift_team_members')
@Index('idx_shift_team_members_user', ['userId'])
export class ShiftTeamMember {
  @PrimaryColumn({ name: 'team_id', type: 'varchar', length: 32 })
  teamId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 32 })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: string;
}
