/**
 * `npm run cli -- <command> ...`: one program (commander) whose commands are the files in
 * ./commands: demo, token, audit, institutions, projections, trust. `--help` at any level prints that
 * level's usage and exits 0.
 */
import { Command } from 'commander';
import { command, processIo, runProgram, type CliIo } from './cli';
import { auditCommand } from './commands/audit';
import { demoCommand } from './commands/demo';
import { institutionsCommand } from './commands/institutions';
import { projectionsCommand } from './commands/projections';
import { tokenCommand } from './commands/token';
import { trustCommand } from './commands/trust';

export function program(io: CliIo): Command {
  return command('cli', io)
    .usage('<command> [options]  (npm run cli -- <command> ...)')
    .description('Atļauja on the command line: tokens, the demo, audit, the institution registry, the read models, trust')
    .addCommand(demoCommand(io))
    .addCommand(tokenCommand(io))
    .addCommand(auditCommand(io))
    .addCommand(institutionsCommand(io))
    .addCommand(projectionsCommand(io))
    .addCommand(trustCommand(io));
}

export function run(args: string[], io: CliIo): Promise<number> {
  // Without a command, the usage: what there is to do.
  return runProgram(program(io), args.length === 0 ? ['--help'] : args, io);
}

if (require.main === module) {
  const io = processIo();
  run(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (error: unknown) => {
      io.err.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
