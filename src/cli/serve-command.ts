/**
 * `strokecut serve`: serves the web page (paint strokes in the browser, watch the cut-out follow)
 * on this machine. The page computes everything itself; the server only hands out static files.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StrokecutError } from '../core/errors.js';
import { parseIntegerOption } from './args.js';
import type { CliIo } from './output.js';
import { registerSubcommand } from './run.js';
import { startStaticServer } from './static-server.js';

export const SERVE_DEFAULTS = { port: 8765, host: '127.0.0.1' } as const;

/** The page's build, dist/web: this file runs as dist/src/cli/serve-command.js. */
export const BUILT_WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

export const SERVE_USAGE = `Usage: strokecut serve [options]

Serves the web page on this machine and prints its address: open a photo, paint red strokes
over the foreground and blue over the background, and watch the cut-out follow. Everything
is computed in the browser; export the mask, the cut-out, or the stroke image (which the
command line replays to the same mask).

Options:
  -p, --port N     port to listen on (default ${SERVE_DEFAULTS.port}; 0 picks a free one)
      --host H     address to listen on (default ${SERVE_DEFAULTS.host}: this machine only)
      --dir DIR    serve this build of the page (default: the installed one, dist/web)
  -h, --help       show this help

Stop it with Ctrl+C.
`;

/**
 * Runs the server until SIGINT or SIGTERM. `signal` (tests, embedders) stops it too.
 */
export async function runServe(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    throw new StrokecutError(
      'USAGE',
      `strokecut serve takes no file arguments; found ${positionals.join(', ')}. See strokecut serve --help.`,
    );
  }
  const port =
    values.port === undefined ? SERVE_DEFAULTS.port : parseIntegerOption('--port', values.port, 0, 65535);
  const host = values.host ?? SERVE_DEFAULTS.host;
  const root = values.dir === undefined ? BUILT_WEB_DIR : resolve(io.cwd, values.dir);
  const index = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    throw new StrokecutError(
      'UNREADABLE_FILE',
      values.dir === undefined
        ? `The web page is not built (no ${join(root, 'index.html')}). Build it with npm run build:web, or run npm run web.`
        : `"${values.dir}" holds no index.html: expected a build of the web page (npm run build:web writes one to dist/web).`,
    );
  }

  let server: Awaited<ReturnType<typeof startStaticServer>>;
  try {
    server = await startStaticServer({ root, host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StrokecutError(
        'USAGE',
        `Port ${port} is in use; choose another with --port N (0 picks a free one).`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new StrokecutError(
        'USAGE',
        `Cannot listen on host "${host}": it is not an address of this machine.`,
      );
    }
    if (code === 'EACCES') {
      throw new StrokecutError(
        'USAGE',
        `Not allowed to listen on port ${port}; ports below 1024 need privileges. Try --port 0.`,
      );
    }
    throw error;
  }
  io.stdout(`strokecut: serving the web page at ${server.url} (Ctrl+C to stop)\n`);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr(`strokecut: note: listening on ${host}: other machines that can reach it can open the page.\n`);
  }

  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
  await server.close();
  return 0;
}

registerSubcommand('serve', (argv, io) => runServe(argv, io));
