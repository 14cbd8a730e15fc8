import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { resolveFromProjectRoot } from '../src/common/project-root';
import { parseDemoStream } from '../src/sources/demo/demo-stream';
import { FakeBlueskyApi } from '../test/fakes/bluesky-api.fake';
import { FakeMastodonApi } from '../test/fakes/mastodon-api.fake';
import { FakeXApi } from '../test/fakes/x-api.fake';

/**
 * The fake X, Mastodon and Bluesky servers for the sources benchmark, on a thread of their own:
 * their work (building pages, JSON) must not count as delay on the service's event loop.
 */
export type FakePlatformsRequest = { type: 'backlog'; postsPerSource: number } | { type: 'stop' };
export type FakePlatformsMessage =
  | {
      type: 'ready';
      x: { url: string; bearerToken: string };
      mastodon: { url: string; token: string };
      bluesky: { service: string; identifier: string | null; appPassword: string | null };
    }
  | { type: 'backlog-added' }
  | { type: 'stopped' };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('fake-platforms.worker must run as a worker thread');
  const texts = parseDemoStream(readFileSync(resolveFromProjectRoot('assets/demo-stream.jsonl'), 'utf8'), 'assets/demo-stream.jsonl').map((post) =>
    post.text.replace(/@HalcyonAir/gi, ''),
  );
  const text = (brand: number, index: number) => `${texts[(index * 31 + brand) % texts.length]} #brand${brand}`;
  const fakeX = await new FakeXApi().start();
  const fakeMastodon = await new FakeMastodonApi().start();
  const fakeBluesky = await new FakeBlueskyApi().start();
  let sequence = 0;

  port.on('message', (request: FakePlatformsRequest) => {
    switch (request.type) {
      case 'backlog': {
        const count = request.postsPerSource;
        // X: brands 1-4 (search); Mastodon: mentions and the tags of brands 5-6; Bluesky: brands 7-9.
        for (let brand = 1; brand <= 4; brand += 1) fakeX.addTweets(count, (index) => ({ text: text(brand, index), author: `xcustomer${index % 400}` }));
        fakeMastodon.addStatuses(count, (index) => ({ text: text(1, index), author: { username: `mcustomer${index % 300}` } }), { mention: true });
        for (const brand of [5, 6]) {
          fakeMastodon.addStatuses(count, (index) => ({ text: text(brand, index), author: { username: `tcustomer${index % 300}` } }), { tag: `brand${brand}` });
        }
        for (const brand of [7, 8, 9])
          fakeBluesky.addPosts(count, (index) => ({ text: text(brand, index), author: `bcustomer${(sequence++ % 300) + 1}.bsky.social` }));
        port.postMessage({ type: 'backlog-added' } satisfies FakePlatformsMessage);
        return;
      }
      case 'stop':
        void Promise.all([fakeX.stop(), fakeMastodon.stop(), fakeBluesky.stop()]).then(() => {
          port.postMessage({ type: 'stopped' } satisfies FakePlatformsMessage);
          port.close();
        });
        return;
    }
  });
  port.postMessage({
    type: 'ready',
    x: { url: fakeX.url, bearerToken: fakeX.bearerToken },
    mastodon: { url: fakeMastodon.url, token: fakeMastodon.token },
    bluesky: fakeBluesky.settings(),
  } satisfies FakePlatformsMessage);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake platforms failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
