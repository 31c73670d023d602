import { runService } from '../../api/server.ts';
import type { CliCommand } from './command.ts';

/** Runs the HTTP service: opens the store (holding the embedded data directory), migrates, serves until a signal. */
export const startCommand: CliCommand = {
  summary: 'run the HTTP service (embedded store in ./data unless DATABASE_URL is set; PORT, HOST)',
  run: () => runService(),
};
