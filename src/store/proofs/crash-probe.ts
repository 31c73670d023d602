/** What the crash writer (crash-writer.child.ts) and the crash proof (crash.int.spec.ts) agree on. */
export const BATCH_SIZE = 20;

/** One line of the writer's stdout, printed right after an append resolved. */
export interface Acknowledgement {
  readonly batchId: string;
  readonly tenantId: string;
  readonly eventIds: readonly string[];
  readonly firstTenantSeq: number;
  readonly lastTenantSeq: number;
}
