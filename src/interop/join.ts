/**
 * Joining two branches of the data into a residual block, for every
 * importer: y = S(x) + F(x) where the branches part at x; one branch (the
 * skip S) must be the identity or a single dense layer (a projection), the
 * other is the block's branch F. Gives the block, or the reason it is none.
 */
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { Dense } from '../nn/dense.js';
import type { Layer, LayerEnv } from '../nn/layer.js';
import { ResidualBlock } from '../nn/residual.js';
import { commonPrefix, cons, layersOf, showShape, type DataVal } from './onnx/values.js';

/** The residual block joining `a` and `b` (and the chain it ends), or the clause saying why they cannot be joined (a message of the catalogue). */
export function joinResidual(a: DataVal, b: DataVal, env: LayerEnv, inputWidth: number): { block: ResidualBlock; out: DataVal; identity: boolean } | Msg {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[1]) return msg('err.join.shapes', { a: showShape(a.shape), b: showShape(b.shape), add: 'Add' });
  const fork = commonPrefix(a.chain, b.chain);
  const pa = layersOf(a.chain, fork);
  const pb = layersOf(b.chain, fork);
  const isSkip = (p: readonly Layer[]): boolean => p.length === 0 || (p.length === 1 && p[0] instanceof Dense);
  const [skip, branch] = isSkip(pa) && pb.length > 0 ? [pa, pb] : isSkip(pb) && pa.length > 0 ? [pb, pa] : [null, null];
  if (skip === null || branch === null) return msg('err.join.branches', { p: String(pa.length), q: String(pb.length), add: 'Add' });
  const width = fork === null ? inputWidth : fork.layer.outSize;
  if (branch[0].inSize !== width) return msg('err.join.width', { n: String(branch[0].inSize), w: String(width) });
  const block = new ResidualBlock(branch, skip.length === 1 ? (skip[0] as Dense) : null, env);
  return { block, out: { kind: 'data', chain: cons(block, fork), shape: a.shape }, identity: skip.length === 0 };
}
