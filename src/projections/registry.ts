/**
 * Every read model of the application, in one list: read-model authors append theirs here. The runtime
 * consumes into them and `mymedic replay` rebuilds them.
 */
import type { Projection } from './projection.ts';

export const ALL_PROJECTIONS: Projection[] = [];
