/**
 * `npm run cli -- <group> <command> [options]`. Each group is one file in ./commands exporting
 * `run(args): Promise<number>` (the exit code) and `usage`. Groups: see GROUPS.
 */
const GROUPS: Record<string, () => Promise<{ run(args: string[]): Promise<number>; usage: string }>> = {
  demo: () => import('./commands/demo'),
  audit: () => import('./commands/audit'),
  institutions: () => import('./commands/institutions'),
  projections: () => import('./commands/projections'),
};

async function main(): Promise<number> {
  const [group, ...rest] = process.argv.slice(2);
  const load = group ? GROUPS[group] : undefined;
  if (!load) {
    console.error(`usage: npm run cli -- <${Object.keys(GROUPS).join('|')}> ...`);
    return 2;
  }
  const command = await load();
  if (rest[0] === '--help' || rest[0] === '-h') {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
