import { isStrokecutError } from '../core/errors.js';
import { errorLine, oneLine } from './error-line.js';
import type { CliIo } from './output.js';
import { runSegment, SEGMENT_USAGE } from './segment-command.js';
import { packageVersion } from './version.js';

/** Subcommands besides the default (segment one image). Each returns the process exit code. */
const SUBCOMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {};

/** Registers a subcommand (`strokecut NAME …`). */
export function registerSubcommand(
  name: string,
  handler: (argv: string[], io: CliIo) => Promise<number>,
): void {
  SUBCOMMANDS[name] = handler;
}

/** Exit codes: meaningful to scripts, as pixelmatch's are. */
export const EXIT = { OK: 0, UNEXPECTED: 1, BAD_INPUT: 2 } as const;

/**
 * Runs the CLI on `argv` (without the node and script paths) and returns the exit code.
 * Bad usage and bad input print one clear line and return 2; anything else is a bug: 1.
 */
export async function run(rawArgv: string[], io: CliIo): Promise<number> {
  const argv = attachNegativeValues(rawArgv);
  try {
    if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) {
      const sub = SUBCOMMANDS[argv[0]] ? argv[0] : undefined;
      if (sub) return await SUBCOMMANDS[sub](argv.slice(1), io);
      io[argv.length === 0 ? 'stderr' : 'stdout'](SEGMENT_USAGE + subcommandList());
      return argv.length === 0 ? EXIT.BAD_INPUT : EXIT.OK;
    }
    if (argv[0] === '-v' || argv[0] === '--version') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT.OK;
    }
    const handler = SUBCOMMANDS[argv[0]];
    return handler ? await handler(argv.slice(1), io) : await runSegment(argv, io);
  } catch (error) {
    if (isStrokecutError(error)) {
      io.stderr(`strokecut: ${errorLine(error)}\n`);
      return EXIT.BAD_INPUT;
    }
    // node:util parseArgs reports unknown or malformed options with these codes.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`strokecut: ${oneLine((error as Error).message)} See strokecut --help.\n`);
      return EXIT.BAD_INPUT;
    }
    io.stderr(
      `strokecut: unexpected error (please report it): ${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT.UNEXPECTED;
  }
}

function subcommandList(): string {
  const names = Object.keys(SUBCOMMANDS);
  return names.length === 0 ? '' : `\nSubcommands: ${names.join(', ')} (strokecut NAME --help)\n`;
}

/**
 * `-k -5` → `-k-5`, `--seed -1` → `--seed=-1`: node's argument parser takes a value that starts
 * with a dash for an option and refuses it with three lines of its own. Joined to its flag, a
 * negative number reaches the flag's own check, which names the flag and the range it accepts.
 * No command takes a negative number as a file argument, so nothing else changes.
 */
export function attachNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (value !== undefined && /^-(\d|\.\d|inf)/i.test(value) && /^(-[a-zA-Z]|--[a-z][\w-]*)$/.test(flag)) {
      out.push(flag.startsWith('--') ? `${flag}=${value}` : `${flag}${value}`);
      i++;
    } else {
      out.push(flag);
    }
  }
  return out;
}
