import { CaseTriageService } from '../../src/cases/case-triage.service';
import { CasesRepository } from '../../src/cases/cases.repository';
import { Clock } from '../../src/common/clock';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import type { IncomingPost } from '../../src/domain/posts/incoming-post';
import { CareScorer } from '../../src/domain/scoring/care-scorer';
import { IngestService } from '../../src/ingest/ingest.service';
import { PostsRepository } from '../../src/posts/posts.repository';
import type { DataSource } from 'typeorm';

let sequence = 0;

/** A post as a connector would hand it over; override what the test is about. */
export function incomingPost(overrides: Partial<IncomingPost> & { handle?: string; followers?: number } = {}): IncomingPost {
  sequence += 1;
  const { handle = `customer${sequence}`, followers = 120, ...rest } = overrides;
  return {
    platform: 'demo',
    externalId: `post-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    author: { externalId: handle, handle, displayName: handle, followers },
    text: '@HalcyonAir day 3 and still no bag, nobody answers the phone. Unacceptable.',
    lang: 'en',
    postedAt: new Date(),
    url: null,
    inReplyToExternalId: null,
    metrics: { likes: 0, reposts: 0, replies: 0 },
    brandId: null,
    ...rest,
  };
}

export const PRAISE = '@HalcyonAir thank you, the crew on HA204 were lovely and the flight was great';

export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return this.current;
  }
  set(time: Date): void {
    this.current = time;
  }
}

/** ADMIN_TOKEN in every test configuration: it authenticates as the first admin. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testConfig(environment: Record<string, string> = {}): AppConfig {
  return loadConfig({ LOG_LEVEL: 'error', ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...environment });
}

/** The header that signs a request in with a token: `http.get(url).set(bearer(token))`. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** The ingest pipeline wired by hand with the real repositories on a test database. */
export function ingestPipeline(dataSource: DataSource, config: AppConfig = testConfig(), clock: Clock = new FixedClock(new Date())) {
  const posts = new PostsRepository(dataSource);
  const cases = new CasesRepository(dataSource);
  const triage = new CaseTriageService(config, cases, clock);
  const ingest = new IngestService(config, new CareScorer(), posts, triage);
  return { posts, cases, triage, ingest };
}
