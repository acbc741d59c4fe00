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

/** A pool fed one task at a time (see {@link createWorkerPool}). */
export interface WorkerPool<T, R> {
  /** Runs `task` on a free thread (waiting for one if all are busy); rejects only after close(). */
  run(task: T): Promise<TaskOutcome<R>>;
  /** Closes the threads once the tasks already given have finished. */
  close(): Promise<void>;
}

/**
 * The same worker protocol as {@link runPool}, for a stream of tasks not known up front (the queue
 * worker gets its jobs from Redis as it goes). Up to `size` threads, started when first needed;
 * one that dies mid-task fails that task as WORKER_CRASHED and is replaced by the next task.
 */
export function createWorkerPool<T, R>(script: URL, size: number): WorkerPool<T, R> {
  interface Slot {
    worker: Worker;
    settle?: (outcome: TaskOutcome<R>) => void;
  }
  const idle: Slot[] = [];
  const waiting: ((slot: Slot) => void)[] = [];
  let started = 0;
  let closing = false;
  let allExited = () => {};
  const exited = new Promise<void>((resolveAll) => {
    allExited = resolveAll;
  });
  const spawn = (): Slot => {
    started++;
    const slot: Slot = { worker: new Worker(script) };
    let crash: Error | undefined;
    slot.worker.on('message', (message: FromWorker<R>) => {
      const { index: _, ...outcome } = message;
      const settle = slot.settle;
      slot.settle = undefined;
      release(slot);
      settle?.(outcome as TaskOutcome<R>);
    });
    slot.worker.on('error', (error) => {
      crash = error;
    });
    slot.worker.on('exit', (code) => {
      started--;
      const index = idle.indexOf(slot);
      if (index >= 0) idle.splice(index, 1);
      const settle = slot.settle;
      slot.settle = undefined;
      const reason = crash ? (crash.stack ?? crash.message) : `the worker thread exited with code ${code}`;
      settle?.({
        ok: false,
        error: {
          expected: false,
          code: 'WORKER_CRASHED',
          message: `The worker processing this pair died: ${reason}`,
        },
      });
      // A task waiting for a thread gets a fresh one in place of the dead.
      if (waiting.length > 0) waiting.shift()?.(spawn());
      else if (closing && started === 0) allExited();
    });
    return slot;
  };
  const release = (slot: Slot) => {
    const next = waiting.shift();
    if (next) next(slot);
    else if (closing) slot.worker.postMessage({ type: 'close' } satisfies ToWorker<T>);
    else idle.push(slot);
  };
  const acquire = (): Promise<Slot> => {
    const slot = idle.pop();
    if (slot) return Promise.resolve(slot);
    if (started < Math.max(1, size)) return Promise.resolve(spawn());
    return new Promise((resolveSlot) => waiting.push(resolveSlot));
  };
  return {
    async run(task) {
      if (closing) throw new Error('the worker pool is closed');
      const slot = await acquire();
      return new Promise<TaskOutcome<R>>((settle) => {
        slot.settle = settle;
        slot.worker.postMessage({ type: 'task', index: 0, task } satisfies ToWorker<T>);
      });
    },
    async close() {
      closing = true;
      for (const slot of idle.splice(0)) slot.worker.postMessage({ type: 'close' } satisfies ToWorker<T>);
      if (started > 0) await exited;
    },
  };
}
