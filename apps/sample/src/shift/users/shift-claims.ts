import { Injectable } from '@nestjs/common';
import { ClaimsProvider } from 'nest-oauth2-provider';
import { UsersService } from './users.service';

/**
 * What SHIFT tells a connected app about a user in its ID tokens and at UserInfo (OpenID Connect
 * Core §5.1). Everything SHIFT knows is returned here; the server keeps only what the granted scopes
 * release (`profile`: the names, `email`: the address), so no scope check belongs in this class.
 */
@Injectable()
export class ShiftClaims extends ClaimsProvider {
  constructor(private readonly users: UsersService) {
    super();
  }

  async claims(userId: string): Promise<Record<string, unknown> | undefined> {
    const user = await this.users.findById(userId);
    if (!user) return undefined;
    return {
      name: `${user.firstName} ${user.lastName}`,
      given_name: user.firstName,
      family_name: user.lastName,
      preferred_username: user.username,
      email: user.email,
      // SHIFT's demo accounts come with their addresses; a real SHIFT would say true only after a confirmation mail.
      email_verified: true,
      // Seconds since the epoch (Core §5.1). SHIFT never edits a profile, so it is the account's creation.
      updated_at: Math.floor(new Date(user.createdAt).getTime() / 1000),
    };
  }
}
