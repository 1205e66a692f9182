// The netboot folder's texts: the iPXE script with and without netboot.url, the kernel line it
// makes (absolute URLs), the user-data plumbing and the boot test's pinned base.
import { describe, expect, it } from 'vitest';
import { ipxeScript, netbootCmdline, netbootNames, netbootTexts, pinScriptBase } from '../../../src-main/artifacts/netboot-script.js';

/** What iPXE runs after expanding ${name} settings: `set` lines assign, others expand. */
function expand(script: string, settings: Readonly<Record<string, string>> = {}): string[] {
  const values: Record<string, string> = { ...settings };
  const out: string[] = [];
  for (const line of script.split('\n')) {
    const expanded = line.replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
    const set = /^set (\S+) (.*)$/.exec(expanded);
    if (set) values[set[1]!] = set[2]!;
    out.push(expanded);
  }
  return out;
}

const URL = 'http://10.0.2.2:8080/os-netboot/';

describe('netboot script', () => {
  it('with netboot.url: the URL is written in, no self-location; the kernel gets absolute URLs', () => {
    const script = ipxeScript({ name: 'os', url: URL, extra: ' quiet ' });
    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain(`\nset base ${URL}\n`);
    expect(script).not.toContain('cwduri');
    expect(script).toMatch(/\ninitrd \$\{base\}os-initrd\nboot\n$/);
    const kernel = expand(script).find((l) => l.startsWith('kernel '));
    expect(kernel).toBe(
      `kernel ${URL}os-kernel initrd=os-initrd root=live:${URL}os.squashfs rd.live.overlay.overlayfs=1 rd.neednet=1 ip=dhcp rd.cos.disable netboot nodepair.enable config_url=${URL}os-config.yaml console=tty1 console=ttyS0,115200 quiet`,
    );
  });

  it('without netboot.url: ${cwduri} where iPXE has it (2024 on), a message and a way out where it is empty', () => {
    const script = ipxeScript({ name: 'os' });
    expect(script).toContain('\nset base ${cwduri}\niseq x${base} x && goto no-base ||\n');
    // New iPXE: cwduri is the script's folder, with its slash.
    const modern = expand(script, { cwduri: 'http://h/dir/' });
    expect(modern.find((l) => l.startsWith('kernel '))).toContain('root=live:http://h/dir/os.squashfs ');
    // Old iPXE (Debian 12's of 2019): nothing to boot from; the script jumps to its message.
    const lines = script.split('\n');
    const label = lines.indexOf(':no-base');
    expect(label).toBeGreaterThan(lines.indexOf('boot'));
    const message = lines.slice(label + 1).join('\n');
    expect(message).toContain('netboot.url');
    expect(message).toContain('--netboot-url');
    expect(message).toMatch(/prompt --timeout 30000 .* && shell \|\|\nexit 1\n$/);
  });

  it('says nothing old iPXE would read as syntax: no quotes, no word starting with #, no lone ; outside the operators it means', () => {
    for (const script of [ipxeScript({ name: 'os' }), ipxeScript({ name: 'os', url: URL, userData: true })]) {
      for (const line of script.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
        const words = line.split(/\s+/);
        expect(words.filter((w) => w.startsWith('#')), line).toEqual([]);
        expect(words.filter((w) => w === ';'), line).toEqual([]);
        expect(line, line).not.toMatch(/["'`]/);
        if (line.startsWith('echo ')) expect(words[1]!.startsWith('-'), line).toBe(false);
      }
    }
  });

  it('with user-data: the file in the folder and kf.userdata= next to config_url', () => {
    const n = netbootNames('os');
    expect(netbootCmdline(URL, n, { userData: true })).toContain(`config_url=${URL}os-config.yaml kf.userdata=${URL}os-user-data console=tty1`);
    expect(netbootCmdline(URL, n)).not.toContain('kf.userdata');
    const texts = netbootTexts({ name: 'os', cloudConfig: '#cloud-config\nhostname: a', userData: '#cloud-config\nhostname: b', netbootUrl: URL });
    expect(texts.map(([file]) => file)).toEqual(['os.ipxe', 'os-config.yaml', 'os-user-data']);
    expect(texts[1]![1]).toBe('#cloud-config\nhostname: a\n');
    expect(texts[2]![1]).toBe('#cloud-config\nhostname: b\n');
    expect(expand(texts[0]![1]).find((l) => l.startsWith('kernel '))).toContain(`kf.userdata=${URL}os-user-data`);
  });

  it('without user-data: no such file, no kernel argument', () => {
    const texts = netbootTexts({ name: 'os', cloudConfig: '#cloud-config\n' });
    expect(texts.map(([file]) => file)).toEqual(['os.ipxe', 'os-config.yaml']);
    expect(texts[0]![1]).not.toContain('kf.userdata');
  });

  it('the boot test pins the base of any of our scripts, and refuses a script without one', () => {
    const base = 'http://10.0.2.2:41234/';
    for (const script of [ipxeScript({ name: 'os' }), ipxeScript({ name: 'os', url: URL })]) {
      const pinned = pinScriptBase(script, base)!;
      expect(pinned.split('\n').filter((l) => l.startsWith('set base '))).toEqual([`set base ${base}`]);
      expect(expand(pinned).find((l) => l.startsWith('kernel '))).toContain(`root=live:${base}os.squashfs `);
      // Where the script checks for an empty base, the pinned one is never empty.
      expect(expand(pinned).filter((l) => l.startsWith('iseq '))).toEqual(script.includes('iseq') ? [`iseq x${base} x && goto no-base ||`] : []);
    }
    expect(pinScriptBase('#!ipxe\nchain http://x/y\n', base)).toBeUndefined();
  });
});
