// Pure reading of the classic builder's JSON message stream: which step runs, which were cached,
// the log lines, the image id, and the error with the step that failed.

export type BuildMessage =
  | { readonly type: 'step'; readonly index: number; readonly total: number; readonly instruction: string }
  | { readonly type: 'cached' }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'image-id'; readonly id: string }
  /** The image a step starts from: the parent of the container a RUN step runs in. */
  | { readonly type: 'layer'; readonly id: string }
  | { readonly type: 'pull'; readonly id: string; readonly status: string; readonly current?: number; readonly total?: number }
  | { readonly type: 'error'; readonly message: string };

export interface RawBuildMessage {
  readonly stream?: string;
  readonly status?: string;
  readonly id?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly aux?: { readonly ID?: string };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

// The classic builder colours a RUN's stderr with escape codes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const LAYER = /^ ---> ([0-9a-f]{12})$/;
const NOISE = /^ ---> Running in [0-9a-f]{12}$|^Removing intermediate container [0-9a-f]{12}$/;

/** Splits a stream text chunk into messages; `carry` holds an unfinished last line between chunks. */
export class BuildOutputReader {
  private carry = '';

  read(raw: RawBuildMessage): BuildMessage[] {
    const out: BuildMessage[] = [];
    if (raw.error !== undefined || raw.errorDetail?.message !== undefined) {
      this.flushInto(out);
      out.push({ type: 'error', message: (raw.errorDetail?.message ?? raw.error ?? '').trim() });
      return out;
    }
    if (raw.aux?.ID) out.push({ type: 'image-id', id: raw.aux.ID });
    if (raw.status !== undefined) {
      out.push({
        type: 'pull',
        id: raw.id ?? '',
        status: raw.status,
        ...(raw.progressDetail?.current !== undefined ? { current: raw.progressDetail.current } : {}),
        ...(raw.progressDetail?.total !== undefined ? { total: raw.progressDetail.total } : {}),
      });
    }
    if (raw.stream !== undefined) {
      const text = this.carry + raw.stream;
      const lines = text.split(/\r?\n/);
      this.carry = lines.pop() ?? '';
      for (const line of lines) this.lineInto(line, out);
    }
    return out;
  }

  /** Whatever unfinished line remains at the end of the stream. */
  end(): BuildMessage[] {
    const out: BuildMessage[] = [];
    this.flushInto(out);
    return out;
  }

  private flushInto(out: BuildMessage[]): void {
    if (this.carry !== '') this.lineInto(this.carry, out);
    this.carry = '';
  }

  private lineInto(rawLine: string, out: BuildMessage[]): void {
    // Progress output of tools (apt, dracut) rewrites a line with \r: keep only the last state.
    const line = (rawLine.split('\r').pop() ?? '').replace(ANSI, '');
    const step = STEP.exec(line);
    if (step) {
      out.push({ type: 'step', index: Number(step[1]), total: Number(step[2]), instruction: step[3] ?? '' });
      return;
    }
    if (line === ' ---> Using cache') {
      out.push({ type: 'cached' });
      return;
    }
    const id = /^Successfully built ([0-9a-f]{12,64})$/.exec(line);
    if (id) {
      out.push({ type: 'image-id', id: id[1] ?? '' });
      return;
    }
    const layer = LAYER.exec(line);
    if (layer) {
      out.push({ type: 'layer', id: layer[1] ?? '' });
      return;
    }
    if (NOISE.test(line) || line.trim() === '') return;
    out.push({ type: 'log', line });
  }
}

/** "RUN set -e; apt-get update ..." -> a short label for a step. */
export function describeInstruction(instruction: string, max = 72): string {
  const flat = instruction.replace(/\s*\\\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
