// The plain image's cloud-init settings and the user-data we translate for it pass the schema of
// the cloud-init the image ships: a schema error is printed on every boot's console as "Invalid
// cloud-config provided", which tells a user their recipe is broken when it is not.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { skipReason } from './support.js';

const env = inject('integration');
const IMAGE = 'kairos-factory/debian-bookworm:v0.1.0-core-generic-amd64';

/** `cloud-init schema` on a file, inside the built image. */
async function schema(text: string): Promise<{ exitCode: number | undefined; all: string }> {
  const result = await execa('docker', ['run', '--rm', '-i', '--entrypoint', 'sh', IMAGE, '-c', 'cat > /tmp/c.yaml && cloud-init schema -c /tmp/c.yaml --annotate'], { input: text, reject: false, all: true });
  return { exitCode: result.exitCode, all: result.all };
}

describe.skipIf(skipReason(env, 'docker') !== undefined)('cloud-init settings of the plain image', () => {
  it('the image\'s own settings file passes cloud-init\'s schema', async () => {
    const settings = await execa('docker', ['run', '--rm', '--entrypoint', 'cat', IMAGE, '/etc/cloud/cloud.cfg.d/90-kairos-factory.cfg']);
    expect(settings.stdout).toContain('datasource_list: [ NoCloud, None ]');
    const result = await schema(settings.stdout);
    expect(result.all).toContain('Valid cloud-config');
    expect(result.exitCode).toBe(0);
  });

  it('the example recipe\'s user-data, once its template is rendered, passes the schema', async () => {
    const userData = await readFile(join(env.outputDir, 'debian-bookworm-netboot', 'debian-bookworm-user-data'), 'utf8');
    expect(userData.split('\n')[0]).toBe('## template: jinja');
    // cloud-init renders the Jinja header before it validates; do the same with an instance id.
    const rendered = userData.split('\n').slice(1).join('\n').replace(/\{\{ v1\.instance_id\[:4\] \}\}/g, 'ab12');
    const result = await schema(rendered);
    expect(result.all).toContain('Valid cloud-config');
    expect(result.exitCode).toBe(0);
  });

  it('systemd waits 300 s for devices (the serial console\'s included)', async () => {
    const conf = await execa('docker', ['run', '--rm', '--entrypoint', 'cat', IMAGE, '/etc/systemd/system.conf.d/10-kairos-factory.conf']);
    expect(conf.stdout).toContain('DefaultDeviceTimeoutSec=300');
  });
});
