#!/usr/bin/env node
import './eval-command.js'; // registers `strokecut eval`
import './batch-command.js'; // registers `strokecut batch`
import { processIo } from './output.js';
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), processIo);
