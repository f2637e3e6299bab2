/**
 * A POSIX ustar archive of regular files and their folders, gzipped: enough for a Splunk app
 * package, without a dependency. Entries are sorted and carry mtime 0, uid/gid 0 and fixed
 * modes, so the same files always give the same bytes (the .tgz can be committed and checked).
 */
import { gzipSync } from "node:zlib";

export interface TarFile {
  /** `/`-separated, relative. */
  readonly path: string;
  readonly content: string | Uint8Array;
}

const BLOCK = 512;

/** The gzipped tar, or the first path ustar cannot hold (over 255 bytes, or no split at `/`). */
export function tgz(files: readonly TarFile[]): { bytes: Buffer } | { error: string } {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/") + "/");
  }
  const entries = [
    ...[...dirs].map((d) => ({ path: d, data: undefined as Buffer | undefined })),
    ...files.map((f) => ({ path: f.path, data: Buffer.from(f.content) })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const header = ustarHeader(e.path, e.data?.length ?? 0, e.data === undefined);
    if (!header) return { error: `path too long for a tar archive: ${e.path}` };
    chunks.push(header);
    if (e.data) {
      chunks.push(e.data);
      const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
      if (pad) chunks.push(Buffer.alloc(pad));
    }
  }
  chunks.push(Buffer.alloc(BLOCK * 2)); // end of archive: two zero blocks
  return { bytes: gzipSync(Buffer.concat(chunks), { level: 9 }) };
}

function ustarHeader(path: string, size: number, dir: boolean): Buffer | undefined {
  const names = splitName(path);
  if (!names) return undefined;
  const h = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, "utf8");
  const octal = (n: number, offset: number, length: number) => put(n.toString(8).padStart(length - 1, "0") + "\0", offset, length);
  put(names.name, 0, 100);
  octal(dir ? 0o755 : 0o644, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(0, 136, 12); // mtime
  put("        ", 148, 8); // checksum field counts as spaces while summing
  put(dir ? "5" : "0", 156, 1);
  put("ustar\u000000", 257, 8);
  put("root", 265, 32);
  put("root", 297, 32);
  put(names.prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return h;
}

/** ustar keeps names over 100 bytes as prefix (≤155) + `/` + name (≤100). */
function splitName(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: "" };
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") return { name, prefix };
  }
  return undefined;
}
