/**
 * One process owns an embedded data directory: PGlite is a single connection and two instances on
 * the same files would corrupt them. A lock file holding the owner's pid refuses a second opener;
 * a lock left by a process that no longer runs (a crash) is taken over.
 */
import * as fs from 'fs';
import { StoreUnavailable } from '../errors';

export function acquireDataDirLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new StoreUnavailable(`the embedded event store is already open (lock ${lockFile} held by process ${owner}); one process owns a data directory`);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new StoreUnavailable(`could not take the lock ${lockFile}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
