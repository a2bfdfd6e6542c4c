/**
 * `npm run token -- --role representative --institution 90000000001 --personal-code 010190-12345`
 * mints a bearer token from the local-mode issuer (its key lives in DATA_DIR/auth). Local mode only.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { LocalTokenIssuer, ROLES, type Role } from '@atlauja/auth';
import { CliError, cliConfiguration, command, exitWith, runProgram, type CliIo } from '../cli';

interface TokenOptions {
  role: Role[];
  institution: string[];
  personalCode?: string;
  service?: string;
  ttlHours: number;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function hours(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 8760) throw new InvalidArgumentError('a whole number of hours from 1 to 8760');
  return Number(value);
}

export function tokenCommand(io: CliIo): Command {
  return command('token', io)
    .description('mint a bearer token from the local-mode issuer (key in DATA_DIR/auth); prints it on stdout')
    .addOption(new Option('--role <role>', 'a role; repeat for several').choices([...ROLES]).argParser((value: string, previous: string[] | undefined) => {
      if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
      return [...(previous ?? []), value];
    }).makeOptionMandatory())
    .option('--institution <regNo>', 'an institution the caller represents; repeat for several', collect, [])
    .option('--personal-code <code>', 'the subject: a person')
    .option('--service <name>', 'the subject: a machine caller')
    .option('--ttl-hours <hours>', 'validity', hours, 8)
    .action(async (options: TokenOptions, cmd: Command) => exitWith(cmd, await mint(options, io)));
}

export function run(args: string[], io: CliIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  return runProgram(tokenCommand(io), args, io);
}

async function mint(options: TokenOptions, io: CliIo): Promise<number> {
  const subject = options.personalCode ?? options.service;
  if (!subject) throw new CliError('--personal-code is required (or --service for a machine caller)', 2);
  const config = cliConfiguration(io);
  if (config.mode === 'server') throw new CliError('tokens are minted by the OIDC issuer in server mode', 2);
  const issuer = await LocalTokenIssuer.open(config.dataDir);
  const token = await issuer.mint(
    { subject, roles: options.role, institutions: options.institution, ...(options.service ? { service: options.service } : {}) },
    options.ttlHours * 3600,
  );
  io.out.write(token + '\n');
  return 0;
}
