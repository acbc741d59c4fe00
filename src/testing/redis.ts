/**
 * A private redis-server for tests and benchmarks: a free loopback port, a temporary folder, no
 * persistence; stopped by the returned function. Never a server the caller did not start.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 just now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'strokecut-redis-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    const ready = await new Promise<boolean>((resolveReady, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk;
        if (log.includes('Ready to accept connections')) resolveReady(true);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (error) =>
        reject(new Error(`Cannot start redis-server (apt-get install redis-server): ${error.message}`)),
      );
      child.on('exit', () => resolveReady(false));
    });
    if (!ready) {
      // Someone took the port between our pick and the server's bind: pick again.
      if (attempt < 3 && /Address already in use/.test(log)) continue;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start:\n${log}`);
    }
    child.stdout.removeAllListeners('data');
    child.stderr.removeAllListeners('data');
    child.stdout.resume();
    child.stderr.resume();
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
