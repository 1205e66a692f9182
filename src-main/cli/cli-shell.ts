// The CLI as a shell of the handler table, like Electron and the web shell: every command is a
// request of the contract through the in-memory transport, and long work is a job whose events
// the progress view prints. The engine is loaded on the first request, not at start.
import type { ApiTransport, RequestName, RequestPayload, Response } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobEvent, JobResult } from '../../src-shared/jobs/job-events.js';
import type { ApiServer } from '../api/handlers.js';
import { ProgressView } from './progress-view.js';

export interface ViewOptions {
  readonly verbose: boolean;
  readonly json: boolean;
}

/** Exit codes: 0 ok, 1 failure, 2 bad usage or input, 130 cancelled (Ctrl-C). */
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

export class CliShell {
  private opened: Promise<{ api: ApiServer; transport: ApiTransport }> | undefined;
  /** Job events that came before anyone followed their job (a job may emit before its id is known). */
  private readonly early: JobEvent[] = [];
  private follower: ((event: JobEvent) => void) | undefined;
  /** `--engine`: set before the first request. */
  engine: string | undefined;

  private open(): Promise<{ api: ApiServer; transport: ApiTransport }> {
    this.opened ??= (async () => {
      const [{ createApiServer }, { memoryTransport }, { defaultDataDir }] = await Promise.all([
        import('../api/handlers.js'),
        import('../api/memory-transport.js'),
        import('../api/data-dir.js'),
      ]);
      const api = createApiServer({ dataDir: defaultDataDir(), shell: 'cli', ...(this.engine !== undefined ? { engine: this.engine } : {}) });
      const transport = memoryTransport(api);
      transport.subscribe('job', (event) => {
        if (this.follower) this.follower(event);
        else if (this.early.length < 10_000) this.early.push(event);
      });
      return { api, transport };
    })();
    return this.opened;
  }

  async request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Response<K>> {
    return (await this.open()).transport.request(name, payload);
  }

  /** Shows a job's events until it ends; Ctrl-C cancels it (a second one quits at once). */
  async follow(jobId: string, options: ViewOptions): Promise<JobResult> {
    const view = new ProgressView(options);
    let interrupts = 0;
    const onSignal = (): void => {
      interrupts++;
      if (interrupts > 1) process.exit(EXIT.cancelled);
      view.print('Cancelling… (Ctrl-C again to quit at once)');
      this.request('job.cancel', { jobId }).catch(() => undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await new Promise<JobResult>((resolve, reject) => {
        const handle = (event: JobEvent): void => {
          if (event.jobId !== jobId) return;
          view.handle(event);
          if (event.kind === 'done') resolve(event.result);
          else if (event.kind === 'error') reject(AppError.fromData(event.error));
        };
        const early = this.early.splice(0);
        this.follower = handle;
        for (const event of early) handle(event);
      });
    } finally {
      this.follower = undefined;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).api.close();
  }
}
