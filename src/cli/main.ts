#!/usr/bin/env node
// Subcommands register themselves when imported.
import './batch-command.js'; // strokecut batch
import './eval-command.js'; // strokecut eval
import './queue-register.js'; // strokecut queue add|status|retry-failed|clean, strokecut worker
import './serve-command.js'; // strokecut serve
import { processIo } from './output.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), processIo);
