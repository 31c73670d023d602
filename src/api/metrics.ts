/**
 * Prometheus metrics of one service instance: request latency by route and status, appends and conflicts,
 * the process's own figures, and a hook through which the projection runtime reports its lag at each scrape.
 * Labels never carry tenant, actor or patient ids (cardinality, and a scrape must disclose nothing).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProjectionLag {
  readonly projection: string;
  /** Events appended but not yet applied. */
  readonly events: number;
  /** Age of the oldest unapplied event. */
  readonly seconds: number;
}

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'mymedic_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly appendedEvents = new Counter({
    name: 'mymedic_appended_events_total',
    help: 'Events appended through the API (idempotent replays not counted)',
    registers: [this.registry],
  });
  readonly appends = new Counter({
    name: 'mymedic_appends_total',
    help: 'Append calls through the API by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private lagSource: (() => Promise<readonly ProjectionLag[]>) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mymedic_' });
    // The registry collects every metric at once; both gauges share one call of the source per scrape.
    let reading: Promise<readonly ProjectionLag[]> | undefined;
    const readLag = () =>
      (reading ??= (this.lagSource?.() ?? Promise.resolve([])).finally(() => {
        reading = undefined;
      }));
    const lagGauge = (name: string, help: string, value: (lag: ProjectionLag) => number) => {
      const gauge: Gauge<'projection'> = new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers: [this.registry],
        collect: async () => {
          gauge.reset();
          for (const lag of await readLag()) gauge.set({ projection: lag.projection }, value(lag));
        },
      });
    };
    lagGauge('mymedic_projection_lag_events', 'Events a projection has yet to apply', (lag) => lag.events);
    lagGauge(
      'mymedic_projection_lag_seconds',
      'Age of the oldest event a projection has yet to apply',
      (lag) => lag.seconds,
    );
  }

  /** The projection runtime's hook: `source` is called at every scrape. */
  reportProjectionLag(source: () => Promise<readonly ProjectionLag[]>): void {
    this.lagSource = source;
  }
}
