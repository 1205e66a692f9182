// The checksum of written data for the read-back: XXH64 (xxhash-wasm, ~4 GB/s here, five times
// SHA-256), as Etcher uses XXH3: it finds any corruption a drive can cause, and keeps the verify
// bound by the drive, not the CPU. SHA-256 stays for what bmap files specify.
import xxhash from 'xxhash-wasm';

export type Hasher = (data: Uint8Array) => string;

let loading: Promise<Hasher> | undefined;

export function fastHasher(): Promise<Hasher> {
  loading ??= xxhash().then(({ h64Raw }) => (data: Uint8Array) => h64Raw(data).toString(16));
  return loading;
}
