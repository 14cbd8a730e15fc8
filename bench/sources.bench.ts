import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { CaseTriageService } from '../src/cases/case-triage.service';
import { CasesRepository } from '../src/cases/cases.repository';
import { SystemClock } from '../src/common/clock';
import { resolveFromProjectRoot } from '../src/common/project-root';
import type { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/config.loader';
import type { IncomingPost } from '../src/domain/posts/incoming-post';
import { LexiconScorer } from '../src/domain/scoring/lexicon-scorer';
import { IngestService } from '../src/ingest/ingest.service';
import { PostsRepository } from '../src/posts/posts.repository';
import { parseDemoStream } from '../src/sources/demo/demo-stream';
import { ms, startBenchDatabase, summarise } from './bench-database';

const PAGE_SIZE = 100;
const WARM_UP_PAGES = 5;
const MEASURED_PAGES = 60;

export async function runSourcesBench(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'error' });
  const database = await startBenchDatabase();
  try {
    await benchStoringPages(database.dataSource, config);
  } finally {
    await database.stop();
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
  const ingest = new IngestService(config, new LexiconScorer(), posts, new CaseTriageService(config, new CasesRepository(dataSource), new SystemClock()));
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
