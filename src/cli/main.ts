#!/usr/bin/env node
// Each subcommand is registered by name and its module loaded only when it runs: a segmentation
// (the default command) then loads none of batch, eval and serve, nor the queue's BullMQ and
// ioredis (importing those costs about a second).
import { processIo } from './output.js';
import { registerSubcommand, run } from './run.js';

registerSubcommand('batch', async (argv, io) => (await import('./batch-command.js')).runBatch(argv, io));
registerSubcommand('eval', async (argv, io) => (await import('./eval-command.js')).runEval(argv, io));
registerSubcommand('queue', async (argv, io) => (await import('./queue-command.js')).runQueue(argv, io));
registerSubcommand('worker', async (argv, io) => (await import('./queue-worker.js')).runWorker(argv, io));
registerSubcommand('serve', async (argv, io) => (await import('./serve-command.js')).runServe(argv, io));

process.exitCode = await run(process.argv.slice(2), processIo);
