import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A SHIFT account. The password is kept only as a scrypt hash (see password-hasher.ts). */
@Entity('shift_users')
@Index('uq_shift_users_username', ['username'], { unique: true })
export class ShiftUser {
  /** Stable id, the `sub` of every token SHIFT issues for this user. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ type: 'varchar', length: 255 })
  email!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
