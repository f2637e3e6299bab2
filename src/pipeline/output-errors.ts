/**
 * Why rulecast could not write (or, for `--check`, read) its output: each is one line naming the
 * file, and the CLI exits 2. They are the environment's problems (a full disk, a link planted in
 * the output folder, another run holding it), not a rule's.
 */

/** Every problem with the output folder; the CLI prints its message as one line. */
export class OutputError extends Error {}

/** A file could not be written (full disk, read-only folder, a file where a folder should be). */
export class OutputWriteError extends OutputError {
  constructor(readonly path: string, cause: unknown, verb: "write" | "remove" = "write") {
    super(`cannot ${verb} ${printablePath(path)}: ${whyFailed(cause)}`);
  }
}

/** `--check` could not read an output file (permissions, something other than a file there). */
export class OutputReadError extends OutputError {
  constructor(readonly path: string, cause: unknown) {
    super(`cannot read ${printablePath(path)}: ${whyFailed(cause)}`);
  }
}

/** Inside `--out` no link is followed: a planted link would send writes, reads or deletions elsewhere. */
export class OutputLinkError extends OutputError {
  constructor(readonly path: string) {
    super(`refusing to follow the symbolic link ${printablePath(path)}: inside the output folder rulecast follows no links (only the folder itself may be one); remove it`);
  }
}

/** What stands at a path, in words, when it is not what rulecast needs there. */
export const NOT_A_FILE = "something other than a regular file stands there";

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "the file is larger than the system allows",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a file stands where a folder is needed",
  EEXIST: "a file stands where a folder is needed",
  EISDIR: "a folder stands where the file should be",
  ENAMETOOLONG: "the name is too long for the file system",
  ENOENT: "no such file or folder",
  ELOOP: "it is a symbolic link (not followed)",
  EIO: "input/output error",
  EMFILE: "too many open files",
  EBUSY: "the file is busy",
};

/** `ENOSPC` → `no space left on the device`; a message for anything else. */
export function whyFailed(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") return WHY[code] ?? code;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * A file-system error on a named path that no command turned into its own message (a folder
 * given where a file is read, a file where a folder is listed): one line naming the path, or
 * undefined when the error names none.
 */
export function describeFsError(e: unknown): string | undefined {
  const { code, path, syscall } = (e ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== "string" || typeof path !== "string" || typeof syscall !== "string") return undefined;
  const verb = WRITE_SYSCALLS.has(syscall) ? "write" : syscall === "open" ? "open" : "read";
  return `cannot ${verb} ${printablePath(path)}: ${whyFailed(e)}`;
}

const WRITE_SYSCALLS = new Set(["write", "mkdir", "rename", "unlink", "rmdir", "link", "symlink", "copyfile", "chmod", "ftruncate", "fsync"]);

/** A path on one line: control characters (a name can hold a newline) are shown escaped. */
export function printablePath(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
