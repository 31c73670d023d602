/** The HTTP service's public surface: the app factory, the route extension point and its helpers. */
export { buildApp, type BuildAppOptions } from './app.ts';
export { defineApiRoute, type ApiRoute, type ApiRouteSpec, type RouteInput } from './api-route.ts';
export { assertExpectedVersion, etag, expectedVersionFrom, type ConcurrencyMode } from './concurrency.ts';
export type { RequestContext, RequestTransaction, EventMetadata } from './request-context.ts';
export { ApiMetrics, type ProjectionLag } from './metrics.ts';
export { PROBLEM_KINDS, toProblem } from './problem-details.ts';
export { patientRefsOf, type PatientRefs } from './patient-refs.ts';
export { runService, serviceSettings } from './server.ts';
