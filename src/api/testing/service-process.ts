/**
 * Test and benchmark support: the real `mymedic` command line in child processes — one-shot commands, and the
 * service (`mymedic start`) on a port of its own, with its JSON log lines collected.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export type ProcessEnv = Readonly<Record<string, string | undefined>>;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mymedic <args>` to completion. */
export function runCli(env: ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, MAIN, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** `mymedic key create … --json` for one actor; returns the key, or throws with the CLI's stderr. */
export async function createKeyWithCli(
  env: ProcessEnv,
  tenantId: string,
  actor: { readonly actorId: string; readonly kind: string; readonly role: string },
): Promise<string> {
  const result = await runCli(
    env,
    ...['key', 'create', '--tenant', tenantId, '--actor-id', actor.actorId],
    ...['--kind', actor.kind, '--role', actor.role, '--json'],
  );
  if (result.code !== 0) throw new Error(`mymedic key create exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { apiKey: string }).apiKey;
}

export interface ServiceProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Every JSON line the service logged so far. */
  readonly logLines: readonly Record<string, unknown>[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `mymedic start` on a free port of 127.0.0.1 and resolves once /health answers.
 * @throws Error when the service exits, or does not answer within `timeoutMs`.
 */
export async function startServiceProcess(env: ProcessEnv, timeoutMs = 120_000): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'start'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logLines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${baseUrl}/health`))) {
    if (child.exitCode !== null)
      throw new Error(`the service exited with ${child.exitCode} before it was up`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
  return {
    baseUrl,
    child,
    logLines,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** A port nobody listens on right now (the service binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
