/**
 * One way to talk to the Redis behind a queued sweep, for the sweep and its
 * workers alike: the URL parsed into a target; connection options with a
 * connect timeout, a command timeout and quick reconnects; a start-up check
 * that the server answers within a few seconds, speaks Redis and has the
 * database the URL names (bad URL: an InputError, exit 2); and a health
 * record that tolerates a restart but gives up, with one sentence naming
 * the URL, when the server stays away longer than the queue timeout (lost
 * server: exit 1). Nothing waits on Redis without a deadline.
 */
import { Redis } from 'ioredis';
import { InputError, type Part } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { show } from '../nn/model-file.js';

/** Where Redis is. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** The URL without its password, for messages. */
  readonly display: string;
}

/** How long connecting may take before the server counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 5000;
/** How long one command may take before it fails (not blocking commands, which BullMQ bounds itself). */
export const COMMAND_TIMEOUT_MS = 10_000;
/** How long a sweep or worker waits for a Redis that went away before giving up (--queue-timeout). */
export const DEFAULT_QUEUE_TIMEOUT_S = 60;

/** Parses `redis://[user:password@]host[:port][/db]`; throws an InputError naming the option and the value. */
export function parseRedisUrl(text: string, option = '--queue'): RedisTarget {
  // "--queue must be …; got …" (a clause of what the value must be follows the option without a colon)
  const refuse = (clause: Msg, colon = false): never => {
    const said = msg('err.got', { clause, value: show(text) });
    throw new InputError(`${option}${colon ? ':' : ''} ${phrase('en', said)}`, undefined, [option], said);
  };
  const example = 'redis://127.0.0.1:6379';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return refuse(msg('err.redis.url', { example }));
  }
  if (u.protocol !== 'redis:') refuse(msg('err.redis.scheme', { scheme: 'redis://', other: 'rediss://' }));
  if (u.hostname === '') refuse(msg('err.redis.host', { example }));
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isSafeInteger(db)) refuse(msg('err.redis.db'), true);
  if (u.search !== '' || u.hash !== '') refuse(msg('err.redis.query'));
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const decoded = (part: string, what: Msg): string | undefined => {
    if (part === '') return undefined;
    try {
      return decodeURIComponent(part);
    } catch {
      return refuse(msg('err.redis.encoding', { what }), true);
    }
  };
  return {
    host,
    port,
    db,
    username: decoded(u.username, msg('err.redis.user')),
    password: decoded(u.password, msg('err.redis.password')),
    display: `redis://${u.hostname}:${port}${db > 0 ? `/${db}` : ''}`,
  };
}

/** Connection settings, in the shape both ioredis and BullMQ take. */
export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly connectTimeout: number;
  readonly retryStrategy: (times: number) => number;
  readonly maxRetriesPerRequest: number | null;
  readonly commandTimeout?: number;
}

/**
 * Connection settings for `t`. A blocking connection (a BullMQ worker's) must
 * retry every command forever, so it gets no command timeout; every other
 * connection fails a command after COMMAND_TIMEOUT_MS or two reconnects.
 */
export function connectionOf(t: RedisTarget, blocking = false): ConnectionSettings {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    username: t.username,
    password: t.password,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // reconnect quickly after a restart, at most every 2 s
    retryStrategy: (times: number) => Math.min(250 * times, 2000),
    ...(blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 2, commandTimeout: COMMAND_TIMEOUT_MS }),
  };
}

/** The short reason of a Redis failure: the socket's code (ECONNREFUSED), else what ioredis said, in words. */
export function redisReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code !== undefined) return err.code;
  const m = err.message ?? String(e);
  if (/max retries per request/i.test(m)) return 'no connection';
  if (/command timed out/i.test(m)) return `no answer within ${COMMAND_TIMEOUT_MS / 1000} s`;
  if (/connection is closed/i.test(m)) return 'the connection closed';
  return m;
}

/** Resolves to `p`'s value, or rejects with "timed out" after `ms`. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Checks that Redis answers at `t` within `timeoutMs`, speaks Redis, and has
 * database `t.db`; throws an InputError naming the option, the URL and what
 * failed.
 */
export async function checkRedis(t: RedisTarget, option = '--queue', timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new Redis({ ...connectionOf(t), db: 0, lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // the socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed."
  let cause: Error | null = null;
  client.on('error', (e: Error) => (cause ??= e));
  const where: readonly Part[] = [`${option} ${t.display}`];
  const refuse = (said: Msg): InputError => new InputError([...where, phrase('en', said)].join(': '), undefined, where, said);
  try {
    try {
      await withDeadline(client.connect().then(() => client.ping()), timeoutMs, 'connecting');
    } catch (e) {
      const err = cause ?? (e as Error);
      if (/timed out/.test(err.message)) throw refuse(msg('err.redis.silent', { s: String(Math.round(timeoutMs / 1000)), server: 'redis-server' }));
      throw refuse(msg('err.redis.unreachable', { why: redisReason(err), server: 'redis-server' }));
    }
    if (t.db > 0) {
      try {
        await client.select(t.db);
      } catch (e) {
        throw refuse(msg('err.redis.noDb', { db: String(t.db), why: (e as Error).message, setting: "'databases'" }));
      }
    }
  } finally {
    // disconnecting a client that has already ended keeps the process alive for 2 s more
    if (client.status !== 'end') client.disconnect();
  }
}

/** Redis stayed away longer than the queue timeout: the command ends with exit 1. */
export class RedisLostError extends Error {
  override readonly name = 'RedisLostError';
}

/**
 * Whether Redis is reachable, as the last commands found: a failure starts
 * the clock (and says so once), a success stops it (and says so), and a
 * failure after `timeoutMs` without success throws a RedisLostError.
 */
export class RedisHealth {
  private lostSince: number | null = null;
  private lastReason = '';
  private socketReason: string | null = null;

  /** Health of the Redis at `display`; `log` gets the lost/back sentences. */
  constructor(
    private readonly display: string,
    private readonly timeoutMs: number,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A command succeeded. */
  ok(): void {
    if (this.lostSince !== null) this.log(`the connection to Redis at ${this.display} is back after ${((this.now() - this.lostSince) / 1000).toFixed(0)} s`);
    this.lostSince = null;
    this.socketReason = null;
  }

  /** The socket failed with `e` (ECONNREFUSED, ...): the reason the next failure reports. */
  socketError(e: unknown): void {
    this.socketReason = redisReason(e);
  }

  /** A command failed with `e`; throws a RedisLostError once the failures have lasted longer than the timeout. */
  failed(e: unknown): void {
    const t = this.now();
    this.lastReason = this.socketReason ?? redisReason(e);
    if (this.lostSince === null) {
      this.lostSince = t;
      this.log(`lost the connection to Redis at ${this.display} (${this.lastReason}); waiting up to ${Math.round(this.timeoutMs / 1000)} s for it to come back`);
    }
    if (t - this.lostSince >= this.timeoutMs) throw this.lostError();
  }

  /** Whether the last command failed (Redis is away right now). */
  get lost(): boolean {
    return this.lostSince !== null;
  }

  /** Whether the failures have lasted longer than the timeout. */
  get gaveUp(): boolean {
    return this.lostSince !== null && this.now() - this.lostSince >= this.timeoutMs;
  }

  /** The error that ends the command. */
  lostError(): RedisLostError {
    return new RedisLostError(`--queue ${this.display}: lost the connection to Redis (${this.lastReason}) and it did not come back within ${Math.round(this.timeoutMs / 1000)} s`);
  }
}

/**
 * Pings Redis every `everyMs` on a connection of its own and tells `health`
 * what it found (for a BullMQ worker, whose own connection hides failures);
 * returns a function that stops it.
 */
export function watchRedis(t: RedisTarget, health: RedisHealth, everyMs = 1000): () => void {
  const client = new Redis({ ...connectionOf(t), lazyConnect: true, maxRetriesPerRequest: 0, commandTimeout: Math.max(1000, everyMs) });
  client.on('error', (e: Error) => health.socketError(e));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async (): Promise<void> => {
    try {
      if (client.status === 'wait') await client.connect();
      await client.ping();
      health.ok();
    } catch (e) {
      try {
        health.failed(e);
      } catch {
        // gaveUp says so; the owner reacts at its next check
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    client.disconnect();
  };
}
