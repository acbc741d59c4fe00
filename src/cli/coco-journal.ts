import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CocoEntry } from '../core/outputs/coco-rle.js';
import { writeFileAtomic } from '../io/write-image.js';

/**
 * The progress of a `batch --format coco` run: one small JSON file per finished pair, each written
 * atomically, in a hidden folder beside the data set (`.coco.json.journal/` for `coco.json`). The
 * data set itself is written once, at the end; a batch killed before that resumes from the
 * journal and only segments the pairs it lacks. The journal is removed once the data set is in
 * place.
 */
export class CocoJournal {
  readonly dir: string;

  constructor(cocoPath: string) {
    this.dir = join(dirname(cocoPath), `.${basename(cocoPath)}.journal`);
  }

  private fileOf(image: string): string {
    return join(this.dir, `${encodeURIComponent(image)}.json`);
  }

  /** Entries of earlier runs, by image file name, with the time each was written. */
  async read(): Promise<Map<string, { entry: CocoEntry; mtime: number }>> {
    const found = new Map<string, { entry: CocoEntry; mtime: number }>();
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith('.json')) continue; // temporaries of a killed write
      const path = join(this.dir, name);
      try {
        const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
        const entry = JSON.parse(text) as CocoEntry;
        if (typeof entry.fileName === 'string' && entry.rle && Array.isArray(entry.bbox)) {
          found.set(entry.fileName, { entry, mtime: info.mtimeMs });
        }
      } catch {
        // unreadable: that pair is simply done again
      }
    }
    return found;
  }

  /** Records one finished pair (atomically: a killed run leaves the entry whole or absent). */
  async add(entry: CocoEntry): Promise<void> {
    await writeFileAtomic(this.fileOf(entry.fileName), Buffer.from(`${JSON.stringify(entry)}\n`));
  }

  /** Removes the journal (the data set holds everything now, or --force starts afresh). */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
