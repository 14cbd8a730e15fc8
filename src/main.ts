import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { logLevelsUpTo } from './app.factory';
import { loadConfig } from './config/config.loader';
import { ConfigError } from './config/config.validation';
import { messageOf } from './common/error.util';
import { startService, type RunningService } from './service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nThe service did not start. Fix the values above (config/default.json, CONFIG_FILE or the environment).\n`);
      process.exit(1);
    }
    throw error;
  }

  // A new install must be able to sign in: without ADMIN_TOKEN this run gets a token of its own.
  const madeUpAdminToken = config.auth.adminToken === null ? `cm_admin_${randomBytes(18).toString('base64url')}` : null;
  if (madeUpAdminToken !== null) config = { ...config, auth: { ...config.auth, adminToken: madeUpAdminToken } };

  // Messages before the application exists (the embedded database starting) obey LOG_LEVEL too.
  Logger.overrideLogger(new ConsoleLogger({ logLevels: logLevelsUpTo(config.log.level) }));
  const logger = new Logger('Service');
  let service: RunningService;
  try {
    service = await startService(config);
  } catch (error) {
    logger.error(`The service could not start: ${messageOf(error)}`);
    process.exit(1);
  }
  logger.log(`Complaint monitor is running: open ${service.url}/api/cases (API docs at ${service.url}/api/docs)`);
  if (madeUpAdminToken !== null) {
    logger.log(
      `No ADMIN_TOKEN set: for this run, sign in as the admin with "Authorization: Bearer ${madeUpAdminToken}", create the team (POST /api/users) and issue their tokens; set ADMIN_TOKEN to keep one`,
    );
  }

  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== null) {
      // Ctrl-C under npm reaches us twice at once (from the terminal and forwarded by npm):
      // only a signal sent later means "stop now".
      if (Date.now() - stoppingSince < 2000) return;
      logger.warn(`${signal} again: exiting without waiting for a clean stop`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.log(`${signal}: stopping the service, then the database`);
    service.stop().then(
      () => {
        logger.log('Stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Stopping failed: ${messageOf(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
