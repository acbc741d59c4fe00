#!/usr/bin/env node
import { processIo } from './output.js';
import { run } from './run.js';
// Subcommands register themselves when imported.
import './serve-command.js';

process.exitCode = await run(process.argv.slice(2), processIo);
