/**
 * Runs the CLI in this process and prints its peak resident set size, for the speed benchmark:
 *
 *   node dist/bench/rss-probe.js [--baseline] -- CLI ARGS…
 *
 * With --baseline it only loads the CLI's modules (Node, sharp/libvips, strokecut) and reports
 * that: the runtime's baseline, which the memory target is measured above.
 */
import { run } from '../src/cli/run.js';

const argv = process.argv.slice(2);
const baseline = argv[0] === '--baseline';
const separator = argv.indexOf('--');
const cliArgs = separator >= 0 ? argv.slice(separator + 1) : [];
let exitCode = 0;
if (!baseline) {
  exitCode = await run(cliArgs, {
    stdout: () => {},
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: false,
  });
}
// resourceUsage().maxRSS is in kibibytes.
process.stdout.write(`${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, exitCode })}\n`);
process.exitCode = exitCode;
