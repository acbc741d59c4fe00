import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempFolder } from '../testing/fixtures.js';
import type { TaskOutcome } from './worker-pool.js';
import { createWorkerPool, runPool } from './worker-pool.js';

/** A worker that squares numbers, throws on 13 and dies outright (the thread exits) on 666. */
const SCRIPT = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (message) => {
  if (message.type === 'close') return parentPort.close();
  const n = message.task;
  if (n === 666) process.exit(7);
  if (n === 13) return parentPort.postMessage({ index: message.index, ok: false, error: { expected: true, code: 'UNLUCKY', message: 'thirteen' } });
  parentPort.postMessage({ index: message.index, ok: true, value: n * n });
});
`;

test('the pool runs every task once, reports failures, and replaces a worker that dies mid-task', async () => {
  const { dir, cleanup } = await tempFolder('pool');
  try {
    const script = join(dir, 'worker.mjs');
    await writeFile(script, SCRIPT);
    const tasks = [1, 2, 666, 3, 13, 4, 5, 6, 666, 7];
    for (const jobs of [1, 2, 3]) {
      const outcomes = new Map<number, TaskOutcome<number>>();
      await runPool<number, number>(pathToFileURL(script), tasks, jobs, (index, outcome) => {
        assert.ok(!outcomes.has(index), `task ${index} reported twice`);
        outcomes.set(index, outcome);
      });
      assert.equal(outcomes.size, tasks.length, `jobs ${jobs}`);
      tasks.forEach((n, index) => {
        const outcome = outcomes.get(index);
        if (n === 666) {
          assert.ok(
            outcome && !outcome.ok && !outcome.error.expected && outcome.error.code === 'WORKER_CRASHED',
          );
          assert.match(outcome.error.message, /exited with code 7/);
        } else if (n === 13) assert.ok(outcome && !outcome.ok && outcome.error.code === 'UNLUCKY');
        else assert.deepEqual(outcome, { ok: true, value: n * n });
      });
    }
    await runPool(pathToFileURL(script), [], 2, () => assert.fail('no tasks, no outcomes'));
  } finally {
    await cleanup();
  }
});

test('a pool fed one task at a time: every task settles once, a dead thread is replaced, close waits', async () => {
  const { dir, cleanup } = await tempFolder('pool-stream');
  try {
    const script = join(dir, 'worker.mjs');
    await writeFile(script, SCRIPT);
    const pool = createWorkerPool<number, number>(pathToFileURL(script), 2);
    const tasks = [1, 666, 2, 13, 3, 666, 4, 5];
    const outcomes = await Promise.all(tasks.map((n) => pool.run(n)));
    tasks.forEach((n, index) => {
      const outcome = outcomes[index];
      if (n === 666) assert.ok(!outcome.ok && outcome.error.code === 'WORKER_CRASHED');
      else if (n === 13) assert.ok(!outcome.ok && outcome.error.code === 'UNLUCKY');
      else assert.deepEqual(outcome, { ok: true, value: n * n });
    });
    // Tasks given before close() still finish; none after.
    const late = pool.run(9);
    await pool.close();
    assert.deepEqual(await late, { ok: true, value: 81 });
    await assert.rejects(pool.run(1), /closed/);
  } finally {
    await cleanup();
  }
});
