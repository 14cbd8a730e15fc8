import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { DataSource } from 'typeorm';
import { CasesModule } from './cases/cases.module';
import { Clock, SystemClock } from './common/clock';
import { HttpErrorFilter } from './common/http-exception.filter';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { PostLabelsModule } from './posts/post-labels.module';
import { PostsModule } from './posts/posts.module';
import { ScoringModule } from './scoring/scoring.module';
import { SourcesModule } from './sources/sources.module';
import { UsersModule } from './users/users.module';

export interface AppModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  clock?: Clock;
}

/** The configuration and the clock, available to every module. */
@Global()
@Module({})
class CoreModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        DatabaseModule.forDataSource(options.dataSource),
        ScheduleModule.forRoot(),
        ScoringModule,
        PostsModule,
        PostLabelsModule,
        CasesModule,
        SourcesModule,
        UsersModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
