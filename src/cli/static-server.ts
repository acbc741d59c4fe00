/**
 * A tiny static file server for the web page's build: GET and HEAD only, files under one folder
 * only, nothing computed. Meant for localhost; the page itself works from any static host.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
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

/**
 * The Content-Security-Policy of every response: the page's own scripts, worker, stylesheet and
 * example only; images also from blob: (a photo the user opens) and data: (the empty favicon);
 * no inline script, no eval, no plug-ins, no framing, no form posts. Inline `style` attributes
 * are refused too (the page sets styles through the CSSOM, which CSP allows).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every response, errors included. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Maps a request path to a file under `root`, or null when it would leave `root` or names a dotfile. */
export function resolveRequestPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Hidden files and folders (.git, .env, the temporaries of atomic writes) are never served.
  if (decoded.split('/').some((segment) => segment.startsWith('.'))) return null;
  const path = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return path === root || path.startsWith(root + sep) ? path : null;
}

/** True when `path` (a real path) is `root` or inside it, with no hidden segment below root. */
function insideRoot(realRoot: string, path: string): boolean {
  if (path === realRoot) return true;
  if (!path.startsWith(realRoot + sep)) return false;
  return !path
    .slice(realRoot.length + 1)
    .split(sep)
    .some((segment) => segment.startsWith('.'));
}

/**
 * The file to send for a request path: symbolic links are resolved and whatever they lead to must
 * still be inside the served folder (a link to / or to a file elsewhere is not served).
 */
async function fileToServe(root: string, realRoot: string, urlPath: string): Promise<string | null> {
  const requested = resolveRequestPath(root, urlPath);
  if (!requested) return null;
  let real = await realpath(requested).catch(() => null);
  if (!real || !insideRoot(realRoot, real)) return null;
  const info = await stat(real).catch(() => null);
  if (info?.isDirectory()) {
    real = await realpath(join(real, 'index.html')).catch(() => null);
    if (!real || !insideRoot(realRoot, real)) return null;
    return (await stat(real).catch(() => null))?.isFile() ? real : null;
  }
  return info?.isFile() ? real : null;
}

/** The host part of a Host header, lowercased, without the port ("[::1]:8765" → "::1"). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(value);
  return plain ? plain[1].replace(/\.$/, '') : null;
}

/**
 * The Host names this server answers to: the address it is bound to, `localhost`, the name it
 * was told to listen on, and — when bound to every interface — this machine's addresses and name.
 * Any other Host is a DNS-rebinding attempt (a web page on another site whose name now points
 * here) and gets 403.
 */
export function allowedHosts(listenHost: string, boundAddress: string): Set<string> {
  const names = new Set<string>(['localhost', listenHost.toLowerCase(), boundAddress.toLowerCase()]);
  const wildcard = boundAddress === '0.0.0.0' || boundAddress === '::';
  if (boundAddress === '127.0.0.1' || boundAddress === '::1' || listenHost === 'localhost') {
    names.add('127.0.0.1');
    names.add('::1');
  }
  if (wildcard) {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) names.add(entry.address.toLowerCase());
    }
  }
  return names;
}

/** Starts serving `root` on host:port (port 0: any free port). Rejects when the port is taken. */
export async function startStaticServer(options: {
  root: string;
  host: string;
  port: number;
}): Promise<StaticServer> {
  const root = resolve(options.root);
  const realRoot = await realpath(root);
  let hosts = new Set<string>();
  const server = createServer(async (request, response) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const host = hostName(request.headers.host);
    if (host === null || !hosts.has(host)) {
      send(403, 'Forbidden: this server answers only to its own address (Host header).\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'Only GET and HEAD are served here.\n', { Allow: 'GET, HEAD' });
      return;
    }
    const path = await fileToServe(root, realRoot, request.url ?? '/');
    if (!path) {
      send(404, 'Not found.\n');
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': body.length,
        // A rebuilt page shows at the next reload.
        'Cache-Control': 'no-cache',
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
      hosts = allowedHosts(options.host, address);
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
