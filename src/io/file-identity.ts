import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Where a path really is, so that "is this output one of the inputs?" compares files, not
 * strings: `same/chelsea.png` with `same → .`, a symbolic link to the photo, or a hard link to it
 * all name the photo.
 */
export interface FileIdentity {
  /** The path with every symbolic link resolved (for a missing file: its folder's real path + name). */
  real: string;
  /**
   * The directory entry a rename onto the path replaces: the real folder + the path's own name
   * (differs from `real` when the path itself is a symbolic link).
   */
  entry: string;
  /** Device and inode of what the path names, when it exists. */
  dev?: number;
  ino?: number;
}

/** The real path of `path`'s deepest existing ancestor, with the rest of the path appended. */
async function realThroughAncestors(path: string): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing.reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}

export async function fileIdentity(path: string): Promise<FileIdentity> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  const entry = join(await realThroughAncestors(dirname(absolute)), basename(absolute));
  let real = entry;
  if (info) real = await realpath(absolute).catch(() => entry);
  else if (await lstat(absolute).catch(() => undefined)) real = entry; // a dangling link
  return { real, entry, dev: info?.dev, ino: info?.ino };
}

/** True when the two identities name one file (or folder): same real path or same device + inode. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  if (a.real === b.real || a.entry === b.entry || a.entry === b.real || a.real === b.entry) return true;
  return a.ino !== undefined && a.ino === b.ino && a.dev === b.dev;
}
