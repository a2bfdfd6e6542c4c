/** `npm run token -- ...`: the CLI's `token` command on its own (see commands/token.ts). */
import { processIo } from './cli';
import { run } from './commands/token';

const io = processIo();
run(process.argv.slice(2), io).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
