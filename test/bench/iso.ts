// ISO benchmark: our build of the example's ISO against the floor, measured in the same run:
// a plain `docker export | (tar -x) | mksquashfs` with the same compressor and block size, and
// one xorriso call, in the same builder image. Prints ours/floor for a cold build (no cache for
// this image) and the time of a rebuild where only the cloud-config changed.
//   npm run bench:iso   (needs Docker and the example image: run `npm test` or a build first)
// Targets: cold <= 1.15 x the floor; cloud-config-only rebuild <= 5 s.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { parseRecipeYaml, recipeToYaml } from '../../src-shared/recipe/parse-recipe.js';
import { SQUASHFS_OPTIONS, cachePaths } from '../../src-main/artifacts/rootfs-cache.js';
import { CACHE_VOLUME } from '../../src-main/builder/builder-session.js';

const REPO = new URL('../..', import.meta.url).pathname;
const RUNS = Number(process.env.KF_BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

const cli = (args: string[]) => execa('node', ['bin/kairos-factory.js', ...args], { cwd: REPO });

async function main(): Promise<void> {
  const docker = new Docker();
  const dir = await mkdtemp(join(tmpdir(), 'kf-isobench-'));
  const parsed = parseRecipeYaml(await readFile(join(REPO, 'examples/debian-bookworm.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error('example recipe invalid');
  const recipe = { ...parsed.recipe, artifacts: ['iso' as const], output: join(dir, 'out') };
  const recipePath = join(dir, 'recipe.yaml');
  await writeFile(recipePath, recipeToYaml(recipe));
  // Kairosify first (not measured: the floor starts from the same image).
  await cli(['build', recipePath]);
  const tag = `kairos-factory/${recipe.name}:${recipe.version}-${recipe.variant}-${recipe.model}-${recipe.arch}`;
  const image = await docker.getImage(tag).inspect();
  const builder = (await docker.listImages({ filters: { reference: ['kairos-factory/builder'] } })).sort((a, b) => b.Created - a.Created)[0]!.RepoTags![0]!;
  const key = cachePaths(image.Id).imageKey;
  const dropCache = () => execa('docker', ['run', '--rm', '-v', `${CACHE_VOLUME}:/cache`, builder, 'sh', '-c', `rm -rf /cache/rootfs/${key} /cache/squashfs/${key}-*`]);

  const ours: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await dropCache();
    await rm(join(dir, 'out'), { recursive: true, force: true });
    ours.push(await timed(() => cli(['build', recipePath])));

    floor.push(
      await timed(async () => {
        const { stdout: cid } = await execa('docker', ['create', image.Id, '/bin/true']);
        try {
          await execa('bash', [
            '-c',
            `set -euo pipefail; docker export ${cid} | docker run --rm -i -v ${dir}:/o ${builder} bash -c '` +
              'mkdir /r && tar -x -C /r && ' +
              `mksquashfs /r /o/floor.squashfs ${SQUASHFS_OPTIONS.join(' ')} -noappend -quiet && ` +
              // /boot/vmlinuz may link relatively or absolutely: resolve it inside /r.
              'k=$(readlink /r/boot/vmlinuz) && case $k in /*) k=/r$k;; *) k=/r/boot/$k;; esac && ' +
              'rm -f /o/floor.iso && ' +
              'xorriso -outdev /o/floor.iso -volid COS_LIVE -map /o/floor.squashfs /rootfs.squashfs -map $k /boot/kernel -map /r/boot/initrd /boot/initrd >/tmp/x.log 2>&1 || { cat /tmp/x.log; exit 1; }; ' +
              "rm /o/floor.squashfs'",
          ]);
        } finally {
          await execa('docker', ['rm', '-f', cid]);
        }
      }),
    );
  }

  // Only the cloud-config changes: everything up to the squashfs is cached.
  const rebuild: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await writeFile(recipePath, recipeToYaml({ ...recipe, cloudConfig: `#cloud-config\nhostname: bench-${i}-${Date.now()}\n` }));
    rebuild.push(await timed(() => cli(['build', recipePath])));
  }

  const ratio = median(ours) / median(floor);
  console.log(`ISO benchmark (${RUNS} runs, medians)`);
  console.log(`  floor: docker export | mksquashfs + xorriso   ${median(floor).toFixed(1)} s`);
  console.log(`  kairos-factory build, cold (no cache)         ${median(ours).toFixed(1)} s   ratio ${ratio.toFixed(3)}  (target <= 1.15) ${ratio <= 1.15 ? 'OK' : 'MISSED'}`);
  console.log(`  rebuild after a cloud-config change           ${median(rebuild).toFixed(1)} s   (target <= 5 s) ${median(rebuild) <= 5 ? 'OK' : 'MISSED'}`);
  await rm(dir, { recursive: true, force: true });
}

await main();
