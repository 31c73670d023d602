import { depositForfeits } from './deposit-forfeits.ts';
import type { ProcessManager } from './process-manager.ts';
import { portalRequests } from './portal-requests.ts';

/** Every reaction between aggregates that the service runs. */
export const ALL_PROCESS_MANAGERS: readonly ProcessManager[] = [portalRequests, depositForfeits];
