/**
 * The contract of every aggregate: data plus three pure functions. No clock, no I/O, no randomness: time and
 * new ids arrive inside the command, and the shell (load → decide → append) does everything impure.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: () => State;
  /** Returns the events the command causes, or throws a DomainRuleError. */
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}
