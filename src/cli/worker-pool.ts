import { Worker } from 'node:worker_threads';

/** A task's failure as it crosses the thread boundary: plain data. */
export interface TaskError {
  /** True for a StrokecutError (bad input), false for a bug or a crash. */
  expected: boolean;
  code: string;
  message: string;
  stack?: string;
}

export type TaskOutcome<R> = { ok: true; value: R } | { ok: false; error: TaskError };

/** Messages between the pool and a worker script (see batch-worker.ts). */
export type ToWorker<T> = { type: 'task'; index: number; task: T } | { type: 'close' };
export type FromWorker<R> = { index: number } & TaskOutcome<R>;

/**
 * Runs `tasks` on up to `jobs` worker threads running `script`, one task per worker at a time,
 * and calls `onOutcome` as each finishes (in completion order). A worker that dies mid-task (an
 * uncaught error, running out of memory) fails that task as unexpected and is replaced, so the
 * other tasks still run. Workers are closed by message when the queue is empty, never terminated
 * mid-task (terminating a thread inside a libvips call can crash the process).
 */
export async function runPool<T, R>(
  script: URL,
  tasks: readonly T[],
  jobs: number,
  onOutcome: (index: number, outcome: TaskOutcome<R>) => void,
): Promise<void> {
  let next = 0;
  const size = Math.max(1, Math.min(jobs, tasks.length));
  if (tasks.length === 0) return;
  await new Promise<void>((resolveAll) => {
    let running = 0;
    const start = () => {
      running++;
      const worker = new Worker(script);
      let current = -1;
      const feed = () => {
        if (next < tasks.length) {
          current = next++;
          worker.postMessage({ type: 'task', index: current, task: tasks[current] } satisfies ToWorker<T>);
        } else {
          current = -1;
          worker.postMessage({ type: 'close' } satisfies ToWorker<T>);
        }
      };
      let crash: Error | undefined;
      worker.on('message', (message: FromWorker<R>) => {
        const { index, ...outcome } = message;
        onOutcome(index, outcome as TaskOutcome<R>);
        feed();
      });
      worker.on('error', (error) => {
        crash = error;
      });
      worker.on('exit', (code) => {
        running--;
        if (current >= 0) {
          const reason = crash
            ? (crash.stack ?? crash.message)
            : `the worker thread exited with code ${code}`;
          onOutcome(current, {
            ok: false,
            error: {
              expected: false,
              code: 'WORKER_CRASHED',
              message: `The worker processing this pair died: ${reason}`,
            },
          });
          if (next < tasks.length) start(); // replace it: the rest of the batch goes on
        }
        if (running === 0) resolveAll();
      });
      feed();
    };
    for (let i = 0; i < size; i++) start();
  });
}
