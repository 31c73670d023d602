/**
 * A closed-loop HTTP load: `clients` concurrent callers, each on its own keep-alive connection, each sending
 * its next request as soon as the previous answer arrived, until the list is done. Every request is sent
 * once (no retries) and timed from send to the end of its answer.
 */
import { Agent, request } from 'node:http';

export interface PlannedRequest {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly body?: unknown;
}

export interface HttpLoadResult {
  /** One per request, in the order they finished. */
  readonly latenciesMs: readonly number[];
  /** How many answers had each status code. */
  readonly statuses: Readonly<Record<number, number>>;
  readonly seconds: number;
  /** The first few answers outside 2xx, for the report (status and problem code only). */
  readonly failures: readonly string[];
}

export interface HttpLoadOptions {
  readonly baseUrl: string;
  readonly clients: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly requests: readonly PlannedRequest[];
}

const KEPT_FAILURES = 5;

export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const latenciesMs: number[] = [];
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    for (let i = next++; i < options.requests.length; i = next++) {
      const planned = options.requests[i]!;
      const started = performance.now();
      const answer = await send(agent, options, planned);
      latenciesMs.push(performance.now() - started);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if ((answer.status < 200 || answer.status > 299) && failures.length < KEPT_FAILURES) {
        failures.push(`${answer.status} ${problemCode(answer.body)}`);
      }
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    agent.destroy();
  }
  return { latenciesMs, statuses, seconds: (performance.now() - started) / 1000, failures };
}

function send(
  agent: Agent,
  options: HttpLoadOptions,
  planned: PlannedRequest,
): Promise<{ status: number; body: string }> {
  const body = planned.body === undefined ? undefined : JSON.stringify(planned.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(planned.path, options.baseUrl),
      {
        method: planned.method,
        agent,
        headers: {
          ...options.headers,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function problemCode(body: string): string {
  try {
    return String((JSON.parse(body) as { code?: unknown }).code ?? '');
  } catch {
    return '';
  }
}
