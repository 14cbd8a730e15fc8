import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

interface HealthResponse {
  status: 'ok' | 'unavailable';
  database: { status: 'up' | 'down'; latencyMs: number | null; error?: string };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Service health: 200 when the database answers, 503 when it does not' })
  async check(@Res({ passthrough: true }) response: { status(code: number): unknown }): Promise<HealthResponse> {
    const started = performance.now();
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 } };
    } catch (error) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', database: { status: 'down', latencyMs: null, error: (error as Error).message } };
    }
  }
}
