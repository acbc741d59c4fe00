#!/usr/bin/env node
// Subcommands register themselves when imported.
import './batch-command.js'; // strokecut batch
import './eval-command.js'; // strokecut eval
import './serve-command.js'; // strokecut serve
import { processIo } from './output.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), processIo);
