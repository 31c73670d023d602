/**
 * The `mymedic` command line: one sub-command per file in ./commands, each returning its exit code.
 */
import { MyMedicError } from '../shared/errors.ts';
import { commands } from './commands/index.ts';

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage());
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof MyMedicError) {
      console.error(`mymedic ${name}: ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return ['usage: mymedic <command> [options]', '', ...lines].join('\n');
}

process.exitCode = await main(process.argv.slice(2));
