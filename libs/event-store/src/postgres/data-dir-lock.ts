/**
 * One process owns an embedded data directory: PGlite is a single connection and two instances on
 * the same files would corrupt them. A lock file names the owner; a second opener is refused, and a
 * lock left by a process that no longer runs (a crash, a SIGKILL) is taken over.
 *
 * A pid alone cannot tell: in a container the api is PID 1 every time it starts, so the lock of the
 * killed PID 1 names the new PID 1, which is alive. The lock therefore also records the machine's
 * boot id and the owner's start time (Linux: /proc/<pid>/stat, in clock ticks since boot); the owner
 * is alive only if a process with that pid runs, started at that time, since that boot. Within one
 * process, the locks it holds are remembered, so opening a directory twice is refused too.
 */
import * as fs from 'fs';
import { StoreUnavailable, storageFailure } from '../errors';

interface Owner {
  pid: number;
  /** /proc/sys/kernel/random/boot_id; absent off Linux. */
  bootId?: string;
  /** Field 22 of /proc/<pid>/stat; absent off Linux. */
  startTime?: string;
}

/** Lock files this process holds (a second open of the same directory in one process is refused too). */
const held = new Set<string>();

export function acquireDataDirLock(lockFile: string): () => void {
  const me = describeProcess(process.pid);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' });
      held.add(lockFile);
      return () => {
        held.delete(lockFile);
        fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw storageFailure(error, lockFile) ?? new StoreUnavailable(`cannot create the lock ${lockFile}: ${(error as Error).message}`, { cause: error });
      }
      if (held.has(lockFile)) {
        throw new StoreUnavailable(`the embedded event store is already open in this process (lock ${lockFile}); one owner per data directory`);
      }
      const owner = readOwner(lockFile);
      if (owner !== null && isAlive(owner)) {
        throw new StoreUnavailable(`the embedded event store is already open (lock ${lockFile} held by process ${owner.pid}); one process owns a data directory`);
      }
      // Stale (or half-written by an owner that died while writing it): take it over.
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new StoreUnavailable(`could not take the lock ${lockFile}`);
}

function readOwner(lockFile: string): Owner | null {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8').trim();
  } catch {
    return null;
  }
  // Older locks hold the bare pid.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Owner;
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : null;
  } catch {
    return null;
  }
}

function isAlive(owner: Owner): boolean {
  if (!pidRuns(owner.pid)) return false;
  const now = describeProcess(owner.pid);
  if (owner.bootId !== undefined && now.bootId !== undefined && owner.bootId !== now.bootId) return false;
  if (owner.startTime !== undefined && now.startTime !== undefined) return owner.startTime === now.startTime;
  // Without start times (not Linux, or an old lock): our own pid is not a live owner, as we do not hold it.
  return owner.pid !== process.pid;
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeProcess(pid: number): Owner {
  const owner: Owner = { pid };
  try {
    owner.bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    /* not Linux */
  }
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    owner.startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    /* not Linux, or the process is gone */
  }
  return owner;
}
