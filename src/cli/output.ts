/** Where the CLI writes: injectable so tests and embedders can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTTY?: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Rounds milliseconds for reports: 0.1 ms resolution is all the clock noise allows. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
