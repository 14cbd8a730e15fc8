import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../domain/users/access';
import type { AuthUser } from './auth-user';

export interface UserView {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  onShift: boolean;
  capacity: number;
  /** Cases this user owns that are not resolved or closed. */
  openCases: number;
  createdAt: Date;
}

export interface NewUser {
  name: string;
  email?: string | null;
  role: Role;
  onShift?: boolean;
  capacity?: number;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  onShift?: boolean;
  capacity?: number;
}

/** Another user already has this email address (the column is unique). */
export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`A user with email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** A token was asked for a user that does not exist. */
export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super(`No user has id ${userId}`);
    this.name = 'UnknownUserError';
  }
}

interface UserRow {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  on_shift: boolean;
  capacity: number;
  open_cases: number;
  created_at: Date;
}

const OPEN_CASES = `(SELECT count(*)::int FROM cases c WHERE c.owner_id = u.id AND c.status NOT IN ('resolved', 'closed'))`;
const USER_COLUMNS = `u.id, u.name, u.email, u.role, u.on_shift, u.capacity, ${OPEN_CASES} AS open_cases, u.created_at`;
/** A user just created owns nothing yet. */
const NEW_USER_COLUMNS = `u.id, u.name, u.email, u.role, u.on_shift, u.capacity, 0 AS open_cases, u.created_at`;

/** Only this digest of a token is stored: a leaked table does not leak working tokens. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The team and their API tokens, in plain SQL. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(user: NewUser): Promise<UserView> {
    const email = normaliseEmail(user.email);
    try {
      const rows: UserRow[] = await this.dataSource.query(
        `WITH created AS (
           INSERT INTO users (name, email, role, on_shift, capacity) VALUES ($1, $2, $3, $4, COALESCE($5, 10)) RETURNING *
         )
         SELECT ${NEW_USER_COLUMNS} FROM created u`,
        [user.name, email, user.role, user.onShift ?? false, user.capacity ?? null],
      );
      return toView(rows[0]);
    } catch (error) {
      if (email !== null && isUniqueViolation(error, 'users_email_key')) throw new DuplicateEmailError(email);
      throw error;
    }
  }

  /** Everyone, with the open cases each owns; `manager` reads inside the caller's transaction. */
  async list(manager: EntityManager = this.dataSource.manager): Promise<UserView[]> {
    const rows: UserRow[] = await manager.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.name, u.id`);
    return rows.map(toView);
  }

  async findById(id: string): Promise<UserView | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Whether the user is the first admin, the one ADMIN_TOKEN signs in as. */
  async isBootstrapAdmin(id: string): Promise<boolean> {
    const rows: Array<{ bootstrap: boolean }> = await this.dataSource.query(`SELECT bootstrap FROM users WHERE id = $1`, [id]);
    return rows[0]?.bootstrap === true;
  }

  /** Changes only the given fields; null when no user has the id. */
  async update(id: string, patch: UserPatch): Promise<UserView | null> {
    // Wrapped in WITH ... SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
    const rows: UserRow[] = await this.dataSource.query(
      `WITH updated AS (
         UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role), on_shift = COALESCE($4, on_shift),
           capacity = COALESCE($5, capacity), updated_at = now()
         WHERE id = $1 RETURNING *
       )
       SELECT ${USER_COLUMNS} FROM updated u`,
      [id, patch.name ?? null, patch.role ?? null, patch.onShift ?? null, patch.capacity ?? null],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /** A new token for the user. The plaintext is returned once and never stored. */
  async issueToken(userId: string, label: string): Promise<{ id: string; token: string }> {
    const token = `cm_${randomBytes(32).toString('base64url')}`;
    try {
      const rows: Array<{ id: string }> = await this.dataSource.query(`INSERT INTO api_tokens (user_id, token_hash, label) VALUES ($1, $2, $3) RETURNING id`, [
        userId,
        tokenDigest(token),
        label,
      ]);
      return { id: rows[0].id, token };
    } catch (error) {
      if (isPostgresError(error, '23503')) throw new UnknownUserError(userId);
      throw error;
    }
  }

  /** False when the user has no such token, or it was already revoked. */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id
       )
       SELECT id FROM revoked`,
      [tokenId, userId],
    );
    return rows.length > 0;
  }

  /** The user a live token belongs to, noting when it was last used; null for unknown or revoked tokens. */
  async findByToken(token: string): Promise<AuthUser | null> {
    const rows: AuthUser[] = await this.dataSource.query(
      `WITH used AS (
         UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id
       )
       SELECT u.id, u.name, u.role FROM used JOIN users u ON u.id = used.user_id`,
      [tokenDigest(token)],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, role: rows[0].role } : null;
  }

  /**
   * The first admin, whom ADMIN_TOKEN authenticates as; created on first use. Two first requests
   * at once meet on the partial unique index, and both get the one row.
   */
  async bootstrapAdmin(): Promise<AuthUser> {
    const existing: AuthUser[] = await this.dataSource.query(`SELECT id, name, role FROM users WHERE bootstrap`);
    if (existing[0]) return pickAuthUser(existing[0]);
    // DO UPDATE (a no-op change) rather than DO NOTHING, so RETURNING gives the row either way.
    const rows: AuthUser[] = await this.dataSource.query(
      `INSERT INTO users (name, role, bootstrap) VALUES ('Administrator', 'admin', true)
       ON CONFLICT (bootstrap) WHERE bootstrap DO UPDATE SET bootstrap = EXCLUDED.bootstrap
       RETURNING id, name, role`,
    );
    return pickAuthUser(rows[0]);
  }
}

function pickAuthUser(row: AuthUser): AuthUser {
  return { id: row.id, name: row.name, role: row.role };
}

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    onShift: row.on_shift,
    capacity: row.capacity,
    openCases: Number(row.open_cases),
    createdAt: row.created_at,
  };
}

/** Emails compare without case, so "Dana@x" and "dana@x" are one address. */
function normaliseEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : null;
}

function isPostgresError(error: unknown, code: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const direct = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  return direct === code || driver === code;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!isPostgresError(error, '23505')) return false;
  const named =
    (error as { constraint?: unknown; driverError?: { constraint?: unknown } }).constraint ??
    (error as { driverError?: { constraint?: unknown } }).driverError?.constraint;
  return named === undefined || named === constraint;
}
