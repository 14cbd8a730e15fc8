import { randomUUID } from 'node:crypto';
import type { PostedReply, PublicReplier, ReplyTarget } from '../source-connector';

/**
 * Answers demo posts. There is no platform behind the demo stream, so a reply "posts" at once
 * with a fresh id; the case workflow behaves exactly as it would on a real platform.
 */
export class DemoReplier implements PublicReplier {
  readonly platform = 'demo';
  readonly sent: Array<{ target: ReplyTarget; text: string; reply: PostedReply }> = [];

  reply(target: ReplyTarget, text: string): Promise<PostedReply> {
    const reply = { externalId: `demo-reply-${randomUUID()}`, url: null };
    // Kept in memory only for tests and the log; the case workflow records replies in PostgreSQL.
    if (this.sent.length < 1000) this.sent.push({ target, text, reply });
    return Promise.resolve(reply);
  }
}
