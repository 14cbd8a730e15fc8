import { readFile } from 'node:fs/promises';
import { resolveFromProjectRoot } from '../../common/project-root';
import type { DemoSourceConfig } from '../../config/app-config';
import type { FetchOptions, FetchResult, SourceConnector, SourceCursor } from '../source-connector';
import { isDemoCursor, releaseDemoPosts } from './demo-replay';
import { parseDemoStream, type DemoStreamPost } from './demo-stream';

/** Replays the bundled stream of brand mentions, so a fresh install shows a live feed. */
export class DemoConnector implements SourceConnector {
  readonly id = 'demo';
  readonly platform = 'demo';
  readonly description: string;

  private constructor(
    private readonly stream: readonly DemoStreamPost[],
    private readonly settings: DemoSourceConfig,
  ) {
    this.description = `Demo stream: ${stream.length} posts about ${settings.brand}, replayed at ${settings.speed}x`;
  }

  static async load(settings: DemoSourceConfig): Promise<DemoConnector> {
    const file = resolveFromProjectRoot(settings.file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`The demo stream (sources.demo.file = ${settings.file}) cannot be read: ${(error as Error).message}`, { cause: error });
    }
    return new DemoConnector(parseDemoStream(text, settings.file), settings);
  }

  fetch(cursor: SourceCursor | null, options: FetchOptions): Promise<FetchResult> {
    // A cursor from another stream version is not ours to trust: start a fresh replay.
    const position = isDemoCursor(cursor) ? cursor : null;
    const released = releaseDemoPosts(
      this.stream,
      position,
      { speed: this.settings.speed, loop: this.settings.loop, brandId: this.settings.brand },
      options.now,
      options.limit,
    );
    return Promise.resolve({ posts: released.posts, cursor: { ...released.cursor }, caughtUp: released.caughtUp });
  }
}
