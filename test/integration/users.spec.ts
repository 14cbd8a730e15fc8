import type { DataSource } from 'typeorm';
import { DuplicateEmailError, UnknownUserError, UsersRepository } from '../../src/users/users.repository';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The users repository on a real PostgreSQL: tokens, the first admin, open case counts. */
describe('UsersRepository', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let users: UsersRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
    users = new UsersRepository(dataSource);
  });

  afterAll(async () => {
    await database?.drop();
  });

  let customers = 0;
  /** A case of a new customer, owned by `ownerId`, in `status`. */
  async function caseOwnedBy(ownerId: string | null, status: string): Promise<void> {
    customers += 1;
    const [author] = await dataSource.query(`INSERT INTO authors (platform, external_id, handle) VALUES ('demo', $1, $1) RETURNING id`, [
      `customer-${customers}`,
    ]);
    const closed = status === 'resolved' || status === 'closed';
    await dataSource.query(
      `INSERT INTO cases (brand_id, author_id, platform, status, priority, owner_id, opened_at, acknowledge_by, last_post_at, resolved_at)
       VALUES ('halcyon-air', $1, 'demo', $2, 3, $3, now(), now() + interval '1 hour', now(), $4)`,
      [author.id, status, ownerId, closed ? new Date() : null],
    );
  }

  it('creates users with defaults, lists them, finds them and changes only what a patch names', async () => {
    const dana = await users.create({ name: 'Dana', email: 'Dana@Example.com', role: 'agent' });
    expect(dana).toMatchObject({ name: 'Dana', email: 'dana@example.com', role: 'agent', onShift: false, capacity: 10, openCases: 0 });
    expect(dana.createdAt).toBeInstanceOf(Date);
    const sam = await users.create({ name: 'Sam', role: 'supervisor', onShift: true, capacity: 3 });
    expect(sam).toMatchObject({ email: null, onShift: true, capacity: 3 });

    expect((await users.list()).map((user) => user.name)).toEqual(expect.arrayContaining(['Dana', 'Sam']));
    expect(await users.findById(dana.id)).toEqual(dana);
    expect(await users.findById('00000000-0000-4000-8000-000000000000')).toBeNull();

    const onShift = await users.update(dana.id, { onShift: true });
    expect(onShift).toMatchObject({ name: 'Dana', role: 'agent', onShift: true, capacity: 10 });
    const promoted = await users.update(dana.id, { role: 'supervisor', capacity: 0 });
    expect(promoted).toMatchObject({ name: 'Dana', role: 'supervisor', onShift: true, capacity: 0 });
    expect(await users.update('00000000-0000-4000-8000-000000000000', { name: 'Nobody' })).toBeNull();
  });

  it('refuses a second user with the same email, whatever its case', async () => {
    await users.create({ name: 'Lee', email: 'lee@example.com', role: 'agent' });
    await expect(users.create({ name: 'Lee again', email: 'LEE@example.com ', role: 'executive' })).rejects.toBeInstanceOf(DuplicateEmailError);
    // Users without an email do not collide.
    await users.create({ name: 'No mail 1', role: 'agent' });
    await users.create({ name: 'No mail 2', role: 'agent' });
  });

  it('stores only the SHA-256 of a token: the plaintext is nowhere in the table', async () => {
    const user = await users.create({ name: 'Tokened', role: 'agent' });
    const issued = await users.issueToken(user.id, 'laptop');
    expect(issued.token).toMatch(/^cm_[A-Za-z0-9_-]{43}$/);

    const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM api_tokens WHERE id = $1`, [issued.id]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(issued.token);
    expect(stored).not.toContain(issued.token.slice(3));
    const [{ matches }] = await dataSource.query(`SELECT token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') AS matches FROM api_tokens WHERE id = $2`, [
      issued.token,
      issued.id,
    ]);
    expect(matches).toBe(true);
    expect(rows[0].label).toBe('laptop');
    expect(rows[0].last_used_at).toBeNull();

    const second = await users.issueToken(user.id, 'phone');
    expect(second.token).not.toBe(issued.token);
  });

  it('finds the user of a live token, notes its use, and refuses it once revoked', async () => {
    const user = await users.create({ name: 'Revoker', role: 'executive' });
    const kept = await users.issueToken(user.id, 'kept');
    const revoked = await users.issueToken(user.id, 'revoked');

    expect(await users.findByToken(revoked.token)).toEqual({ id: user.id, name: 'Revoker', role: 'executive' });
    const [{ last_used_at: lastUsed }] = await dataSource.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [revoked.id]);
    expect(lastUsed).toBeInstanceOf(Date);

    const other = await users.create({ name: 'Other', role: 'agent' });
    expect(await users.revokeToken(other.id, revoked.id)).toBe(false);
    expect(await users.findByToken(revoked.token)).not.toBeNull();

    expect(await users.revokeToken(user.id, revoked.id)).toBe(true);
    expect(await users.revokeToken(user.id, revoked.id)).toBe(false);
    expect(await users.findByToken(revoked.token)).toBeNull();
    expect(await users.findByToken(kept.token)).toEqual({ id: user.id, name: 'Revoker', role: 'executive' });
    expect(await users.findByToken(`${kept.token}x`)).toBeNull();
    expect(await users.findByToken('cm_not-a-token')).toBeNull();
  });

  it('refuses a token for an unknown user', async () => {
    await expect(users.issueToken('00000000-0000-4000-8000-000000000000', '')).rejects.toBeInstanceOf(UnknownUserError);
  });

  it('creates one first admin when many requests ask for it at once, and the same one afterwards', async () => {
    const admins = await Promise.all(Array.from({ length: 8 }, () => users.bootstrapAdmin()));
    const ids = new Set(admins.map((admin) => admin.id));
    expect(ids.size).toBe(1);
    expect(admins[0]).toMatchObject({ name: 'Administrator', role: 'admin' });
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM users WHERE bootstrap`);
    expect(count).toBe(1);
    expect((await users.bootstrapAdmin()).id).toBe(admins[0].id);
  });

  it('gives every waiting request the first admin when another transaction creates it first', async () => {
    await dataSource.query(`DELETE FROM users WHERE bootstrap`);
    // An uncommitted first admin: the requests below find none, then block on the unique index until it commits.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      const [created] = await holder.query(`INSERT INTO users (name, role, bootstrap) VALUES ('Administrator', 'admin', true) RETURNING id`);
      const waiting = Promise.all(Array.from({ length: 6 }, () => users.bootstrapAdmin()));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ blocked }] = await dataSource.query(
          `SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (blocked >= 6) break;
        if (Date.now() > deadline) throw new Error(`only ${blocked} requests blocked on the first admin`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.commitTransaction();
      const admins = await waiting;
      expect(admins.map((admin) => admin.id)).toEqual(Array.from({ length: 6 }, () => created.id));
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('counts the open cases each user owns, not resolved or closed ones nor anyone else’s', async () => {
    const busy = await users.create({ name: 'Busy', role: 'agent' });
    const idle = await users.create({ name: 'Idle', role: 'agent' });
    for (const status of ['new', 'assigned', 'acknowledged', 'waiting_on_customer', 'reopened', 'resolved', 'closed']) await caseOwnedBy(busy.id, status);
    await caseOwnedBy(idle.id, 'resolved');
    await caseOwnedBy(null, 'new');

    expect((await users.findById(busy.id))?.openCases).toBe(5);
    expect((await users.findById(idle.id))?.openCases).toBe(0);
    const listed = await users.list();
    expect(listed.find((user) => user.id === busy.id)?.openCases).toBe(5);
    expect((await users.update(busy.id, { capacity: 7 }))?.openCases).toBe(5);
  });
});
