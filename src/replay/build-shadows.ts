/**
 * The build phase of replays: reads the log page by page and applies each page to one or several shadows
 * (a rebuild of several projections reads the log once for all of them), each page in one transaction that
 * also moves the shadows' positions. The shadows' rows stay in memory between pages (ResidentShadows) and
 * are written into their tables when the build ends.
 */
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { RecordedEvent } from '../store/envelope.ts';
import { cursorAfter, type SubscriptionCursor } from '../store/subscriptions/subscription-cursor.ts';
import type { ApplyCounts, ProjectionApplier } from '../projections/projection-applier.ts';
import { ProjectionApplyError } from '../projections/projection-errors.ts';
import type { EventSource } from './event-source.ts';
import { relaxDurability } from './relaxed-durability.ts';
import { ResidentShadows } from './resident-shadows.ts';

export interface ShadowBuild {
  readonly applier: ProjectionApplier;
  /** Told what each committed page did to this shadow. */
  added(counts: ApplyCounts): void;
  /** Called after every page; awaited. */
  afterPage(): Promise<void>;
}

export interface BuildPlan {
  readonly source: EventSource;
  /** Where a round stops reading; fixed when the round begins. */
  readonly bound: (sql: Sql) => Promise<SubscriptionCursor>;
  readonly batchSize: number;
  /** See ReplayOptions.memoryShare. */
  readonly memoryShare?: number;
}

const MAX_BUILD_ROUNDS = 5;

/** Builds until what is left for a final step is under a page; returns the position reached. */
export async function buildShadows(
  engine: Engine,
  plan: BuildPlan,
  builds: readonly ShadowBuild[],
): Promise<SubscriptionCursor> {
  const resident = new ResidentShadows(
    builds.map((build) => build.applier.target.tables),
    plan.memoryShare,
  );
  try {
    const position = await buildRounds(engine, plan, builds, resident);
    await finishInMemory(engine, builds, resident);
    return position;
  } finally {
    resident.release();
  }
}

async function buildRounds(
  engine: Engine,
  plan: BuildPlan,
  builds: readonly ShadowBuild[],
  resident: ResidentShadows,
): Promise<SubscriptionCursor> {
  let position = plan.source.start();
  for (let round = 1; ; round++) {
    // Each round reads up to a bound fixed when it begins, so a round ends even while writers keep going.
    const bound = await plan.bound(engine);
    let readThisRound = 0;
    for (;;) {
      const page = await applyPage(engine, plan, position, bound, builds, resident);
      readThisRound += page.length;
      const last = page.at(-1);
      if (last) position = cursorAfter(position, last);
      if (resident.large()) await finishInMemory(engine, builds, resident);
      for (const build of builds) await build.afterPage();
      if (page.length < plan.batchSize) break;
    }
    // What the final step (under the live checkpoint's lock) has left to do is what arrived during the last
    // round: go on once that is under a page, or after a few rounds if writers outpace the rebuild.
    if (readThisRound < plan.batchSize || round >= MAX_BUILD_ROUNDS) return position;
  }
}

/** Lets each projection finish what it deferred to the end of the build, then writes the held rows out. */
async function finishInMemory(
  engine: Engine,
  builds: readonly ShadowBuild[],
  resident: ResidentShadows,
): Promise<void> {
  await engine.transaction(async (tx) => {
    await relaxDurability(tx);
    for (const { applier } of builds)
      await applier.target.projection.finishBuild?.(tx, applier.target.tables);
  });
  await resident.writeOut(engine);
}

async function applyPage(
  engine: Engine,
  plan: BuildPlan,
  position: SubscriptionCursor,
  bound: SubscriptionCursor,
  builds: readonly ShadowBuild[],
  resident: ResidentShadows,
): Promise<RecordedEvent[]> {
  const { page, counts } = await retryingApply(async () => {
    try {
      const applied = await engine.transaction(async (tx) => {
        const events = await plan.source.page(tx, position, bound, plan.batchSize);
        return { page: events, counts: await applyToAll(events, tx, builds) };
      });
      resident.commit();
      return applied;
    } catch (error) {
      resident.rollback();
      throw error;
    }
  });
  builds.forEach((build, index) => build.added(counts[index] as ApplyCounts));
  return page;
}

async function applyToAll(
  events: readonly RecordedEvent[],
  tx: Sql,
  builds: readonly ShadowBuild[],
): Promise<ApplyCounts[]> {
  await relaxDurability(tx);
  const counts: ApplyCounts[] = [];
  for (const build of builds) counts.push(await build.applier.applyBatch(events, tx));
  return counts;
}

/** Retries a transaction whose apply failed: the applier counts the failure and parks the event in time. */
export async function retryingApply<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProjectionApplyError)) throw error;
    }
  }
}
