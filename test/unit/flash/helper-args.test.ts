import { describe, expect, it } from 'vitest';
import { helperArgs, parseHelperArgs } from '../../../src-main/flash/helper-args.js';

describe('helper arguments', () => {
  it('round-trip, after a script path or straight after the runtime (-e)', () => {
    const args = helperArgs({ ioDir: 'C:\\Users\\Jane Doe\\Temp\\kf', watchPid: 77 });
    expect(args).toEqual(['--io', 'C:\\Users\\Jane Doe\\Temp\\kf', '--watch-pid', '77']);
    expect(parseHelperArgs(['node', '/app/helper.mjs', ...args])).toEqual({ ioDir: 'C:\\Users\\Jane Doe\\Temp\\kf', watchPid: 77 });
    expect(parseHelperArgs(['/tmp/K.AppImage', '--no-sandbox', '--watch-pid', '77'])).toEqual({ watchPid: 77 });
    expect(parseHelperArgs(['node', '/app/helper.mjs'])).toEqual({});
    expect(helperArgs({})).toEqual([]);
  });

  it('ignores a pid that is not one, and a flag without its value', () => {
    expect(parseHelperArgs(['node', 'h.mjs', '--watch-pid', '0'])).toEqual({});
    expect(parseHelperArgs(['node', 'h.mjs', '--watch-pid', '-1'])).toEqual({});
    expect(parseHelperArgs(['node', 'h.mjs', '--watch-pid', '12abc'])).toEqual({});
    expect(parseHelperArgs(['node', 'h.mjs', '--watch-pid'])).toEqual({});
    expect(parseHelperArgs(['node', 'h.mjs', '--io'])).toEqual({});
  });
});
