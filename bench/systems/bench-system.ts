/** The few operations every benchmarked system offers, so one workload drives all of them the same way. */
import type { NewEvent, StreamId } from '../../src/store/envelope.ts';

export interface BenchSystem {
  /** Appends with an exact expected version (0 = the stream must be empty); a mismatch must fail. */
  append(stream: StreamId, expectedVersion: number, events: readonly NewEvent[]): Promise<void>;
  /** Reads the stream whole, decoding every event; returns how many it read. */
  readStream(stream: StreamId): Promise<number>;
  /** A reader of the whole log, in the order and page size the system's consumers use, from its start. */
  tailLog(pageSize: number): LogTail;
  /** Global positions of every stored event, read directly from the table. */
  storedPositions(): Promise<number[]>;
  close(): Promise<void>;
}

export interface LogTail {
  /**
   * Reads on from where the previous pass stopped until the system reports nothing more to read now,
   * yielding each event's global position. A tailing consumer calls it again and again.
   */
  pass(): AsyncIterable<number>;
}
