import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrokecutError } from '../core/errors.js';
import type { FileIdentity } from '../io/file-identity.js';
import { fileIdentity, sameFile } from '../io/file-identity.js';

const FLAG: Record<string, string> = {
  mask: '--mask',
  cocoJson: '--mask',
  cutout: '--cutout',
  overlay: '--overlay',
  soft: '--soft',
  matte: '--matte',
};

/**
 * Refuses a run whose output would replace one of its inputs, or two outputs that are one file,
 * comparing real files (symbolic links resolved, device + inode) rather than path strings.
 * `outputs`: absolute paths by kind; `given`: the same as typed, for messages.
 */
export async function assertOutputsApart(
  inputs: { path: string; absolute: string }[],
  outputs: { [key: string]: string | undefined } | object,
  given: { [key: string]: string | undefined },
): Promise<void> {
  const inputIds = await Promise.all(inputs.map((input) => fileIdentity(input.absolute)));
  const seen: { key: string; id: FileIdentity }[] = [];
  for (const [key, absolute] of Object.entries(outputs) as [string, string | undefined][]) {
    if (absolute === undefined) continue;
    const shown = given[key] ?? absolute;
    const id = await fileIdentity(absolute);
    const input = inputIds.findIndex((inputId) => sameFile(id, inputId));
    if (input >= 0) {
      const typed = inputs[input].path;
      throw new StrokecutError(
        'USAGE',
        shown === typed
          ? `The output "${shown}" is one of the inputs; refusing to overwrite it.`
          : `The output "${shown}" is the input "${typed}" (the same file, through a link); refusing to overwrite it.`,
      );
    }
    const twin = seen.find((other) => sameFile(id, other.id));
    if (twin) {
      throw new StrokecutError(
        'USAGE',
        `Two outputs, ${FLAG[twin.key] ?? twin.key} and ${FLAG[key] ?? key}, would both be written to "${shown}".`,
      );
    }
    seen.push({ key, id });
  }
}

/**
 * Batch: refuses output folders that are an input folder or each other, as real folders (a
 * symbolic link to the images folder is the images folder).
 */
export async function assertFoldersApart(
  inputs: { what: string; absolute: string }[],
  outputs: { kind: string; shown: string; absolute: string }[],
): Promise<void> {
  const seen = await Promise.all(
    inputs.map(async (input) => ({ what: input.what, id: await fileIdentity(input.absolute) })),
  );
  for (const output of outputs) {
    const id = await fileIdentity(output.absolute);
    const clash = seen.find((other) => sameFile(id, other.id));
    if (clash) {
      throw new StrokecutError(
        'USAGE',
        `The ${output.kind} folder "${output.shown}" is ${clash.what}; give each output its own folder so nothing is overwritten.`,
      );
    }
    seen.push({ what: `the ${output.kind} folder`, id });
  }
}

/**
 * The output folders of a run over folders (batch, queue add), resolved against `cwd`: each must
 * be a folder (or not exist yet), none an input folder or another output's, as real folders.
 * `given`: the folders as typed, by kind, checked in `order`; `noun`: how the command's outputs are called in messages.
 */
export async function resolveOutputFolders<Kind extends string>(
  cwd: string,
  order: readonly Kind[],
  given: Partial<Record<Kind, string>>,
  inputs: { imagesDir: string; strokesDir: string },
  noun: string,
): Promise<Partial<Record<Kind, string>>> {
  const dirs: Partial<Record<Kind, string>> = {};
  const kinds = order.filter((kind) => given[kind] !== undefined);
  for (const kind of kinds) {
    const dir = given[kind] as string;
    const absolute = resolve(cwd, dir);
    const info = await stat(absolute).catch(() => undefined);
    if (info && !info.isDirectory()) {
      throw new StrokecutError('USAGE', `The ${kind} folder "${dir}" is a file; ${noun} go into folders.`);
    }
    dirs[kind] = absolute;
  }
  await assertFoldersApart(
    [
      { what: 'the images folder', absolute: inputs.imagesDir },
      { what: 'the strokes folder', absolute: inputs.strokesDir },
    ],
    kinds.map((kind) => ({ kind, shown: given[kind] as string, absolute: dirs[kind] as string })),
  );
  return dirs;
}
