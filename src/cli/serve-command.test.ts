import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveRequestPath, startStaticServer } from './static-server.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.js');
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'strokecut-serve-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(join(root, 'main.js'), 'console.log(1);');
  await writeFile(join(root, '..', `${root.split('/').pop()}-secret.txt`), 'secret');
});

after(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(root, '..', `${root.split('/').pop()}-secret.txt`), { force: true });
});

/** A raw HTTP request: unlike fetch, it sends the path exactly as given (no ../ normalisation). */
function get(
  url: string,
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

test('request paths never leave the served folder', () => {
  assert.equal(resolveRequestPath('/srv/web', '/'), '/srv/web');
  assert.equal(resolveRequestPath('/srv/web', '/a/b.js?v=1'), '/srv/web/a/b.js');
  assert.equal(resolveRequestPath('/srv/web', '/a%20b.png'), '/srv/web/a b.png');
  assert.equal(resolveRequestPath('/srv/web', '/../etc/passwd'), null);
  assert.equal(resolveRequestPath('/srv/web', '/%2e%2e/%2e%2e/etc/passwd'), null);
  assert.equal(resolveRequestPath('/srv/web', '/..%2fweb-secret'), null);
  assert.equal(resolveRequestPath('/srv/web', '/x%00.html'), null);
  assert.equal(resolveRequestPath('/srv/web', '/%E0%A4%A'), null);
});

test('the static server serves files with their types, and nothing else', async () => {
  const server = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(server.url, '/');
    assert.equal(index.status, 200);
    assert.equal(index.type, 'text/html; charset=utf-8');
    assert.match(index.body, /<title>page<\/title>/);
    const script = await get(server.url, '/main.js');
    assert.equal(script.type, 'text/javascript; charset=utf-8');
    assert.equal((await get(server.url, '/missing.png')).status, 404);
    const traversal = await get(server.url, `/../${root.split('/').pop()}-secret.txt`);
    assert.equal(traversal.status, 404);
    assert.doesNotMatch(traversal.body, /secret/);
    assert.equal((await get(server.url, '/main.js', 'POST')).status, 405);
    const head = await get(server.url, '/main.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  } finally {
    await server.close();
  }
});

function startCli(args: string[]): {
  child: ChildProcess;
  output: Promise<{ stdout: string; stderr: string; code: number | null }>;
} {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const output = new Promise<{ stdout: string; stderr: string; code: number | null }>((done) => {
    child.on('close', (code) => done({ stdout, stderr, code }));
  });
  return { child, output };
}

async function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    child.stdout?.on('data', (d) => {
      text += d;
      const match = /serving the web page at (http:\/\/\S+) /.exec(text);
      if (match) done(match[1]);
    });
    child.on('close', (code) =>
      fail(new Error(`serve exited (${code}) before printing its address: ${text}`)),
    );
  });
}

test('strokecut serve --port 0 prints the address it serves, and stops cleanly on SIGINT', async () => {
  const { child, output } = startCli(['serve', '--port', '0', '--dir', root]);
  const url = await waitForUrl(child);
  assert.match(url, /^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
  assert.match((await get(url, '/')).body, /<title>page<\/title>/);
  child.kill('SIGINT');
  const { code, stderr } = await output;
  assert.equal(code, 0);
  assert.equal(stderr, '');
});

test('strokecut serve says what is wrong: port taken, bad port, no page to serve', async () => {
  const taken = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  try {
    const busy = await startCli(['serve', '--port', String(taken.port), '--dir', root]).output;
    assert.equal(busy.code, 2);
    assert.match(busy.stderr, new RegExp(`Port ${taken.port} is in use; choose another with --port N`));
  } finally {
    await taken.close();
  }
  const badPort = await startCli(['serve', '--port', '70000', '--dir', root]).output;
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /--port must be an integer from 0 to 65535; found "70000"/);
  const empty = await mkdtemp(join(tmpdir(), 'strokecut-empty-'));
  try {
    const noPage = await startCli(['serve', '--port', '0', '--dir', empty]).output;
    assert.equal(noPage.code, 2);
    assert.match(noPage.stderr, /holds no index\.html: expected a build of the web page/);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
  const help = await startCli(['serve', '--help']).output;
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: strokecut serve/);
});
