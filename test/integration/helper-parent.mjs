// Stands in for the app in the helper lifecycle tests: starts the flash helper, then is killed or
// told to stop reading. Prints {"helperPid": N} first.
//   node helper-parent.mjs HELPER pipes  the helper's stdin and stdout are pipes to this process:
//                                        our stdin goes to it, its events come out on our stdout
//   node helper-parent.mjs HELPER fds    the helper gets our fds 3 and 4 as stdin and stdout, whose
//                                        other ends the test holds: our death closes nothing of its
// SIGUSR1: stop reading the helper's stdout (close our end of the pipe).
import { spawn } from 'node:child_process';
import process from 'node:process';

const [helper, mode] = process.argv.slice(2);
const child = spawn(process.execPath, [helper, '--watch-pid', String(process.pid)], { stdio: mode === 'fds' ? [3, 4, 'inherit'] : ['pipe', 'pipe', 'inherit'] });
process.stdout.write(`${JSON.stringify({ helperPid: child.pid })}\n`);
if (mode !== 'fds') {
  process.stdin.pipe(child.stdin);
  child.stdout.pipe(process.stdout);
  process.on('SIGUSR1', () => {
    child.stdout.unpipe();
    child.stdout.destroy();
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
