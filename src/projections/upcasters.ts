/**
 * Every upcaster of the application, in one list: whoever changes an event's payload schema adds the step
 * from the previous version here. The runtime and `mymedic replay` build their UpcasterRegistry from it.
 */
import type { Upcaster } from './upcaster-registry.ts';

export const ALL_UPCASTERS: readonly Upcaster[] = [];
