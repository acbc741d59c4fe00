/**
 * Helpers for the reliability tests (not shipped): the real CLI with an environment, small
 * file systems mounted for a test (a full tmpfs, a read-only bind mount), the pid of a process
 * that is gone, and the "one line" check of messages.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { CliRun } from './fixtures.js';
import { cliPath } from './fixtures.js';

/** Runs the real CLI in `cwd` with extra environment variables. */
export function runCliWith(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Asserts a failed run: exit 2, exactly one line on stderr matching `pattern`. */
export function assertOneLineFailure(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 2, `exit ${run.code}: ${run.stderr}`);
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  assert.equal(lines.length, 1, `expected one line, got:\n${run.stderr}`);
  assert.match(lines[0], /^strokecut: /);
  assert.match(lines[0], pattern);
}

/**
 * Mounts a file system on `dir` for a test: a tmpfs of `kilobytes`, or `dir` bound read-only
 * over itself. Returns undefined with the reason when this machine does not allow it (not root,
 * no mount namespace rights), so the test can say why it skipped.
 */
export function tryMount(
  dir: string,
  kind: { tmpfsKilobytes: number } | { readOnlyBind: true },
): { unmount: () => void } | { skip: string } {
  try {
    if ('tmpfsKilobytes' in kind) {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kind.tmpfsKilobytes}k`, 'tmpfs', dir], {
        stdio: 'pipe',
      });
    } else {
      execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' });
      try {
        execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' });
      } catch (error) {
        execFileSync('umount', [dir], { stdio: 'pipe' });
        throw error;
      }
    }
  } catch (error) {
    const text = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    return { skip: `mount is not allowed here (${text.split('\n')[0] || 'failed'})` };
  }
  return { unmount: () => execFileSync('umount', [dir], { stdio: 'pipe' }) };
}

/** The pid of a process that has exited (for stale temporaries and locks). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise((done) => child.on('close', done));
  return pid;
}

/** Hidden temporaries (`.NAME.PID.HEX.tmp`) in a folder. */
export function temporariesIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^\..*\.tmp$/.test(name));
}
