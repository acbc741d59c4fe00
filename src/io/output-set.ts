import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StrokecutError } from '../core/errors.js';

/** One file of an output set: where it goes and how to make its bytes. */
export interface OutputFile {
  /** Absolute path of the final file. */
  path: string;
  /** The path as the user typed it, for messages; default `path`. */
  shownAs?: string;
  /**
   * Builds the file's bytes. Called once, in order, just before the file's temporary is written,
   * so only one output's bytes are held at a time (a large image's cut-out is tens of megabytes).
   */
  bytes: () => Promise<Uint8Array> | Uint8Array;
}

/** The temporary-file name beside `path`: `.<name>.<pid>.<8 hex>.tmp` (see removeStaleTemporaryFiles). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Test hook, read from the environment by the write layer only: `STROKECUT_TEST_FAULT=write:NAME`
 * makes writing the temporary of any output whose file name is NAME fail as a full disk would,
 * `rename:NAME` makes its final rename fail with EIO. Lets the tests check the all-or-nothing
 * promise where no small file system can be mounted. Never set it outside tests.
 */
function injectedFault(stage: 'write' | 'rename', path: string): void {
  const spec = process.env.STROKECUT_TEST_FAULT;
  if (!spec) return;
  for (const item of spec.split(',')) {
    const [where, name] = item.split(':');
    if (where === stage && name === basename(path)) {
      const code = stage === 'write' ? 'ENOSPC' : 'EIO';
      throw Object.assign(new Error(`${code}: injected by STROKECUT_TEST_FAULT`), { code });
    }
  }
}

/** A user-facing error for a file-system failure while writing `shownAs`. */
export function unwritable(shownAs: string, error: unknown): StrokecutError {
  if (error instanceof StrokecutError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of the path is a file, not a directory'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : code === 'EDQUOT'
                ? 'disk quota exceeded'
                : String((error as Error).message).split('\n')[0];
  return new StrokecutError(
    'UNWRITABLE_OUTPUT',
    `Cannot write the output "${shownAs}": ${reason}. No output was written; existing files were kept.`,
  );
}

interface Staged {
  path: string;
  shownAs: string;
  temporary: string;
  /** A hard link to the file the rename replaces, kept until every rename succeeded. */
  backup?: string;
  renamed?: boolean;
}

/**
 * Writes several files all or nothing: every file's bytes are built and written to a temporary
 * beside its target first; only when all temporaries are complete are they renamed into place.
 * If building, writing or renaming any of them fails, the temporaries are removed, targets already
 * renamed are put back as they were (from a hard-link backup of the old file, or removed when there
 * was none), folders this call created are removed again, and the error is thrown, naming the file.
 * A kill -9 at any moment leaves each final path either old or complete, never half-written (the
 * renames themselves are not one atomic step: a kill between two renames leaves some outputs new).
 */
export async function writeOutputSet(files: readonly OutputFile[]): Promise<void> {
  const staged: Staged[] = [];
  const createdDirs: { top: string; full: string }[] = [];
  let current: OutputFile | undefined;
  try {
    for (const file of files) {
      current = file;
      const directory = dirname(file.path);
      const created = await mkdir(directory, { recursive: true });
      if (created !== undefined) createdDirs.push({ top: created, full: directory });
      const bytes = await file.bytes();
      const entry: Staged = {
        path: file.path,
        shownAs: file.shownAs ?? file.path,
        temporary: temporaryPathFor(file.path),
      };
      injectedFault('write', file.path);
      await writeFile(entry.temporary, bytes, { flag: 'wx' }).catch(async (error) => {
        await rm(entry.temporary, { force: true }).catch(() => {});
        throw error;
      });
      staged.push(entry);
    }
    current = undefined;
    for (const entry of staged) {
      // Keep the old file reachable until the whole set is in place (it may be absent: fine).
      const backup = temporaryPathFor(entry.path);
      if (
        await link(entry.path, backup).then(
          () => true,
          () => false,
        )
      )
        entry.backup = backup;
    }
    for (const entry of staged) {
      current = { path: entry.path, shownAs: entry.shownAs, bytes: () => new Uint8Array() };
      injectedFault('rename', entry.path);
      await rename(entry.temporary, entry.path);
      entry.renamed = true;
    }
  } catch (error) {
    await rollBack(staged, createdDirs);
    const failed = current ?? files[staged.length] ?? files[0];
    throw unwritable(failed?.shownAs ?? failed?.path ?? '?', error);
  }
  for (const entry of staged) if (entry.backup) await rm(entry.backup, { force: true }).catch(() => {});
}

async function rollBack(staged: Staged[], createdDirs: { top: string; full: string }[]): Promise<void> {
  for (const entry of staged) {
    if (entry.renamed) {
      if (entry.backup) await rename(entry.backup, entry.path).catch(() => {});
      else await rm(entry.path, { force: true }).catch(() => {});
    } else {
      await rm(entry.temporary, { force: true }).catch(() => {});
      if (entry.backup) await rm(entry.backup, { force: true }).catch(() => {});
    }
  }
  // Folders this call created, deepest first; rmdir only removes empty ones, so a folder another
  // process has meanwhile put a file into stays.
  for (const { top, full } of createdDirs.reverse()) {
    for (let dir = full; dir.length >= top.length; dir = dirname(dir)) {
      await rmdir(dir).catch(() => {});
      if (dir === top) break;
    }
  }
}
