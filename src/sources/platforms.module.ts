import { Logger, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { createBlueskySources } from './bluesky/bluesky.connector';
import { DemoConnector } from './demo/demo.connector';
import { DemoReplier } from './demo/demo.replier';
import { createMastodonSources } from './mastodon/mastodon.connector';
import { PUBLIC_REPLIERS, SOURCE_CONNECTORS, type PlatformSources, type PublicReplier, type SourceConnector } from './source-connector';
import { createXSources } from './x/x.connector';

/**
 * The platforms the configuration turns on: X with a bearer token, Mastodon with a server and a
 * token, Bluesky with an identifier and an app password. The demo stream runs when asked for, or
 * by default when no platform is configured.
 */
export async function createPlatformSources(config: AppConfig): Promise<PlatformSources[]> {
  const options = { timeoutMs: config.sources.requestTimeoutSeconds * 1000 };
  const { x, mastodon, bluesky, demo } = config.sources;
  // Each factory gives nothing when its platform's credentials are not configured.
  const platforms: PlatformSources[] = [
    createXSources(x, config.brands, options),
    createMastodonSources(mastodon, config.brands, options),
    createBlueskySources(bluesky, config.brands, options),
  ];
  const realConnectors = platforms.reduce((count, platform) => count + platform.connectors.length, 0);
  if (demo.enabled === true || (demo.enabled === 'auto' && realConnectors === 0)) {
    if (demo.enabled === 'auto') new Logger('Sources').log('No platform credentials configured: replaying the demo stream');
    platforms.push({ connectors: [await DemoConnector.load(demo)], replier: new DemoReplier() });
  }
  return platforms;
}

const PLATFORM_SOURCES = Symbol('PLATFORM_SOURCES');

/**
 * The configured platforms' feeds and repliers, on their own so that the case workflow (which
 * replies) and the sources (which poll) can both use them without importing each other.
 */
@Module({
  providers: [
    { provide: PLATFORM_SOURCES, useFactory: createPlatformSources, inject: [APP_CONFIG] },
    {
      provide: SOURCE_CONNECTORS,
      useFactory: (platforms: PlatformSources[]): SourceConnector[] => platforms.flatMap((platform) => platform.connectors),
      inject: [PLATFORM_SOURCES],
    },
    {
      provide: PUBLIC_REPLIERS,
      useFactory: (platforms: PlatformSources[]): PublicReplier[] => platforms.flatMap((platform) => (platform.replier ? [platform.replier] : [])),
      inject: [PLATFORM_SOURCES],
    },
  ],
  exports: [SOURCE_CONNECTORS, PUBLIC_REPLIERS],
})
export class PlatformsModule {}
