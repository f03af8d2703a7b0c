/**
 * Stable identities for sweeps: a run's id is a hash of its resolved config,
 * written as canonical JSON (object keys sorted), so the same settings give
 * the same id on every machine, in every shard, in every order of the keys
 * in the sweep file; a sweep's id is a hash of its runs' ids in order.
 */
import { createHash } from 'node:crypto';
import type { RunSpec } from '../run/schema.js';

/** JSON with every object's keys sorted (arrays keep their order); undefined fields are left out as JSON.stringify does. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
    return sorted;
  });
}

/** First 16 hex digits of SHA-256 of `text`. */
function hash16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The stable id of a run: 16 hex digits of SHA-256 over the canonical JSON of its resolved config. */
export function runIdOf(cfg: RunSpec): string {
  return hash16(`gradscope-run/1\n${canonicalJson(cfg)}`);
}

/** The id of a sweep: 16 hex digits of SHA-256 over its run ids in run order (the order fixes the shards). */
export function sweepIdOf(runIds: readonly string[]): string {
  return hash16(`gradscope-sweep/1\n${runIds.join('\n')}`);
}
