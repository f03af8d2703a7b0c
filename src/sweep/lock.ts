/**
 * A lock file that keeps two sweeps from appending to one result store. It
 * holds the owner's host and pid and is touched every few seconds; a lock
 * whose owner is a dead process on this host, or that nobody has touched for
 * a minute (an owner killed on another machine sharing the folder), is stale
 * and taken over — so `kill -9` followed by `--resume` just works.
 * Hand-written rather than a lock library: what makes it stale (a pid that
 * is gone *right now*) is what resume-after-kill needs.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import { ioReason } from '../experiments/files.js';

/** A lock untouched for this long is stale whoever holds it. */
export const STALE_MS = 60_000;
const TOUCH_MS = 10_000;

/** A held lock. */
export interface Lock {
  /** Removes the lock file (idempotent). */
  release(): void;
}

interface Owner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o.host === 'string' && typeof o.pid === 'number' && typeof o.since === 'string' ? (o as Owner) : null;
  } catch {
    return null;
  }
}

/** Whether an existing lock may be taken over. */
function isStale(file: string): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return true; // gone in the meantime
  }
  const o = readOwner(file);
  if (o === null) return age > 2000; // a lock being written is younger than that
  if (o.host === hostname() && (o.pid === process.pid || !alive(o.pid))) return true;
  return age > STALE_MS;
}

/** Takes the lock `file` for this process, or throws an InputError naming its holder. */
export function acquireLock(file: string, what: string): Lock {
  const me: Owner = { host: hostname(), pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify(me));
      } catch (e) {
        // a full disk: no half-written lock is left to look like another sweep's
        closeSync(fd);
        rmSync(file, { force: true });
        throw new InputError(`${what}: cannot create the lock ${file} (${ioReason(e)})`);
      }
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (attempt === 0 && isStale(file)) {
        rmSync(file, { force: true });
        continue;
      }
      const o = readOwner(file);
      const who = o ? msg('err.lock.owner', { pid: String(o.pid), host: o.host, since: o.since }) : msg('err.lock.someone');
      const said = msg('err.lock.inUse', { who, file });
      throw new InputError(`${what} ${phrase('en', said)}`, undefined, [what], said);
    }
  }
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // the folder went away or filled up; the sweep reports that itself
    }
  }, TOUCH_MS);
  timer.unref();
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    clearInterval(timer);
    const o = readOwner(file);
    if (o === null || (o.pid === process.pid && o.host === me.host)) rmSync(file, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return { release };
}
