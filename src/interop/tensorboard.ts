/**
 * A run as a TensorBoard event file: TFRecord framing (each record: its
 * length as a little-endian uint64, the masked CRC32C of those 8 bytes, the
 * data, the masked CRC32C of the data) around TensorFlow's Event protobufs —
 * first `file_version: "brain.Event:2"`, then one Event per probe whose
 * Summary holds the scalars: loss, accuracy, each layer's gradient norms,
 * dead and saturated fractions, the first-to-last ratio. Protobuf by
 * protobufjs with TensorFlow's published schema, CRC32C by @aws-crypto/crc32c. Pure.
 */
import { crc32c } from '@aws-crypto/crc32c';
import protobuf from 'protobufjs';
import { concatBytes } from './bytes.js';
import { TENSORBOARD_SCHEMA } from './proto/schemas.js';
import type { RunRecord } from './run-dir.js';

let eventType: protobuf.Type | null = null;

/** TensorFlow's Event message type (built once). */
export function eventProto(): protobuf.Type {
  if (eventType === null) eventType = protobuf.Root.fromJSON(TENSORBOARD_SCHEMA).lookupType('tensorboard.Event');
  return eventType;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant (so a CRC of CRCs is not a CRC). */
export function maskedCrc32c(data: Uint8Array): number {
  const c = crc32c(data) >>> 0;
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** One TFRecord around `data`. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** A scalar to write: its tag and value. */
export interface Scalar {
  readonly tag: string;
  readonly value: number;
}

/** The scalars of each probe of a run, by step (non-finite values left out: TensorBoard's scalars are floats it can plot). */
export function runScalars(run: RunRecord): { step: number; scalars: Scalar[] }[] {
  return run.probes.map((p) => {
    const s: Scalar[] = [];
    const add = (tag: string, v: number | null | undefined): void => {
      if (typeof v === 'number' && Number.isFinite(v)) s.push({ tag, value: v });
    };
    add('loss/probe', p.loss);
    add('loss/train', p.trainLoss);
    add('accuracy/test', p.testAccuracy);
    add('accuracy/train', p.trainAccuracy);
    add('gradient/first_to_last', p.firstToLast);
    add('gradient/global_norm', p.gradNorm);
    for (const l of p.layers) {
      const name = `layer_${String(l.index).padStart(2, '0')}${l.name ? `_${l.name.replace(/[^A-Za-z0-9_.-]/g, '_')}` : ''}`;
      add(`bias_grad_norm/${name}`, l.biasGradNorm);
      add(`weight_grad_norm/${name}`, l.weightGradNorm);
      add(`dead_fraction/${name}`, l.deadFraction);
      add(`saturated_fraction/${name}`, l.saturatedFraction);
    }
    return { step: p.step, scalars: s };
  });
}

/** The event file of `run` (bytes); `wallTime` in seconds since the epoch for each event. */
export function tensorboardEvents(run: RunRecord, wallTime: number): Uint8Array {
  const T = eventProto();
  const encode = (e: Record<string, unknown>): Uint8Array => {
    const err = T.verify(e);
    if (err) throw new Error(`tensorboard: cannot encode an event: ${err}`);
    return tfRecord(T.encode(T.fromObject(e)).finish());
  };
  const records: Uint8Array[] = [encode({ wall_time: wallTime, step: 0, file_version: 'brain.Event:2', source_metadata: { writer: 'gradscope' } })];
  for (const { step, scalars } of runScalars(run)) {
    records.push(encode({ wall_time: wallTime, step, summary: { value: scalars.map((s) => ({ tag: s.tag, simple_value: s.value })) } }));
  }
  return concatBytes(records);
}

/** TensorBoard's file name: it finds event files by the `tfevents` in their names. */
export function eventFileName(wallTime: number, host: string): string {
  return `events.out.tfevents.${Math.floor(wallTime)}.${host.replace(/[^A-Za-z0-9_.-]/g, '_')}.gradscope`;
}
