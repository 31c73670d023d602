/**
 * A read-model table held whole in memory while a replay builds it into an empty shadow. Every RowBuffer on
 * the table reads and changes these rows instead of loading and writing them per batch — the shadow starts
 * empty and only the replay writes it, so a row absent here is absent from the table — and the replay writes
 * them out once when the build ends. A row changed by a thousand events is then written once, not a thousand
 * times.
 *
 * Changes since the last `commit` are journalled, so that a batch whose transaction rolls back (an event that
 * fails and will be retried or parked) is rolled back here too.
 */
import type { Sql } from '../../../store/engines/engine.ts';
import { insertRowsAsJson, type Row, type TableShape } from './table-statements.ts';

/** Between the parts of a key's text (see RowBuffer); JSON never contains it unescaped. */
export const KEY_SEPARATOR = '\u0001';

const WRITE_CHUNK = 5_000;

/**
 * What a read model keeps in memory beside a resident table for the length of a build (e.g. work it defers to
 * the build's end), committed and rolled back with the table's rows.
 */
export interface BuildMemory {
  commit(): void;
  rollback(): void;
}

export class ResidentTable {
  private readonly rows = new Map<string, Row>();
  /** Keys changed since the last commit, with the row each had before (undefined: none). */
  private readonly journal = new Map<string, Row | undefined>();
  /** Per key-prefix length: the keys under each prefix, built when `where` first asks for that length. */
  private readonly prefixes = new Map<number, Map<string, Set<string>>>();
  private shape: TableShape<Row> | undefined;
  private readonly companions = new Map<string, BuildMemory>();

  constructor(readonly table: string) {}

  /** The memory kept beside this table under `name`, created on first use. */
  companion<M extends BuildMemory>(name: string, create: () => M): M {
    let memory = this.companions.get(name);
    if (memory === undefined) this.companions.set(name, (memory = create()));
    return memory as M;
  }

  /** The table's columns and key, as the RowBuffers on it declare them; needed to write the rows out. */
  describe(shape: TableShape<Row>): void {
    this.shape ??= shape;
  }

  get size(): number {
    return this.rows.size;
  }

  get(key: string): Row | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** The rows whose key's first `length` parts are `prefix` (a key text). */
  under(prefix: string, length: number): Row[] {
    const keys = this.prefixIndex(length).get(prefix);
    return keys === undefined ? [] : [...keys].map((key) => this.rows.get(key) as Row);
  }

  set(key: string, row: Row): void {
    this.remember(key);
    this.put(key, row);
  }

  delete(key: string): void {
    this.remember(key);
    this.remove(key);
  }

  /** The changes since the last commit are kept. */
  commit(): void {
    this.journal.clear();
    for (const memory of this.companions.values()) memory.commit();
  }

  /** The changes since the last commit are undone. */
  rollback(): void {
    for (const [key, before] of this.journal) {
      if (before === undefined) this.remove(key);
      else this.put(key, before);
    }
    this.journal.clear();
  }

  /** Inserts every row into the (empty) table, in statements of a few thousand rows, and forgets them. */
  async writeOut(sql: Sql): Promise<number> {
    const written = this.rows.size;
    const { shape } = this;
    if (shape !== undefined) {
      let chunk: Row[] = [];
      for (const row of this.rows.values()) {
        chunk.push(row);
        if (chunk.length === WRITE_CHUNK) {
          await insertRowsAsJson(sql, shape, chunk);
          chunk = [];
        }
      }
      if (chunk.length > 0) await insertRowsAsJson(sql, shape, chunk);
    }
    this.rows.clear();
    this.journal.clear();
    this.prefixes.clear();
    return written;
  }

  private remember(key: string): void {
    if (!this.journal.has(key)) this.journal.set(key, this.rows.get(key));
  }

  private put(key: string, row: Row): void {
    if (!this.rows.has(key)) {
      for (const [length, index] of this.prefixes) addTo(index, prefixOf(key, length), key);
    }
    this.rows.set(key, row);
  }

  private remove(key: string): void {
    if (!this.rows.delete(key)) return;
    for (const [length, index] of this.prefixes) {
      const prefix = prefixOf(key, length);
      const keys = index.get(prefix);
      keys?.delete(key);
      if (keys?.size === 0) index.delete(prefix);
    }
  }

  private prefixIndex(length: number): Map<string, Set<string>> {
    let index = this.prefixes.get(length);
    if (index === undefined) {
      index = new Map();
      for (const key of this.rows.keys()) addTo(index, prefixOf(key, length), key);
      this.prefixes.set(length, index);
    }
    return index;
  }
}

function addTo(index: Map<string, Set<string>>, prefix: string, key: string): void {
  let keys = index.get(prefix);
  if (keys === undefined) index.set(prefix, (keys = new Set()));
  keys.add(key);
}

/** The text of a key's first `length` parts. */
function prefixOf(key: string, length: number): string {
  let end = -1;
  for (let part = 0; part < length; part++) {
    end = key.indexOf(KEY_SEPARATOR, end + 1);
    if (end === -1) return key;
  }
  return key.slice(0, end);
}

/**
 * The tables held in memory now, by concrete name. A replay holds its shadow's tables while it builds them
 * (see src/replay/resident-shadow.ts); the names of shadows are unique, so live tables are never held.
 */
const held = new Map<string, ResidentTable>();

export function holdResident(table: string): ResidentTable {
  const resident = new ResidentTable(table);
  held.set(table, resident);
  return resident;
}

export function releaseResident(table: string): void {
  held.delete(table);
}

export function residentTable(table: string): ResidentTable | undefined {
  return held.get(table);
}
