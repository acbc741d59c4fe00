/** Worker thread of `strokecut batch`: runs processPair on each task the pool posts. */
import { parentPort } from 'node:worker_threads';
import { isStrokecutError } from '../core/errors.js';
import { errorLine } from './error-line.js';
import type { PairJob, PairResult } from './process-pair.js';
import { processPair } from './process-pair.js';
import type { FromWorker, ToWorker } from './worker-pool.js';

const port = parentPort;
if (!port) throw new Error('batch-worker.js runs as a worker thread of strokecut batch');

port.on('message', async (message: ToWorker<PairJob>) => {
  if (message.type === 'close') {
    port.close();
    return;
  }
  let reply: FromWorker<PairResult>;
  try {
    reply = { index: message.index, ok: true, value: await processPair(message.task) };
  } catch (error) {
    reply = {
      index: message.index,
      ok: false,
      error: isStrokecutError(error)
        ? { expected: true, code: error.code, message: errorLine(error) }
        : {
            expected: false,
            code: 'UNEXPECTED',
            message: (error as Error)?.message ?? String(error),
            stack: (error as Error)?.stack,
          },
    };
  }
  port.postMessage(reply);
});
