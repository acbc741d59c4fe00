import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { StrokecutError } from '../core/errors.js';

/** Name of the lock file a batch keeps in each of its output folders while it runs. */
export const LOCK_FILE_NAME = '.strokecut-batch.lock';

interface LockContent {
  pid: number;
  host: string;
  since: string;
}

export interface FolderLock {
  path: string;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

async function readLock(path: string): Promise<LockContent | undefined> {
  try {
    const content = JSON.parse(await readFile(path, 'utf8')) as LockContent;
    return Number.isSafeInteger(content.pid) ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock on an output folder: a file `.strokecut-batch.lock` holding this process's pid.
 * It is created complete or not at all (written to a temporary, then hard-linked to its name,
 * which fails when the name exists), so two batches starting together cannot both get it. A
 * lock whose holder is gone (same machine, no such process: a batch killed with -9) is taken over.
 * A lock held by a running process is a usage error naming it. `shown`: the folder as typed.
 */
export async function lockFolder(dir: string, shown: string): Promise<FolderLock> {
  const created = await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE_NAME);
  const mine: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const temporary = join(dir, `${LOCK_FILE_NAME}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temporary, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(temporary, path);
        return {
          path,
          release: async () => {
            const current = await readLock(path);
            if (current?.pid === mine.pid && current.since === mine.since) await rm(path, { force: true });
            // A folder made only for this lock, left empty (every pair failed), goes too.
            if (created !== undefined) {
              for (let folder = dir; folder.length >= created.length; folder = dirname(folder)) {
                if (
                  !(await rmdir(folder).then(
                    () => true,
                    () => false,
                  ))
                )
                  break;
              }
            }
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readLock(path);
      if (holder && (holder.host !== mine.host || isAlive(holder.pid))) {
        throw new StrokecutError(
          'OUTPUT_IN_USE',
          `The output folder "${shown}" is in use by another strokecut batch (pid ${holder.pid}${holder.host !== mine.host ? ` on ${holder.host}` : ''}, since ${holder.since}); wait for it to finish or choose another folder. If no such batch runs, remove ${LOCK_FILE_NAME} in that folder.`,
        );
      }
      // The holder is gone (or the file is not a lock we can read): take it over.
      await rm(path, { force: true });
    }
    throw new StrokecutError('OUTPUT_IN_USE', `Could not take the lock on the output folder "${shown}".`);
  } finally {
    await rm(temporary, { force: true }).catch(() => {});
  }
}
