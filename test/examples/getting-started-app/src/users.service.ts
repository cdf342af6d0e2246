import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface User {
  id: string;
  username: string;
  name: string;
}

// Stands for your own user accounts: one demo user, whose password is the DEMO_PASSWORD variable.
@Injectable()
export class UsersService {
  private readonly users: User[] = [{ id: 'u1', username: 'ada', name: 'Ada Lovelace' }];

  check(username: unknown, password: unknown): User | undefined {
    const user = this.users.find((u) => u.username === username);
    const expected = process.env.DEMO_PASSWORD;
    if (!user || !expected || typeof password !== 'string') return undefined;
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(password), digest(expected)) ? user : undefined;
  }

  profile(id: string): { id: string; name: string } | undefined {
    const user = this.users.find((u) => u.id === id);
    return user && { id: user.id, name: user.name };
  }
}
