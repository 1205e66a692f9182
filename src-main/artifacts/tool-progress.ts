// Progress lines of the tools the builder runs, read as percentages. Pure, tested on real output.

/** mksquashfs (on a terminal): "[=========/      ] 12345/67890  18%". */
export function mksquashfsPercent(line: string): number | undefined {
  const m = /\]\s+\d+\/\d+\s+(\d{1,3})%\s*$/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/**
 * xorriso 1.5: "xorriso : UPDATE : Writing:      16384s   10.7%   fifo 100%  buf  50%";
 * older and mkisofs-style: "xorriso : UPDATE :  45.67% done, estimate finish ...".
 */
export function xorrisoPercent(line: string): number | undefined {
  const m = /UPDATE\s*:.*?(\d{1,3}(?:\.\d+)?)%(?:\s+fifo| done)/.exec(line);
  return m ? Number(m[1]) : undefined;
}
