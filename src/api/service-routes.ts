/**
 * Every endpoint `mymedic start` serves beyond the ones buildApp always registers (whoami, stream and
 * tenant-log reads, disclosures, keys, /health, /ready, /metrics, /docs): the domain's commands and the read
 * models' queries. Tests that fuzz or enumerate the service's endpoints read these lists too.
 */
import type { ApiRoute } from './api-route.ts';
import { CARE_AND_FINANCE_COMMAND_ROUTES } from './commands/care-and-finance-routes.ts';
import { SCHEDULING_COMMAND_ROUTES } from './commands/scheduling-routes.ts';
import { QUERY_ROUTES } from './queries/query-routes.ts';

/** Commands for every aggregate: each appends its events or refuses, never part of them. */
export const SERVICE_COMMAND_ROUTES: readonly ApiRoute[] = [
  ...SCHEDULING_COMMAND_ROUTES,
  ...CARE_AND_FINANCE_COMMAND_ROUTES,
];

export const SERVICE_ROUTES: readonly ApiRoute[] = [...SERVICE_COMMAND_ROUTES, ...QUERY_ROUTES];
