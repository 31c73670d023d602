/**
 * Loads only the system being measured: each child process measures one system, so Emmett's global changes
 * to node-postgres (int8 parsed as BigInt) never reach the others.
 */
import type { BenchTarget } from '../measurement.ts';
import type { SystemName } from '../plan.ts';
import type { BenchSystem } from './bench-system.ts';

export async function openSystem(system: SystemName, target: BenchTarget): Promise<BenchSystem> {
  switch (system) {
    case 'raw':
      return (await import('./raw-system.ts')).openRawSystem(target);
    case 'emmett':
      return (await import('./emmett-system.ts')).openEmmettSystem(target);
    case 'mymedic':
      return (await import('./mymedic-system.ts')).openMyMedicSystem(target);
  }
}
