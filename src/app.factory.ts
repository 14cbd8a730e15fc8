import { BadRequestException, ValidationPipe, type INestApplication, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import { AppModule, type AppModuleOptions } from './app.module';
import { LOG_LEVELS, type LogLevel } from './config/app-config';

/** Builds and initialises the HTTP application: every route under /api, strict input validation, OpenAPI at /api/docs. */
export async function createApp(options: AppModuleOptions & { logLevel?: LogLevel | false }): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    logger: options.logLevel === false ? false : logLevelsUpTo(options.logLevel ?? 'log'),
    bufferLogs: false,
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(flattenValidationErrors(errors)),
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Complaint monitor')
      .setDescription('Every public complaint becomes an owned case with tracked obligations.')
      .setVersion('0.1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  await app.init();
  // Paths outside /api miss Nest's router; answer them in the same JSON shape as every other error.
  app.use((request: { method: string; path: string }, response: { status(code: number): { json(body: unknown): void } }) => {
    response
      .status(404)
      .json({ statusCode: 404, error: 'NOT_FOUND', message: `Cannot ${request.method} ${request.path}: the API is under /api (see /api/docs)` });
  });
  return app;
}

export function logLevelsUpTo(level: LogLevel): NestLogLevel[] {
  return ['fatal', ...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1)];
}

/** "limit must be at most 200", one message per problem, naming the parameter. */
function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message.replace(error.property, path) : `${path}: ${message}`,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
