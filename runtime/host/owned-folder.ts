/**
 * Private temporary folders (`qmp-ts-*` in the system's temporary directory, mode 0700) that
 * do not outlive their owner for long: each holds a marker file naming the process that made
 * it; an owner killed before it could remove its folder (SIGKILL, a crash) leaves it behind,
 * and the next call to {@link makeOwnedFolder}, in any process of the same user, removes it.
 *
 * Removed is only a folder that this module made and whose owner is certainly gone: a
 * directory (not a link) named `qmp-ts-*`, of this user, holding a regular marker file of
 * this user with the content written here, whose process no longer exists (or is another
 * process with the same pid, or ran before the last boot). A folder of another pid namespace
 * (another container sharing the directory) is left alone, as is anything else.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'qmp-ts-';
const MARKER = '.qmp-ts-owner';
const MAGIC = 'qmp-ts temporary folder';

/** Who made a folder: the pid, and what tells that pid's process apart from a later one. */
interface Owner {
  readonly by: typeof MAGIC;
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (Linux), else null. */
  readonly start: number | null;
  /** `/proc/sys/kernel/random/boot_id` (Linux), else null. */
  readonly boot: string | null;
  /** The pid namespace (`/proc/self/ns/pid`, Linux), else null: pids mean something only inside one. */
  readonly pidns: string | null;
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Field 22 of /proc/PID/stat (the process's start time), or null. */
function startTime(pid: number | 'self'): number | null {
  return readOr(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const field = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return field === undefined ? null : Number(field);
  }, null);
}

let self: Owner | undefined;
function thisProcess(): Owner {
  self ??= {
    by: MAGIC,
    pid: process.pid,
    start: startTime('self'),
    boot: readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null),
    pidns: readOr(() => readlinkSync('/proc/self/ns/pid'), null),
  };
  return self;
}

function isOwner(value: unknown): value is Owner {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';
  const pid = o['pid'];
  const start = o['start'];
  return o['by'] === MAGIC && typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 && (start === null || Number.isSafeInteger(start)) && nullableString(o['boot']) && nullableString(o['pidns']);
}

/** True only when the owner's process is certainly gone. */
function ownerGone(owner: Owner): boolean {
  const me = thisProcess();
  if (owner.boot !== null && me.boot !== null && owner.boot !== me.boot) return true;
  if (owner.pidns !== me.pidns) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // The pid exists; it is another process if it started at another time.
  const start = owner.start === null ? null : startTime(owner.pid);
  return start !== null && start !== owner.start;
}

/** The folder's owner, if the folder is one this module made, of this user. */
function markedOwner(folder: string, uid: number): Owner | undefined {
  const dir = lstatSync(folder);
  if (!dir.isDirectory() || dir.uid !== uid) return undefined;
  const marker = join(folder, MARKER);
  const file = lstatSync(marker, { throwIfNoEntry: false });
  if (file === undefined || !file.isFile() || file.uid !== uid || file.size > 4096) return undefined;
  const owner = readOr(() => JSON.parse(readFileSync(marker, 'utf8')) as unknown, undefined);
  return isOwner(owner) ? owner : undefined;
}

/** Removes the `qmp-ts-*` folders whose owner is gone (see the module comment); returns their paths. Never throws. */
export function removeStaleFolders(parent: string = tmpdir()): string[] {
  const uid = process.getuid?.();
  if (uid === undefined) return [];
  const removed: string[] = [];
  for (const name of readOr(() => readdirSync(parent), [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const folder = join(parent, name);
    const owner = readOr(() => markedOwner(folder, uid), undefined);
    if (owner === undefined || !ownerGone(owner)) continue;
    if (readOr(() => (rmSync(folder, { recursive: true, force: true }), true), false)) removed.push(folder);
  }
  return removed;
}

/**
 * A fresh private folder `qmp-ts-NAME-XXXXXX` (mode 0700) marked as this process's, after
 * removing the folders that dead owners left (see the module comment).
 */
export function makeOwnedFolder(name: string, parent: string = tmpdir()): string {
  removeStaleFolders(parent);
  const folder = mkdtempSync(join(parent, PREFIX + name));
  try {
    writeFileSync(join(folder, MARKER), JSON.stringify(thisProcess()) + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true }); // unmarked, nobody else would remove it
    throw error;
  }
  return folder;
}
