/** The data-directory lock tells a live owner from a stale lock, even when the lock names our own pid. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock } from './data-dir-lock';

const dir = mkdtempSync(join(tmpdir(), 'atlauja-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lockFile = (name: string) => join(dir, `${name}.lock`);

describe('the data-directory lock', () => {
  it('records the owner with its boot and start time, and is released', () => {
    const release = acquireDataDirLock(lockFile('a'));
    const owner = JSON.parse(readFileSync(lockFile('a'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, bootId: expect.any(String), startTime: expect.stringMatching(/^\d+$/) });
    release();
    expect(() => readFileSync(lockFile('a'))).toThrow();
  });

  it('refuses a second opener in the same process', () => {
    const release = acquireDataDirLock(lockFile('b'));
    try {
      expect(() => acquireDataDirLock(lockFile('b'))).toThrow(/already open in this process/);
    } finally {
      release();
    }
  });

  it('refuses while another live process holds it', async () => {
    const other = spawn('sleep', ['30']);
    try {
      await new Promise((r) => other.once('spawn', r));
      const stat = readFileSync(`/proc/${other.pid}/stat`, 'utf8');
      const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      writeFileSync(lockFile('c'), JSON.stringify({ pid: other.pid, bootId, startTime }));
      expect(() => acquireDataDirLock(lockFile('c'))).toThrow(`held by process ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock that names our own pid from an earlier life (PID 1 of a restarted container)', () => {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    writeFileSync(lockFile('d'), JSON.stringify({ pid: process.pid, bootId, startTime: '1' }));
    acquireDataDirLock(lockFile('d'))();
    // An old-format lock (the bare pid) naming our own pid: we do not hold it, so it is stale.
    writeFileSync(lockFile('e'), String(process.pid));
    acquireDataDirLock(lockFile('e'))();
  });

  it('takes over a lock of a process that no longer runs, or of another boot', () => {
    writeFileSync(lockFile('f'), JSON.stringify({ pid: 2 ** 22 + 7, bootId: 'x', startTime: '5' }));
    acquireDataDirLock(lockFile('f'))();
    writeFileSync(lockFile('g'), JSON.stringify({ pid: 1, bootId: 'another-boot', startTime: '5' }));
    acquireDataDirLock(lockFile('g'))();
  });
});
