import type { MigrationInterface } from 'typeorm';
import { CustomAppConnection, CustomAppSetting } from '../customapp/storage/customapp.entities';
import { ShiftTeam, ShiftTeamMember } from '../shift/users/team.entity';
import { ShiftUser } from '../shift/users/user.entity';
import { SampleSchema1733000000000 } from './migrations/1733000000000-sample-schema';
import { HashSessionIds1796580000000 } from './migrations/1796580000000-hash-session-ids';
import { AddFilesAccessToken1796590000000 } from './migrations/1796590000000-add-files-access-token';
import { AddOpenIdSignIn1796600000000 } from './migrations/1796600000000-add-openid-sign-in';
import { CustomAppSession, ShiftSession } from './session.entities';

/** SHIFT's own tables (beside the library's OAuth tables). */
export const SHIFT_ENTITIES = [ShiftUser, ShiftTeam, ShiftTeamMember, ShiftSession];

/** CustomApp's own tables: it shares the database file, never a table, with SHIFT. */
export const CUSTOMAPP_ENTITIES = [CustomAppSetting, CustomAppConnection, CustomAppSession];

/** Every entity of the sample (both apps). */
export const SAMPLE_ENTITIES = [...SHIFT_ENTITIES, ...CUSTOMAPP_ENTITIES];

/** The sample's migrations, run after the library's. */
export const SAMPLE_MIGRATIONS: (new () => MigrationInterface)[] = [
  SampleSchema1733000000000,
  HashSessionIds1796580000000,
  AddFilesAccessToken1796590000000,
  AddOpenIdSignIn1796600000000,
];
