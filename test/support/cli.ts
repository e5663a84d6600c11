import { execFile } from 'node:child_process';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the project's TypeScript scripts as a child process, as an operator would
 * (`tsx <script> ...args`), with extra environment; resolves with its exit code and output
 * whether it succeeded or not, so the test asserts both.
 */
export function runCli(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'node_modules/.bin/tsx',
      [script, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          // An Error, though its type (Omit<ExecException, 'code'> & …) no longer says so.
          const failure: Error = error;
          reject(failure);
        } else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
