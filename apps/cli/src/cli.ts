/**
 * What every command of the CLI shares: one argument parser (commander), where its text goes (so
 * tests capture it), the configuration (@atlauja/config, the same as the api's and the worker's),
 * and how failures end: `--help` exits 0, a usage error 2 with the usage, a failure 1 with a message
 * that says what to do. Never a stack trace for what an operator can fix.
 */
import { Command, CommanderError } from 'commander';
import { ConfigurationError, environment, loadConfiguration, type Configuration } from '@atlauja/config';
import { StoreUnavailable } from '@atlauja/event-store';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: { write(text: string): unknown };
  err: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

export const processIo = (): CliIo => ({ env: environment(), out: process.stdout, err: process.stderr });

/** A failure the user can act on: the message says what to do. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** The configuration for the CLI, every problem at once. */
export function cliConfiguration(io: CliIo): Configuration {
  return loadConfiguration(io.env, 'cli');
}

/** A command whose output and errors go to `io`, whose parse errors are thrown, not exited on. */
export function command(name: string, io: CliIo): Command {
  return new Command(name)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => void io.out.write(text), writeErr: (text) => void io.err.write(text) });
}

/** Applies the same output, errors and exit handling to every subcommand added so far (commander copies them only on creation). */
export function inherit(parent: Command, io: CliIo): Command {
  for (const sub of parent.commands) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)').configureOutput({ writeOut: (text) => void io.out.write(text), writeErr: (text) => void io.err.write(text) });
    inherit(sub, io);
  }
  return parent;
}

/**
 * Parses `args` (without node and the script) and runs the action; resolves with the exit code the
 * action set (see `exitWith`), 0 after --help, 2 after a usage error, 1 after a failure.
 */
export async function runProgram(program: Command, args: string[], io: CliIo): Promise<number> {
  inherit(program, io);
  exitCodes.set(program, 0);
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCodes.get(program) ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      // commander.executeSubCommandAsync etc. never happen here; everything else is a usage error, already printed.
      return 2;
    }
    if (error instanceof CliError) {
      io.err.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigurationError) {
      io.err.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof StoreUnavailable) {
      io.err.write(`cannot use the store: ${error.message}\n(check EVENT_STORE, DATA_DIR or DATABASE_URL; with the embedded store, stop the api that holds DATA_DIR first)\n`);
      return 1;
    }
    throw error;
  } finally {
    exitCodes.delete(program);
  }
}

const exitCodes = new WeakMap<Command, number>();

/** Sets the exit code of the program `cmd` belongs to (an action's result). */
export function exitWith(cmd: Command, code: number): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  exitCodes.set(root, code);
}

/**
 * A call to a running service. When nothing answers at `base`, the message says how to get one:
 * "no service at http://127.0.0.1:3000 — start it with npm start, or pass --url".
 */
export async function callService(base: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(path, base.endsWith('/') ? base : `${base}/`), { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new CliError(`no service at ${base} (${cause}) — start it with npm start, or pass --url (or set API_URL, or PORT)`);
  }
}
