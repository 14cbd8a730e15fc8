import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
  headersSent?: boolean;
}

/**
 * One error shape for every failure: `{ statusCode, error, message }`. Expected errors (4xx)
 * pass through with their message; a lost database answers 503; anything else is logged with
 * its stack and answers a 500 that says nothing internal.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (response.headersSent) return;

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : exception.message;
      // Details a caller can act on (a flagged repeat names the earlier reply) travel beside the message.
      const details = typeof body === 'object' && body !== null ? withoutKeys(body as Record<string, unknown>, ['statusCode', 'error', 'message']) : {};
      response.status(status).json({ statusCode: status, error: HttpStatus[status] ?? 'Error', message, ...details });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'SERVICE_UNAVAILABLE',
        message: 'The database is not reachable right now; try again shortly.',
      });
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side; it has been logged.',
    });
  }
}

function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: string; message?: string } | null;
  if (!error) return false;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(error.code ?? '') ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message ?? '')
  );
}

function withoutKeys(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!keys.includes(key)) rest[key] = value;
  return rest;
}
