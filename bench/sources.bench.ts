import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import { CaseTriageService } from '../src/cases/case-triage.service';
import { CasesRepository } from '../src/cases/cases.repository';
import { SystemClock } from '../src/common/clock';
import { resolveFromProjectRoot } from '../src/common/project-root';
import type { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/config.loader';
import type { IncomingPost } from '../src/domain/posts/incoming-post';
import { CareScorer } from '../src/domain/scoring/care-scorer';
import { IngestService } from '../src/ingest/ingest.service';
import { PostsRepository } from '../src/posts/posts.repository';
import type { BrandConfig } from '../src/domain/brands/brand';
import { createBlueskySources } from '../src/sources/bluesky/bluesky.connector';
import { parseDemoStream } from '../src/sources/demo/demo-stream';
import { createMastodonSources } from '../src/sources/mastodon/mastodon.connector';
import type { SourceConnector } from '../src/sources/source-connector';
import { SourcePollerService } from '../src/sources/source-poller.service';
import { registrationOf, SourcesRepository } from '../src/sources/sources.repository';
import { createXSources } from '../src/sources/x/x.connector';
import type { FakePlatformsMessage, FakePlatformsRequest } from './fake-platforms.worker';
import { ms, startBenchDatabase, summarise } from './bench-database';

const PAGE_SIZE = 100;
const WARM_UP_PAGES = 5;
const MEASURED_PAGES = 60;

export async function runSourcesBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  const config = loadConfig({ LOG_LEVEL: 'error' });
  const database = await startBenchDatabase();
  try {
    await benchStoringPages(database.dataSource, config);
    await benchPollingTenSources(database.dataSource, config);
  } finally {
    await database.stop();
  }
}

const POSTS_PER_SOURCE = 500;

/**
 * Ten sources on three platforms (four X searches, Mastodon mentions and two hashtags, three
 * Bluesky searches), each with a backlog of full pages on its fake server, polled at once by the
 * real poller and connectors. The event loop's delay is what a blocked loop would show.
 */
async function benchPollingTenSources(dataSource: DataSource, baseConfig: AppConfig): Promise<void> {
  const brands: BrandConfig[] = Array.from({ length: 10 }, (_unused, index) => ({
    id: `brand-${index + 1}`,
    name: `Brand ${index + 1}`,
    handles: { x: [], mastodon: [], bluesky: [] },
    keywords: [`#brand${index + 1}`],
  }));
  const config: AppConfig = { ...baseConfig, brands, sources: { ...baseConfig.sources, pageSize: PAGE_SIZE, pollIntervalSeconds: 3600 } };
  const fakes = new FakePlatforms();
  const ready = await fakes.ready;
  try {
    const options = { timeoutMs: 15_000 };
    const connectors: SourceConnector[] = [
      ...createXSources({ ...config.sources.x, bearerToken: ready.x.bearerToken, apiBaseUrl: ready.x.url }, brands.slice(0, 4), options).connectors,
      ...createMastodonSources(ready.mastodon, brands.slice(4, 6), options).connectors,
      ...createBlueskySources(ready.bluesky, brands.slice(6, 9), options).connectors,
    ];
    const sources = new SourcesRepository(dataSource);
    await sources.register(connectors.map((connector) => registrationOf(connector, config.sources.quietAfterMinutes)));
    const posts = new PostsRepository(dataSource);
    const ingest = new IngestService(config, new CareScorer(), posts, new CaseTriageService(config, new CasesRepository(dataSource), new SystemClock()));
    const poller = new SourcePollerService(config, connectors, dataSource, sources, ingest, new SchedulerRegistry(), new SystemClock());

    // Each feed's first poll sets its starting point (Mastodon and Bluesky read only the newest page the first time).
    const pollAllUntilCaughtUp = async (): Promise<{ pages: number[]; stored: number }> => {
      await dataSource.query(`UPDATE sources SET next_poll_at = now()`);
      const pages: number[] = [];
      let stored = 0;
      await Promise.all(
        connectors.map(async (connector) => {
          for (;;) {
            const started = performance.now();
            const outcome = await poller.pollOnce(connector);
            pages.push(performance.now() - started);
            if (outcome.status === 'failed') throw new Error(`${connector.id} failed: ${outcome.error}`);
            if (outcome.status === 'skipped') throw new Error(`${connector.id} was not due`);
            stored += outcome.result.stored;
            if (outcome.caughtUp) return;
            await dataSource.query(`UPDATE sources SET next_poll_at = now() WHERE id = $1`, [connector.id]);
          }
        }),
      );
      return { pages, stored };
    };
    await pollAllUntilCaughtUp();

    process.stdout.write(
      `\nPolling ${connectors.length} sources at once (${connectors.map((connector) => connector.id).join(', ')}),\n` +
        `  each with a backlog of ${POSTS_PER_SOURCE} posts in full pages (X and Bluesky 100 per page, Mastodon 40 and 80), through the real clients against local fake servers\n`,
    );
    // Baseline in the same process: the event loop's delay with nothing to do.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    idle.disable();

    await fakes.addBacklog(POSTS_PER_SOURCE);
    const busy = monitorEventLoopDelay({ resolution: 5 });
    const pauses: number[] = [];
    const gcObserver = new PerformanceObserver((list) => pauses.push(...list.getEntries().map((entry) => entry.duration)));
    gcObserver.observe({ entryTypes: ['gc'] });
    busy.enable();
    const started = performance.now();
    const { pages, stored } = await pollAllUntilCaughtUp();
    const elapsed = performance.now() - started;
    busy.disable();
    gcObserver.disconnect();

    const toMs = (nanoseconds: number) => nanoseconds / 1e6;
    const perPage = summarise(pages);
    process.stdout.write(
      `  ${stored.toLocaleString('en')} new posts in ${pages.length} polls over ${(elapsed / 1000).toFixed(2)} s (${Math.round((stored * 1000) / elapsed).toLocaleString('en')} posts/s);` +
        ` one poll (fetch, store, move the cursor): median ${ms(perPage.median)}, p95 ${ms(perPage.p95)}\n` +
        `  event-loop delay while polling: p50 ${ms(toMs(busy.percentile(50)))}, p99 ${ms(toMs(busy.percentile(99)))}, max ${ms(toMs(busy.max))}\n` +
        `  garbage collection while polling: ${pauses.length} pauses, longest ${ms(Math.max(0, ...pauses))}, ${ms(pauses.reduce((sum, pause) => sum + pause, 0))} in all\n` +
        `  baseline, idle event loop in the same process: p50 ${ms(toMs(idle.percentile(50)))}, p99 ${ms(toMs(idle.percentile(99)))}, max ${ms(toMs(idle.max))}\n` +
        `  ratio: p99 delay while polling is ${(busy.percentile(99) / idle.percentile(99)).toFixed(2)}x the idle p99 (the monitor samples every 5 ms)\n`,
    );
  } finally {
    await fakes.stop();
  }
}

/** The fake servers, run on a worker thread (bench/fake-platforms.worker.ts). */
class FakePlatforms {
  readonly ready: Promise<Extract<FakePlatformsMessage, { type: 'ready' }>>;
  private readonly worker = new Worker(path.join(__dirname, 'fake-platforms.worker.js'));
  private readonly waiting = new Map<FakePlatformsMessage['type'], () => void>();

  constructor() {
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: FakePlatformsMessage) => {
        if (message.type === 'ready') resolve(message);
        else this.waiting.get(message.type)?.();
      });
      this.worker.once('error', reject);
    });
  }

  addBacklog(postsPerSource: number): Promise<void> {
    return this.request({ type: 'backlog', postsPerSource }, 'backlog-added');
  }

  async stop(): Promise<void> {
    await this.request({ type: 'stop' }, 'stopped');
    await this.worker.terminate();
  }

  private request(request: FakePlatformsRequest, answer: FakePlatformsMessage['type']): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.set(answer, resolve);
      this.worker.postMessage(request);
    });
  }
}

/** Realistic posts: the demo stream's texts, with fresh ids and a pool of returning customers. */
function postFactory(): (count: number) => IncomingPost[] {
  const stream = parseDemoStream(readFileSync(resolveFromProjectRoot('assets/demo-stream.jsonl'), 'utf8'), 'assets/demo-stream.jsonl');
  let sequence = 0;
  return (count) =>
    Array.from({ length: count }, () => {
      const template = stream[sequence % stream.length];
      sequence += 1;
      const author = `customer${(sequence * 7919) % 3000}`;
      return {
        platform: 'x',
        externalId: String(1_900_000_000_000_000_000n + BigInt(sequence)),
        author: { externalId: author, handle: author, displayName: template.author.name, followers: template.author.followers },
        text: template.text,
        lang: template.lang,
        postedAt: new Date(Date.now() - (100_000 - sequence) * 1000),
        url: null,
        inReplyToExternalId: null,
        metrics: { likes: template.likes, reposts: template.reposts, replies: template.replies },
        brandId: null,
      } satisfies IncomingPost;
    });
}

async function benchStoringPages(dataSource: DataSource, config: AppConfig): Promise<void> {
  const posts = new PostsRepository(dataSource);
  const ingest = new IngestService(config, new CareScorer(), posts, new CaseTriageService(config, new CasesRepository(dataSource), new SystemClock()));
  await dataSource.query(`INSERT INTO sources (id, platform, description) VALUES ('bench', 'x', 'benchmark') ON CONFLICT DO NOTHING`);
  const nextPosts = postFactory();

  process.stdout.write(
    `\nStoring a ${PAGE_SIZE}-post page: sanitise, dedupe, score, store authors and posts, triage into cases, in one transaction (as a poll does)\n`,
  );
  const pipeline: number[] = [];
  let complaints = 0;
  let casesTouched = 0;
  for (let page = 0; page < WARM_UP_PAGES + MEASURED_PAGES; page += 1) {
    const batch = nextPosts(PAGE_SIZE);
    const started = performance.now();
    const result = await dataSource.transaction((manager) => ingest.storeBatch(manager, 'bench', batch));
    const elapsed = performance.now() - started;
    if (result.stored !== PAGE_SIZE) throw new Error(`expected ${PAGE_SIZE} new posts on page ${page}, stored ${result.stored}`);
    if (page < WARM_UP_PAGES) continue;
    pipeline.push(elapsed);
    complaints += result.complaints;
    casesTouched += result.casesOpened + result.casesJoined + result.casesReopened;
  }
  const measured = summarise(pipeline);
  process.stdout.write(
    `  ${MEASURED_PAGES} pages after ${WARM_UP_PAGES} warm-up: median ${ms(measured.median)}, p95 ${ms(measured.p95)}, max ${ms(measured.max)}` +
      ` (${Math.round((PAGE_SIZE * 1000) / measured.mean).toLocaleString('en')} posts/s; ${complaints} complaints, ${casesTouched} cases opened, joined or reopened)\n`,
  );

  // Baseline: what a plain row-by-row store of the same pages costs, with no scoring and no triage.
  const baseline: number[] = [];
  for (let page = 0; page < WARM_UP_PAGES + MEASURED_PAGES; page += 1) {
    const batch = nextPosts(PAGE_SIZE);
    const started = performance.now();
    await dataSource.transaction(async (manager) => {
      for (const post of batch) {
        const [author]: Array<{ id: string }> = await manager.query(
          `INSERT INTO authors (platform, external_id, handle, display_name, followers) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (platform, external_id) DO UPDATE SET followers = EXCLUDED.followers RETURNING id`,
          [post.platform, post.author.externalId, post.author.handle, post.author.displayName, post.author.followers],
        );
        await manager.query(
          `INSERT INTO posts (platform, external_id, source_id, author_id, text, lang, posted_at, metrics, score, polarity, complaint, complaint_probability, urgency)
           VALUES ($1, $2, 'bench', $3, $4, $5, $6, $7, '{}', 'neutral', false, 0, 0) ON CONFLICT (platform, external_id) DO NOTHING`,
          [post.platform, post.externalId, author.id, post.text, post.lang, post.postedAt, JSON.stringify(post.metrics)],
        );
      }
    });
    if (page >= WARM_UP_PAGES) baseline.push(performance.now() - started);
  }
  const plain = summarise(baseline);
  process.stdout.write(
    `  baseline, row-by-row inserts of the same kind of page without scoring or triage: median ${ms(plain.median)}, p95 ${ms(plain.p95)}\n` +
      `  ratio: the full pipeline takes ${(measured.median / plain.median).toFixed(2)}x the baseline's median time\n`,
  );
}
