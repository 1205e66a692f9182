// A tiny builder for readable Dockerfiles: comments, and RUN steps whose shell commands are
// joined one per line with " && \".

export class DockerfileWriter {
  private readonly lines: string[] = [];

  comment(text: string): this {
    for (const line of text.split('\n')) this.lines.push(line === '' ? '#' : `# ${line}`);
    return this;
  }

  blank(): this {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  instruction(text: string): this {
    this.lines.push(text);
    return this;
  }

  /** One RUN step; each command on its own line, stopped at the first failure. */
  run(commands: ReadonlyArray<string>): this {
    const [first, ...rest] = commands;
    if (first === undefined) return this;
    if (rest.length === 0) {
      this.lines.push(`RUN ${first}`);
      return this;
    }
    this.lines.push(`RUN set -e; \\`);
    commands.forEach((cmd, i) => {
      this.lines.push(`    ${cmd}${i < commands.length - 1 ? '; \\' : ''}`);
    });
    return this;
  }

  toString(): string {
    return this.lines.join('\n').replace(/\n+$/, '') + '\n';
  }
}

/** A file written by a RUN step: printf with one quoted argument per line. */
export function writeFileCommand(path: string, content: string, quote: (s: string) => string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return `printf '%s\\n' ${lines.map(quote).join(' ')} > ${quote(path)}`;
}
