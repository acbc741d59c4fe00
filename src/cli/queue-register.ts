/**
 * Registers `strokecut queue` and `strokecut worker`, loading BullMQ and ioredis only when one of
 * them runs: importing them costs about a second, which every other command would otherwise pay.
 */
import { registerSubcommand } from './run.js';

registerSubcommand('queue', async (argv, io) => (await import('./queue-command.js')).runQueue(argv, io));
registerSubcommand('worker', async (argv, io) => (await import('./queue-worker.js')).runWorker(argv, io));
