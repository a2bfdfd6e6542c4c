/**
 * The environment a process configures itself from: the process's own, plus a `.env` file in the
 * working directory in local mode (a developer's settings without exporting them). The process
 * environment always wins, and a `.env` never turns a process into a server: in server mode
 * (MODE=server in the environment) the file is not read at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigurationError } from './configuration-error';

export function environment(processEnv: Record<string, string | undefined> = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  if ((processEnv.MODE ?? '').trim() === 'server') return processEnv;
  const file = join(cwd, '.env');
  if (!existsSync(file)) return processEnv;
  const fromFile = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  // MODE=server from a file would silently trade the local defaults for a server's: only the environment may.
  if ((fromFile.MODE ?? '').trim() === 'server') {
    throw new ConfigurationError([{ variable: 'MODE', rule: `must not be server in ${file}: server mode is configured by the environment alone` }]);
  }
  return { ...fromFile, ...processEnv };
}
