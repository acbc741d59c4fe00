/**
 * A tiny static file server for the web page's build: GET and HEAD only, files under one folder
 * only, nothing computed. Meant for localhost; the page itself works from any static host.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  server: Server;
  /** The address to open, e.g. http://127.0.0.1:8765/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Maps a request path to a file under `root`, or null when it would leave `root`. */
export function resolveRequestPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return path === root || path.startsWith(root + sep) ? path : null;
}

/** Starts serving `root` on host:port (port 0: any free port). Rejects when the port is taken. */
export function startStaticServer(options: {
  root: string;
  host: string;
  port: number;
}): Promise<StaticServer> {
  const root = resolve(options.root);
  const server = createServer(async (request, response) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'Only GET and HEAD are served here.\n', { Allow: 'GET, HEAD' });
      return;
    }
    let path = resolveRequestPath(root, request.url ?? '/');
    if (!path) {
      send(404, 'Not found.\n');
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      response.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': body.length,
        // A rebuilt page shows at the next reload.
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      send(404, 'Not found.\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port, address, family } = server.address() as AddressInfo;
      const host = family === 'IPv6' ? `[${address}]` : address;
      resolvePromise({
        server,
        port,
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
