/** Runs a read-model workload (rebuild, subscription lag): MyMedic only, on PostgreSQL. */
import type { BenchTarget, Measurement } from '../measurement.ts';
import type { ProjectionShape, WorkloadShape } from '../plan.ts';
import { measureRebuild } from './rebuild.ts';
import { measureSubscriptionLag } from './subscription-lag.ts';

export function isProjectionShape(shape: WorkloadShape): shape is ProjectionShape {
  return shape.kind === 'rebuild' || shape.kind === 'subscription-lag';
}

/** `target`: for a rebuild, the server's admin connection (the history has its own database); else a fresh one. */
export async function runProjectionWorkload(
  shape: ProjectionShape,
  target: BenchTarget,
): Promise<Measurement> {
  if (target.engine !== 'postgres') throw new Error(`${shape.kind} runs on PostgreSQL only`);
  return shape.kind === 'rebuild'
    ? measureRebuild(shape, target.url)
    : measureSubscriptionLag(shape, target.url);
}
