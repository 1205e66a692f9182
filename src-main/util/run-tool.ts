// A short system tool (lsblk, umount, xz --list) run to completion, its output returned, never
// throwing on a non-zero exit. Node's own execFile rather than execa: execa costs ~0.1 s to load,
// which every `kairos-factory flash` and every start of the flash helper would pay for tools that
// need neither its cancellation nor its streaming (execa stays for qemu and long-running work).
import { execFile } from 'node:child_process';

export interface ToolResult {
  /** The exit code; undefined when the tool could not start or was killed. */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ToolOptions {
  readonly timeoutMs?: number;
  readonly argv0?: string;
}

export function runTool(command: string, args: ReadonlyArray<string>, options: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      [...args],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}), ...(options.argv0 ? { argv0: options.argv0 } : {}) },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        resolve({ exitCode: code, stdout, stderr: stderr || (error && typeof error.code === 'string' ? error.message : '') });
      },
    );
    child.stdin?.end();
  });
}
