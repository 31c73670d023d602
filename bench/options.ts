/** Command-line options of `npm run bench`. */
import { ValidationError } from '../src/shared/errors.ts';
import { WORKLOAD_IDS, type WorkloadId } from './plan.ts';

export interface BenchOptions {
  /** Small counts and one run each: a smoke test, not figures to quote. */
  readonly quick: boolean;
  /** Only these workloads; undefined means all. */
  readonly only: readonly WorkloadId[] | undefined;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <workload>[,<workload>...]]
workloads: ${WORKLOAD_IDS.join(', ')}`;

export function parseBenchOptions(args: readonly string[]): BenchOptions {
  let quick = false;
  let only: WorkloadId[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--quick') {
      quick = true;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? args[++i] : arg.slice('--only='.length);
      if (!value) throw new ValidationError('--only', 'needs a workload name');
      only = [...(only ?? []), ...value.split(',').map(toWorkloadId)];
    } else {
      throw new ValidationError(arg, 'unknown option');
    }
  }
  return { quick, only };
}

function toWorkloadId(name: string): WorkloadId {
  const id = WORKLOAD_IDS.find((candidate) => candidate === name.trim());
  if (!id) throw new ValidationError('--only', `unknown workload "${name}"`, { known: WORKLOAD_IDS });
  return id;
}
