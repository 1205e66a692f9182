// Progress lines of the tools the builder runs, read as percentages. Pure, tested on real output.

/** mksquashfs (on a terminal): "[=========/      ] 12345/67890  18%". */
export function mksquashfsPercent(line: string): number | undefined {
  const m = /\]\s+\d+\/\d+\s+(\d{1,3})%\s*$/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** xorriso: "xorriso : UPDATE :  45.67% done, estimate finish Sun Nov 22 ...". */
export function xorrisoPercent(line: string): number | undefined {
  const m = /UPDATE\s*:\s*(\d{1,3}(?:\.\d+)?)% done/.exec(line);
  return m ? Number(m[1]) : undefined;
}
