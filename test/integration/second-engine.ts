// A second Docker engine for the offline and remote-engine tests: its own dockerd (and containerd),
// data root and socket, inside a network namespace that has only loopback, so anything that tries
// the network fails at once instead of reaching a registry. Needs root, dockerd, ip(8).
// Kept between runs (its data root is reused, so a repeat run's imports are fast); `stop` ends the
// daemon and the namespace, `remove` also deletes its data. Each suite names its own engine.
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';

export interface SecondEngine {
  /** unix:///run/kf-engine-NAME/docker.sock: for DOCKER_HOST. */
  readonly host: string;
  readonly socket: string;
  readonly netns: string;
  readonly docker: Docker;
  stop(): Promise<void>;
  /** Stops it and deletes its data root: the next start is a new, empty engine. */
  remove(): Promise<void>;
}

/** Each suite has its own engine (name: lowercase letters), so one suite's images never decide another's outcome. */
function paths(name: string): { readonly root: string; readonly data: string; readonly netns: string } {
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(name)) throw new Error(`engine name ${name}: lowercase letters, digits and -`);
  return { root: `/run/kf-engine-${name}`, data: `/var/lib/kf-engine-${name}`, netns: `kf-${name}` };
}

/** Why a second engine cannot run here, or undefined. */
export function secondEngineMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'a second Docker engine needs root';
  for (const tool of ['dockerd', 'ip', 'nsenter', 'docker']) {
    try {
      execSync(`command -v ${tool}`, { stdio: 'ignore', shell: '/bin/sh' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

async function answers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/** Starts the engine `name` (or finds it running) and waits until it answers (up to 60 s). */
export async function startSecondEngine(name: string): Promise<SecondEngine> {
  const { root: ROOT, data: DATA, netns: NETNS } = paths(name);
  const socket = `${ROOT}/docker.sock`;
  const docker = new Docker({ socketPath: socket });
  const stop = async (): Promise<void> => {
    const pidFile = `${ROOT}/dockerd.pid`;
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
      } catch {
        // already gone
      }
    }
    execSync(`ip netns delete ${NETNS} 2>/dev/null || true`, { shell: '/bin/sh' });
  };
  const remove = async (): Promise<void> => {
    await stop();
    execSync(`rm -rf ${DATA} ${ROOT}`);
  };
  const engine = { host: `unix://${socket}`, socket, netns: NETNS, docker, stop, remove };
  if (existsSync(socket) && (await answers(docker))) return engine;

  mkdirSync(ROOT, { recursive: true });
  mkdirSync(DATA, { recursive: true });
  execSync(`ip netns list | grep -qw ${NETNS} || ip netns add ${NETNS}`, { shell: '/bin/sh' });
  execSync(`ip netns exec ${NETNS} ip link set lo up`);
  const log = openSync(`${ROOT}/dockerd.log`, 'a');
  // No bridge and no iptables: containers of this engine get loopback only (NetworkMode none or
  // host, which is the namespace's loopback): "no network" is a fact of the machine, not a setting.
  // nsenter, not `ip netns exec`: that one mounts a fresh /sys, hiding the cgroup mounts dockerd needs.
  const child = spawn(
    'nsenter',
    [`--net=/run/netns/${NETNS}`, 'dockerd', '--host', `unix://${socket}`, '--data-root', DATA, '--exec-root', `${ROOT}/exec`, '--pidfile', `${ROOT}/dockerd.pid`, '--bridge', 'none', '--iptables=false', '--ip6tables=false'],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  for (let i = 0; i < 600; i++) {
    if (existsSync(socket) && (await answers(docker))) return engine;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = readFileSync(`${ROOT}/dockerd.log`, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`the second dockerd did not start:\n${tail}`);
}
