import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { StrokecutError } from '../core/errors.js';
import { fileIdentity, sameFile } from '../io/file-identity.js';

/** Extensions of the files a batch picks up (case-insensitive): the formats the decoder reads. */
export const BATCH_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif'];

/** Suffixes that mark a stroke file in the pairing rule, tried in this order. */
export const STROKE_SUFFIXES = ['-stroke', '-strokes'];

export interface Pair {
  /** File names (not paths) in their folders. */
  image: string;
  strokes: string;
  /** Base name of every output file of this pair: the stroke file's name without its extension. */
  outputBase: string;
}

/** A file that could not be paired, and why. */
export interface Unpaired {
  image?: string;
  strokes?: string;
  code: 'MISSING_STROKES' | 'MISSING_IMAGE' | 'AMBIGUOUS_PAIR';
  message: string;
}

function splitName(name: string): { base: string; extension: string } {
  const extension = extname(name);
  return { base: name.slice(0, name.length - extension.length), extension: extension.toLowerCase() };
}

export function isBatchImageName(name: string): boolean {
  return !name.startsWith('.') && BATCH_IMAGE_EXTENSIONS.includes(splitName(name).extension);
}

/**
 * Pairs image files with stroke files by name. The rule: image `NAME.EXT` pairs with the file in
 * the strokes folder named `NAME-stroke.*`, `NAME-strokes.*` or (only when the folders differ)
 * `NAME.*`, with any supported extension. Exactly one candidate must exist: none is a missing
 * partner, several is ambiguous. When both folders are the same, files named `*-stroke.*` /
 * `*-strokes.*` are stroke files, not images. Stroke files no image claims
 * are reported too, as are two images claiming one stroke file (their outputs would collide).
 * Hidden files (`.name`, such as the temporary files of an interrupted write) are ignored.
 * Results are sorted by image name, so runs are reproducible.
 */
export function pairFileNames(
  imageNames: readonly string[],
  strokeNames: readonly string[],
  sameFolder: boolean,
): { pairs: Pair[]; unpaired: Unpaired[] } {
  const images = imageNames.filter(isBatchImageName).sort();
  const strokes = strokeNames.filter(isBatchImageName).sort();
  const strokesByBase = new Map<string, string[]>();
  for (const name of strokes) {
    const { base } = splitName(name);
    strokesByBase.set(base, [...(strokesByBase.get(base) ?? []), name]);
  }
  // In a shared folder, a name ending in a stroke suffix is a stroke file, never an image.
  const hasStrokeSuffix = (name: string) =>
    STROKE_SUFFIXES.some((suffix) => splitName(name).base.endsWith(suffix));

  const candidates: { image: string; strokes: string[] }[] = [];
  for (const image of images) {
    if (sameFolder && hasStrokeSuffix(image)) continue;
    const { base } = splitName(image);
    const bases = sameFolder
      ? STROKE_SUFFIXES.map((s) => base + s)
      : [...STROKE_SUFFIXES.map((s) => base + s), base];
    candidates.push({
      image,
      strokes: bases.flatMap((b) => strokesByBase.get(b) ?? []).filter((s) => !sameFolder || s !== image),
    });
  }

  const pairs: Pair[] = [];
  const unpaired: Unpaired[] = [];
  const claims = new Map<string, string[]>();
  for (const { image, strokes: found } of candidates) {
    if (found.length === 1) claims.set(found[0], [...(claims.get(found[0]) ?? []), image]);
  }
  const claimed = new Set<string>();
  for (const { image, strokes: found } of candidates) {
    for (const name of found) claimed.add(name);
    const { base } = splitName(image);
    if (found.length === 0) {
      const looked = (
        sameFolder ? STROKE_SUFFIXES.map((s) => base + s) : [...STROKE_SUFFIXES.map((s) => base + s), base]
      )
        .map((b) => `${b}.*`)
        .join(', ');
      unpaired.push({
        image,
        code: 'MISSING_STROKES',
        message: `No stroke file for the image "${image}" (looked for ${looked}).`,
      });
    } else if (found.length > 1) {
      unpaired.push({
        image,
        code: 'AMBIGUOUS_PAIR',
        message: `The image "${image}" matches several stroke files (${found.join(', ')}); keep one.`,
      });
    } else if ((claims.get(found[0]) ?? []).length > 1) {
      unpaired.push({
        image,
        strokes: found[0],
        code: 'AMBIGUOUS_PAIR',
        message: `The images ${claims.get(found[0])?.join(' and ')} both pair with the stroke file "${found[0]}"; their outputs would collide. Rename one.`,
      });
    } else {
      pairs.push({ image, strokes: found[0], outputBase: splitName(found[0]).base });
    }
  }
  for (const name of strokes) {
    if (claimed.has(name) || (sameFolder && !hasStrokeSuffix(name))) continue;
    unpaired.push({
      strokes: name,
      code: 'MISSING_IMAGE',
      message: `No image for the stroke file "${name}".`,
    });
  }
  return { pairs, unpaired };
}

/** Lists both folders and pairs their files (see {@link pairFileNames}). */
export async function pairFolders(
  imagesDir: string,
  strokesDir: string,
): Promise<{ pairs: Pair[]; unpaired: Unpaired[] }> {
  const list = async (dir: string, what: string) => {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such folder'
          : code === 'ENOTDIR'
            ? 'it is a file, not a folder'
            : (error as Error).message;
      throw new StrokecutError('UNREADABLE_FILE', `Cannot list the ${what} folder "${dir}": ${reason}.`);
    }
  };
  const [images, strokes] = await Promise.all([list(imagesDir, 'images'), list(strokesDir, 'strokes')]);
  // One folder reached through a symbolic link is still one folder.
  const [imagesId, strokesId] = await Promise.all([fileIdentity(imagesDir), fileIdentity(strokesDir)]);
  return pairFileNames(images, strokes, sameFile(imagesId, strokesId));
}

export function joinPair(
  imagesDir: string,
  strokesDir: string,
  pair: Pair,
): { image: string; strokes: string } {
  return { image: join(imagesDir, pair.image), strokes: join(strokesDir, pair.strokes) };
}
