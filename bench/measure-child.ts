/**
 * A child process that measures one workload on one system and answers over IPC. One process per
 * measurement keeps systems from sharing a heap, a JIT warm-up, or Emmett's global node-postgres settings.
 */
import type { ChildMessage, MeasureRequest } from './measurement.ts';
import { installQueryCounter } from './query-counter.ts';
import { openSystem } from './systems/open-system.ts';
import { isProjectionShape, runProjectionWorkload } from './workloads/projection-workloads.ts';
import { runWorkload } from './workloads/run-workload.ts';

process.once('message', (request: MeasureRequest) => {
  void measure(request).then((reply) => process.send?.(reply, () => process.exit(0)));
});

async function measure(request: MeasureRequest): Promise<ChildMessage> {
  try {
    installQueryCounter();
    if (isProjectionShape(request.shape)) {
      return { ok: true, measurement: await runProjectionWorkload(request.shape, request.target) };
    }
    const system = await openSystem(request.system, request.target);
    try {
      return { ok: true, measurement: await runWorkload(system, request.shape, request.target) };
    } finally {
      await system.close();
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
