import type { IncomingPost } from '../../src/domain/posts/incoming-post';
import { ConnectorError, type FetchResult, type SourceConnector, type SourceCursor } from '../../src/sources/source-connector';

/** Fetches as the poller does: again at once while the connector says it is not caught up. */
export async function drain(
  source: SourceConnector,
  cursor: SourceCursor | null,
  limit = 100,
): Promise<{ results: FetchResult[]; posts: IncomingPost[]; cursor: SourceCursor; fetches: number }> {
  const results: FetchResult[] = [];
  let position = cursor;
  for (let fetches = 1; fetches <= 100; fetches += 1) {
    const result = await source.fetch(position, { now: new Date(), limit });
    results.push(result);
    position = result.cursor;
    if (result.caughtUp) return { results, posts: results.flatMap((each) => each.posts), cursor: position, fetches };
  }
  throw new Error('never caught up');
}

/** The ConnectorError a fetch or a reply failed with; anything else fails the test. */
export async function connectorFailure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw new Error(`expected a ConnectorError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure');
}
