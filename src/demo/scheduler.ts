/**
 * The simulated clock: a queue of actions by simulated time, run one at a time in (time, insertion) order. The
 * time of the running action is "now" for every command it sends, so the history never depends on the real
 * clock, and ties keep their insertion order, so one seed always runs the same actions in the same order.
 */
export type Action = () => Promise<void>;

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly run: Action;
}

export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private current: number;

  constructor(startMs: number) {
    this.current = startMs;
  }

  /** Simulated time of the running action. */
  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  /** Runs `run` at `atMs`, or now if that is already past. */
  at(atMs: number, run: Action): void {
    this.push({ at: Math.max(atMs, this.current), seq: this.seq++, run });
  }

  after(delayMs: number, run: Action): void {
    this.at(this.current + delayMs, run);
  }

  /** Runs every action due before `untilMs` (including those they schedule); later ones stay queued. */
  async runUntil(untilMs: number): Promise<void> {
    for (let next = this.heap[0]; next !== undefined && next.at < untilMs; next = this.heap[0]) {
      this.pop();
      this.current = next.at;
      await next.run();
    }
    this.current = Math.max(this.current, untilMs);
  }

  get pending(): number {
    return this.heap.length;
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let index = heap.length - 1; index > 0;) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    for (let index = 0; ;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
