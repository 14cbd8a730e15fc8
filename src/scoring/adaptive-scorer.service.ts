import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { messageOf } from '../common/error.util';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { CareScorer, DEFAULT_CATEGORIES, defaultModel, type CategoryDefinition } from '../domain/scoring/care-scorer';
import type { PostScore, Scorer, ScoringInput } from '../domain/scoring/post-score';
import type { ScoringModel } from '../domain/scoring/scoring-model';
import { trainModel } from '../domain/scoring/training';
import { LabelledExamplesRepository, type LabelsState } from './labelled-examples.repository';
import { loadModelFile } from './model-file';

const RELEARN_INTERVAL_NAME = 'scoring-relearn';

/** The model scoring posts now: its name (as stored in each score) and how many labelled posts it learned from. */
export interface ModelInUse {
  name: string;
  labelledPosts: number;
}

/**
 * The service's Scorer: a CareScorer on the base model (the shipped one or `scoring.modelFile`),
 * retrained on the agents' labels at start, after each label, and when another instance has
 * written labels. Retraining is one run at a time; a request during a run gets one more run after
 * it. A failed run is logged and the previous model keeps scoring.
 */
@Injectable()
export class AdaptiveScorer implements Scorer, OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scoring');
  private readonly categories: readonly CategoryDefinition[];
  /** The ids of the categories posts are sorted into (config `scoring.categories`, or the built-in ones). */
  readonly categoryIds: ReadonlySet<string>;
  private base: ScoringModel;
  private current: CareScorer;
  private labelledPosts = 0;
  /** The labels the current model has seen; null until they have been read once. */
  private learnedFrom: LabelsState | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private checking: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly labels: LabelledExamplesRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.categories = config.scoring.categories ?? DEFAULT_CATEGORIES;
    this.categoryIds = new Set(this.categories.map((category) => category.id));
    this.base = defaultModel(this.categories);
    this.current = new CareScorer({ model: this.base, categories: this.categories });
  }

  get name(): string {
    return this.current.name;
  }

  score(input: ScoringInput): PostScore {
    return this.current.score(input);
  }

  get modelInUse(): ModelInUse {
    return { name: this.current.name, labelledPosts: this.labelledPosts };
  }

  async onModuleInit(): Promise<void> {
    const { modelFile } = this.config.scoring;
    // The config check already read this file; reading it again here is what loads it, and a
    // file changed in between still stops the start with the setting's name.
    if (modelFile !== null) {
      try {
        this.base = loadModelFile(modelFile);
      } catch (error) {
        throw new Error(`scoring.modelFile must name a model file written by "cli train": ${messageOf(error)}`, { cause: error });
      }
    }
    this.swap(this.base, 0);
    if (this.config.scoring.learnFromLabels) await this.relearn();
  }

  onApplicationBootstrap(): void {
    if (!this.config.scoring.learnFromLabels) return;
    const interval = setInterval(() => this.tick(), this.config.scoring.relearnIntervalSeconds * 1000);
    this.scheduler.addInterval(RELEARN_INTERVAL_NAME, interval);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', RELEARN_INTERVAL_NAME)) this.scheduler.deleteInterval(RELEARN_INTERVAL_NAME);
    await this.checking;
    await this.queued;
    await this.running;
  }

  /**
   * Retrains on every label written so far and swaps the model in. Resolves when a run that
   * started after this call has finished, so a caller that has just stored a label gets a model
   * that learned from it. Never rejects.
   */
  relearn(): Promise<ModelInUse> {
    if (!this.config.scoring.learnFromLabels) return Promise.resolve(this.modelInUse);
    return this.schedule().then(() => this.modelInUse);
  }

  /** The periodic check: retrains when labels were added (by any instance) since the last run. Answers whether it retrained. */
  async checkForNewLabels(): Promise<boolean> {
    const state = await this.labels.state();
    const seen = this.learnedFrom;
    if (seen !== null && seen.count === state.count && seen.newestAt === state.newestAt) return false;
    await this.relearn();
    return true;
  }

  private tick(): void {
    if (this.stopping || this.checking) return;
    this.checking = this.checkForNewLabels()
      .catch((error: unknown) => this.logger.error(`Checking for new labels failed: ${messageOf(error)}`))
      .finally(() => (this.checking = null));
  }

  private schedule(): Promise<void> {
    if (!this.running) {
      this.running = this.train().finally(() => (this.running = null));
      return this.running;
    }
    // A run is under way and may have read the labels before the caller's: one more run after it.
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.schedule();
    });
    return this.queued;
  }

  private async train(): Promise<void> {
    const started = performance.now();
    try {
      // The state is read before the examples, so a label arriving in between triggers one more run.
      const state = await this.labels.state();
      const examples = state.count === 0 ? [] : await this.labels.examples(this.categoryIds);
      const model =
        examples.length === 0 ? this.base : trainModel(examples, { prior: this.base, categories: this.categories, name: `${this.base.name}+labels` });
      this.swap(model, examples.length);
      this.learnedFrom = state;
      if (examples.length > 0) {
        this.logger.log(`Retrained ${model.name} on ${examples.length} labelled posts in ${Math.round(performance.now() - started)} ms`);
      }
    } catch (error) {
      this.logger.error(`Retraining on labels failed; still scoring with ${this.current.name}: ${messageOf(error)}`);
    }
  }

  private swap(model: ScoringModel, labelledPosts: number): void {
    this.current = new CareScorer({ model, categories: this.categories });
    this.labelledPosts = labelledPosts;
  }
}
