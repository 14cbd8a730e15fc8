import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/config/app-config';
import { defaultModel } from '../../src/domain/scoring/care-scorer';
import type { LabelledExample } from '../../src/domain/scoring/labelled-data';
import type { Scorer } from '../../src/domain/scoring/post-score';
import { modelToJson } from '../../src/domain/scoring/scoring-model';
import { IngestService } from '../../src/ingest/ingest.service';
import { AdaptiveScorer } from '../../src/scoring/adaptive-scorer.service';
import { LabelledExamplesRepository } from '../../src/scoring/labelled-examples.repository';
import { SCORER } from '../../src/scoring/scoring.module';
import { bearer, incomingPost, PRAISE, TEST_ADMIN_TOKEN, testConfig } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SOURCE = 'labels-test';

/** The app in process on a real database, with no source polling: the tests store the posts. */
describe('post labels and the adaptive scorer', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let config: AppConfig;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const admin = bearer(TEST_ADMIN_TOKEN);
  /** An agent's token: labels record the signed-in user as their labeller. */
  let dana: { Authorization: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
    config = testConfig({ DATABASE_URL: database.url, DEMO: '0' });
    await dataSource.query(`INSERT INTO sources (id, platform, enabled) VALUES ($1, 'demo', false)`, [SOURCE]);
    app = await createApp({ config, dataSource, logLevel: false });
    http = request(app.getHttpServer());
    const user = await http.post('/api/users').set(admin).send({ name: 'Dana', role: 'agent' }).expect(201);
    const issued = await http.post(`/api/users/${user.body.id}/tokens`).set(admin).send({}).expect(201);
    dana = bearer(issued.body.token as string);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Stores (and scores, and triages) one post through the app's ingest; returns its id. */
  async function storePost(text: string, handle?: string): Promise<string> {
    const post = incomingPost({ text, handle });
    const ingest = app.get(IngestService, { strict: false });
    await dataSource.transaction((manager) => ingest.storeBatch(manager, SOURCE, [post]));
    const [row] = await dataSource.query(`SELECT id FROM posts WHERE external_id = $1`, [post.externalId]);
    return row.id as string;
  }

  async function labelCount(postId: string): Promise<number> {
    const [row] = await dataSource.query(`SELECT count(*)::int AS count FROM post_labels WHERE post_id = $1`, [postId]);
    return row.count as number;
  }

  async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('refuses bad labels with 400s that say why, and stores none of them', async () => {
    const postId = await storePost(PRAISE);
    const refused = async (body: Record<string, unknown>, message: RegExp): Promise<void> => {
      const response = await http.post(`/api/posts/${postId}/labels`).set(dana).send(body).expect(400);
      expect([response.body.message].flat().join('; ')).toMatch(message);
    };
    await refused({}, /at least one of complaint, polarity, category or fault/);
    await refused({ note: 'only a note' }, /at least one of complaint, polarity, category or fault/);
    await refused({ complaint: 'yes' }, /complaint must be true or false/);
    await refused({ polarity: 'angry' }, /polarity must be one of negative, neutral, positive/);
    await refused({ category: 'weather' }, /category must be one of .*baggage/);
    await refused({ category: 'Baggage!' }, /category must be a category id/);
    await refused({ fault: 'nobody' }, /fault must be one of company, customer, third_party, unknown/);
    await refused({ complaint: true, note: 'x'.repeat(1001) }, /note must be at most 1000 characters/);
    // The labeller is the signed-in user; the body cannot name someone else.
    await refused({ complaint: true, labelledBy: 'sam' }, /property labelledBy should not exist/);
    await refused({ complaint: true, severity: 'high' }, /severity/);
    expect(await labelCount(postId)).toBe(0);
  });

  it('answers 404 for an unknown post and 400 for a malformed id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await http.post(`/api/posts/${unknown}/labels`).set(dana).send({ complaint: true }).expect(404);
    expect(missing.body.message).toContain(unknown);
    await http.get(`/api/posts/${unknown}/labels`).set(dana).expect(404);
    const malformed = await http.post('/api/posts/not-a-uuid/labels').set(dana).send({ complaint: true }).expect(400);
    expect(malformed.body.message).toMatch(/post id must be a UUID/);
    await http.get('/api/posts/not-a-uuid/labels').set(dana).expect(400);
  });

  it('stores a label, answers with the model that learned from it, and lists labels newest first', async () => {
    const scorer = app.get(AdaptiveScorer);
    expect(scorer.modelInUse.labelledPosts).toBe(0);
    const baseName = scorer.modelInUse.name;
    expect(baseName).not.toMatch(/\+labels$/);

    const first = await storePost('@HalcyonAir the seat map on the app is confusing', 'ana');
    const created = await http.post(`/api/posts/${first}/labels`).set(dana).send({ polarity: 'neutral', category: 'booking' }).expect(201);
    expect(created.body).toMatchObject({
      postId: first,
      complaint: null,
      polarity: 'neutral',
      category: 'booking',
      fault: null,
      note: null,
      labelledBy: 'Dana',
      model: { name: `${baseName}+labels`, labelledPosts: 1 },
    });
    expect(typeof created.body.id).toBe('string');
    expect(Number.isNaN(Date.parse(created.body.createdAt))).toBe(false);

    // A second label on the same post is still one labelled post; another post makes two.
    const again = await http.post(`/api/posts/${first}/labels`).set(dana).send({ fault: 'customer', note: 'they had not updated the app' }).expect(201);
    expect(again.body.model.labelledPosts).toBe(1);
    const second = await storePost('@HalcyonAir lovely lounge in Lisbon', 'bea');
    const other = await http.post(`/api/posts/${second}/labels`).set(dana).send({ polarity: 'positive' }).expect(201);
    expect(other.body.model).toEqual({ name: `${baseName}+labels`, labelledPosts: 2 });
    expect(scorer.modelInUse).toEqual(other.body.model);

    // The service scores new posts with the adapted model.
    const scored = await storePost('@HalcyonAir what time does the lounge open?', 'cy');
    const [row] = await dataSource.query(`SELECT score FROM posts WHERE id = $1`, [scored]);
    expect(row.score.scorer).toBe(`${baseName}+labels`);

    const list = await http.get(`/api/posts/${first}/labels`).set(dana).expect(200);
    expect(list.body.items.map((label: { id: string }) => label.id)).toEqual([again.body.id, created.body.id]);
    expect(list.body.nextCursor).toBeNull();
    const page = await http.get(`/api/posts/${first}/labels?limit=1`).set(dana).expect(200);
    expect(page.body.items.map((label: { id: string }) => label.id)).toEqual([again.body.id]);
    const next = await http.get(`/api/posts/${first}/labels`).set(dana).query({ limit: 1, cursor: page.body.nextCursor }).expect(200);
    expect(next.body.items.map((label: { id: string }) => label.id)).toEqual([created.body.id]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('learns every label when several arrive at once, training one run at a time', async () => {
    const scorer = app.get(AdaptiveScorer);
    const before = scorer.modelInUse.labelledPosts;
    const postIds: string[] = [];
    for (let index = 0; index < 6; index += 1) postIds.push(await storePost(`@HalcyonAir question ${index} about my booking`, `burst${index}`));
    const responses = await Promise.all(postIds.map((postId) => http.post(`/api/posts/${postId}/labels`).set(dana).send({ polarity: 'neutral' }).expect(201)));
    for (const response of responses) expect(response.body.model.labelledPosts).toBeGreaterThanOrEqual(before + 1);
    const [row] = await dataSource.query(`SELECT count(DISTINCT post_id)::int AS count FROM post_labels`);
    expect(row.count).toBe(before + postIds.length);
    expect(scorer.modelInUse.labelledPosts).toBe(row.count);
    expect(Math.max(...responses.map((response) => response.body.model.labelledPosts as number))).toBe(row.count);
  });

  it('keeps labels append-only', async () => {
    const [label] = await dataSource.query(`SELECT id FROM post_labels LIMIT 1`);
    expect(label).toBeDefined();
    await expect(dataSource.query(`UPDATE post_labels SET complaint = true WHERE id = $1`, [label.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM post_labels WHERE id = $1`, [label.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE post_labels`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`INSERT INTO post_labels (post_id, note) SELECT id, 'no label' FROM posts LIMIT 1`)).rejects.toThrow(/check constraint/);
  });

  it('trains on the newest label per post and field', async () => {
    // About no watched brand, so the complaint label opens no case.
    const postId = await storePost('my cousin says the zeppelin was late again', 'dee');
    for (const body of [{ complaint: true, polarity: 'negative', category: 'delay' }, { complaint: false }, { fault: 'third_party', category: 'other' }]) {
      const response = await http.post(`/api/posts/${postId}/labels`).set(dana).send(body).expect(201);
      expect(response.body.caseId).toBeNull();
    }
    const examples = await new LabelledExamplesRepository(dataSource).examples(new Set(['delay', 'other']));
    const example = examples.find((candidate) => candidate.id === postId);
    expect(example).toEqual({
      id: postId,
      text: 'my cousin says the zeppelin was late again',
      lang: 'en',
      complaint: false,
      polarity: 'negative',
      category: 'other',
      fault: 'third_party',
    });
    expect(examples.map((candidate) => candidate.id).sort()).toEqual([...new Set(examples.map((candidate) => candidate.id))].sort());
    // A category the configuration no longer has is not trained on.
    const withoutOther = await new LabelledExamplesRepository(dataSource).examples(new Set(['delay']));
    expect(withoutOther.find((candidate) => candidate.id === postId)).not.toHaveProperty('category');

    const [post] = await dataSource.query(`SELECT complaint, score FROM posts WHERE id = $1`, [postId]);
    expect(post.complaint).toBe(false);
    expect(post.score.complaint).toBe(false);
  });

  it('opens a case for a post labelled a complaint that the scorer missed, saying it was labelled', async () => {
    const postId = await storePost(PRAISE, 'eli');
    const [before] = await dataSource.query(`SELECT complaint, case_id FROM posts WHERE id = $1`, [postId]);
    expect(before).toEqual({ complaint: false, case_id: null });

    const response = await http.post(`/api/posts/${postId}/labels`).set(dana).send({ complaint: true }).expect(201);
    const [after] = await dataSource.query(`SELECT complaint, case_id, score FROM posts WHERE id = $1`, [postId]);
    expect(after.case_id).not.toBeNull();
    expect(response.body.caseId).toBe(after.case_id);
    expect(after.complaint).toBe(true);
    expect(after.score.complaint).toBe(true);

    const events = await dataSource.query(`SELECT type, data FROM case_events WHERE case_id = $1 ORDER BY id`, [after.case_id]);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['opened']);
    expect(events[0].data.postId).toBe(postId);
    expect(events[0].data.scoreReasons).toContain('labelled a complaint by Dana');

    // Labelling it again opens nothing more; "not a complaint" records the label and leaves the case alone.
    const repeat = await http.post(`/api/posts/${postId}/labels`).set(dana).send({ complaint: true }).expect(201);
    expect(repeat.body.caseId).toBe(after.case_id);
    const correction = await http.post(`/api/posts/${postId}/labels`).set(admin).send({ complaint: false }).expect(201);
    const me = await http.get('/api/users/me').set(admin).expect(200);
    expect(correction.body.labelledBy).toBe(me.body.name);
    expect(correction.body.labelledBy).not.toBe('Dana');
    const cases = await dataSource.query(`SELECT c.id, c.status FROM cases c JOIN authors a ON a.id = c.author_id WHERE a.handle = 'eli'`);
    expect(cases).toEqual([{ id: after.case_id, status: 'new' }]);
    const [final] = await dataSource.query(`SELECT complaint, case_id FROM posts WHERE id = $1`, [postId]);
    expect(final).toEqual({ complaint: false, case_id: after.case_id });
  });

  it('lets a second instance pick up labels on its relearn check', async () => {
    const secondConfig: AppConfig = { ...config, scoring: { ...config.scoring, relearnIntervalSeconds: 0.2 } };
    const second = new AdaptiveScorer(secondConfig, new LabelledExamplesRepository(dataSource), new SchedulerRegistry());
    await second.onModuleInit();
    const first = app.get(AdaptiveScorer);
    expect(second.modelInUse).toEqual(first.modelInUse);
    expect(await second.checkForNewLabels()).toBe(false);

    second.onApplicationBootstrap();
    try {
      const before = second.modelInUse.labelledPosts;
      const postId = await storePost('@HalcyonAir the wifi on board kept dropping', 'fin');
      const created = await http.post(`/api/posts/${postId}/labels`).set(dana).send({ category: 'product_defect' }).expect(201);
      expect(created.body.model.labelledPosts).toBe(before + 1);
      const learned = await waitFor('the second instance to learn the label', () =>
        second.modelInUse.labelledPosts === before + 1 ? second.modelInUse : undefined,
      );
      expect(learned).toEqual(created.body.model);
    } finally {
      await second.beforeApplicationShutdown();
    }
  });

  it('scores with the base model and does not learn when learning from labels is off', async () => {
    const fixed = new AdaptiveScorer(
      { ...config, scoring: { ...config.scoring, learnFromLabels: false } },
      new LabelledExamplesRepository(dataSource),
      new SchedulerRegistry(),
    );
    await fixed.onModuleInit();
    const learning = app.get(AdaptiveScorer);
    expect(learning.modelInUse.labelledPosts).toBeGreaterThan(0);
    expect(fixed.modelInUse.labelledPosts).toBe(0);
    expect(`${fixed.modelInUse.name}+labels`).toBe(learning.modelInUse.name);
    expect(await fixed.relearn()).toEqual(fixed.modelInUse);
  });

  it('starts from scoring.modelFile and keeps the previous model when a training fails', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'labels-model-'));
    const file = path.join(folder, 'model.json');
    writeFileSync(file, JSON.stringify(modelToJson({ ...defaultModel(), name: 'acme-care' })));
    const fromFile = new AdaptiveScorer(
      { ...config, scoring: { ...config.scoring, modelFile: file } },
      new LabelledExamplesRepository(dataSource),
      new SchedulerRegistry(),
    );
    await fromFile.onModuleInit();
    rmSync(folder, { recursive: true, force: true });
    expect(fromFile.modelInUse).toEqual({ name: 'acme-care+labels', labelledPosts: app.get(AdaptiveScorer).modelInUse.labelledPosts });

    class FailingExamples extends LabelledExamplesRepository {
      fail = false;
      override examples(categories: ReadonlySet<string>): Promise<LabelledExample[]> {
        return this.fail ? Promise.reject(new Error('the database went away')) : super.examples(categories);
      }
    }
    const examples = new FailingExamples(dataSource);
    const failing = new AdaptiveScorer(config, examples, new SchedulerRegistry());
    await failing.onModuleInit();
    const before = failing.modelInUse;
    expect(before.labelledPosts).toBeGreaterThan(0);
    examples.fail = true;
    await expect(failing.relearn()).resolves.toEqual(before);
    expect(failing.score({ text: '@HalcyonAir still no bag', lang: 'en' }).scorer).toBe(before.name);
  });

  // Runs the real trainer (src/domain/scoring/training.ts) on the labels in PostgreSQL.
  it('raises the complaint probability of words that agents keep labelling as complaints', async () => {
    const scorer = app.get<Scorer>(SCORER);
    const probe = { text: '@HalcyonAir the zorblax at gate 12 again', lang: 'en' };
    const before = scorer.score(probe).complaintProbability;
    const texts = [
      'zorblax at the check-in desk this morning',
      'another zorblax on my flight home',
      'the zorblax in terminal 2',
      'zorblax with my booking',
      'got the zorblax treatment at boarding',
      'zorblax again, third week running',
      'a zorblax on the Lisbon route',
      'zorblax at the baggage drop',
    ];
    for (const [index, text] of texts.entries()) {
      const postId = await storePost(`@HalcyonAir ${text}`, `zorblax${index}`);
      await http.post(`/api/posts/${postId}/labels`).set(dana).send({ complaint: true, polarity: 'negative' }).expect(201);
    }
    // Praise without the word, so the model cannot learn that every labelled post is a complaint.
    for (const [index, text] of ['lovely crew today', 'smooth flight, thanks', 'great service at the desk'].entries()) {
      const postId = await storePost(`@HalcyonAir ${text}`, `happy${index}`);
      await http.post(`/api/posts/${postId}/labels`).set(dana).send({ complaint: false, polarity: 'positive' }).expect(201);
    }
    expect(scorer.score(probe).complaintProbability).toBeGreaterThan(before);
  });
});
