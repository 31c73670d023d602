import { afterEach } from 'node:test';
import type { Engine } from '../../store/engines/engine.ts';
import { ProjectionRuntime, type ProjectionRuntimeOptions } from '../projection-runtime.ts';

/**
 * Creates projection runtimes for a suite's tests — on the suite's engine unless given another, polling every
 * `pollIntervalMs` unless told otherwise — and stops every one of them after each test, so no subscription
 * outlives its test.
 */
export function runtimesStoppedAfterEach(
  engine: () => Engine,
  pollIntervalMs: number,
): (options: ProjectionRuntimeOptions, on?: Engine) => ProjectionRuntime {
  const running: ProjectionRuntime[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((runtime) => runtime.stop()));
  });
  return (options, on = engine()) => {
    const runtime = new ProjectionRuntime(on, { pollIntervalMs, ...options });
    running.push(runtime);
    return runtime;
  };
}
