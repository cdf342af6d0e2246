import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShiftTeam, ShiftTeamMember } from './team.entity';
import { ShiftUser } from './user.entity';
import { UsersService } from './users.service';

/** SHIFT's accounts and teams. */
@Module({
  imports: [TypeOrmModule.forFeature([ShiftUser, ShiftTeam, ShiftTeamMember])],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
