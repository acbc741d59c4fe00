/**
 * Issue #13: `strokecut serve` (the real process) stays in its folder — symbolic links out of it
 * and hidden files are not served — sends its security headers on every response, and answers
 * only to its own Host names (DNS rebinding gets 403).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliPath, tempFolder } from '../testing/fixtures.js';

let work: { dir: string; cleanup: () => Promise<void> };
let child: ChildProcess;
let port: number;

before(async () => {
  work = await tempFolder('serve-security');
  const web = join(work.dir, 'web');
  mkdirSync(join(web, 'sub'), { recursive: true });
  mkdirSync(join(web, '.git'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(web, 'sub', 'a.js'), 'console.log(1);');
  writeFileSync(join(web, '.env'), 'SECRET=1');
  writeFileSync(join(web, '.git', 'config'), 'secret config');
  writeFileSync(join(work.dir, 'outside.txt'), 'outside secret');
  symlinkSync('/', join(web, 'root'));
  symlinkSync('../outside.txt', join(web, 'leak.txt'));
  symlinkSync('sub/a.js', join(web, 'inside.js')); // a link that stays inside is fine
  symlinkSync('.env', join(web, 'env.txt')); // …unless it leads to a hidden file
  child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--dir', web], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise<number>((done, fail) => {
    let text = '';
    child.stdout?.on('data', (chunk) => {
      text += chunk;
      const match = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (match) done(Number(match[1]));
    });
    child.on('close', (code) => fail(new Error(`serve exited (${code}): ${text}`)));
  });
});

after(async () => {
  const closed = new Promise((done) => child.once('close', done));
  child.kill('SIGINT');
  await closed;
  await work.cleanup();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path exactly as given, and any Host header (or none). */
function get(path: string, host: string | null = `127.0.0.1:${port}`, method = 'GET'): Promise<Reply> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = host === null ? {} : { Host: host };
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: host !== null }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('links out of the served folder and hidden files are not served', async () => {
  for (const path of [
    '/root/etc/passwd',
    '/root/etc/shadow',
    '/leak.txt',
    '/.env',
    '/%2eenv',
    '/.git/config',
    '/sub/../.git/config',
    '/env.txt',
  ]) {
    const reply = await get(path);
    assert.equal(reply.status, 404, path);
    assert.doesNotMatch(reply.body, /secret|root:/i, path);
  }
  assert.equal((await get('/inside.js')).body, 'console.log(1);');
  assert.equal((await get('/sub/a.js')).status, 200);
});

test('every response carries the security headers: 200, 404, 405 and 403 alike', async () => {
  const replies = [
    await get('/'),
    await get('/missing'),
    await get('/', undefined, 'POST'),
    await get('/', 'evil.example'),
  ];
  assert.deepEqual(
    replies.map((reply) => reply.status),
    [200, 404, 405, 403],
  );
  for (const reply of replies) {
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.match(
      String(reply.headers['content-security-policy']),
      /^default-src 'none'; script-src 'self';.*frame-ancestors 'none'/,
    );
    assert.equal(reply.headers['x-frame-options'], 'DENY');
    assert.equal(reply.headers['referrer-policy'], 'no-referrer');
  }
  assert.doesNotMatch(String(replies[0].headers['content-security-policy']), /unsafe/);
});

test('only the bound address and localhost are accepted as Host (DNS rebinding gets 403)', async () => {
  for (const host of [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    'localhost',
    `LOCALHOST:${port}`,
    `[::1]:${port}`,
  ]) {
    assert.equal((await get('/', host)).status, 200, host);
  }
  for (const host of [
    `evil.example:${port}`,
    'attacker.test',
    `127.0.0.1.evil.example:${port}`,
    'localhost.evil',
  ]) {
    const reply = await get('/', host);
    assert.equal(reply.status, 403, `Host: ${host}`);
    assert.doesNotMatch(reply.body, /<title>/);
  }
  // Node's HTTP server itself answers an HTTP/1.1 request without Host with 400.
  assert.ok([400, 403].includes((await get('/', null)).status), 'no Host header');
});
