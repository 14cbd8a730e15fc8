import { randomUUID } from 'node:crypto';
import type { PostedReply, PublicReplier } from '../source-connector';

/**
 * Answers demo posts. There is no platform behind the demo stream, so a reply "posts" at once
 * with a fresh id; the case workflow behaves exactly as it would on a real platform.
 */
export class DemoReplier implements PublicReplier {
  readonly platform = 'demo';

  reply(): Promise<PostedReply> {
    return Promise.resolve({ externalId: `demo-reply-${randomUUID()}`, url: null });
  }
}
