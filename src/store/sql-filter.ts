/**
 * Builds a WHERE clause from optional conditions with every value bound as a parameter ($1, $2, ...), never
 * interpolated. Parameters can be re-bound per page (the keyset cursor moves, the filter does not).
 */
export class SqlFilter {
  private readonly conditions: string[] = [];
  private readonly params: unknown[] = [];

  /** Registers a value and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  sql(): string {
    return this.conditions.length === 0 ? 'true' : this.conditions.join(' and ');
  }

  /** The bound values, with some placeholders given new values. */
  values(overrides: Readonly<Record<string, unknown>> = {}): unknown[] {
    return this.params.map((value, index) => {
      const placeholder = `$${index + 1}`;
      return placeholder in overrides ? overrides[placeholder] : value;
    });
  }
}
