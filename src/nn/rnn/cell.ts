/**
 * The catalogue of recurrent cells: one constructor per name, so the CLI,
 * configs and the study build cells the same way.
 */
import { ValueError } from '../../errors.js';
import type { Rng } from '../../tensor/rng.js';
import type { CellBase } from './base.js';
import { GruCell } from './gru.js';
import { LstmCell } from './lstm.js';
import { RnnCell } from './rnn-cell.js';
import { CELL_KINDS, type CellKind, type CellOptions } from './types.js';

/** Checks a cell name; throws a sentence naming the value otherwise. */
export function parseCellKind(name: string, where = 'cell'): CellKind {
  if ((CELL_KINDS as readonly string[]).includes(name)) return name as CellKind;
  throw new ValueError(name, `${where} must be one of ${CELL_KINDS.join(', ')}; got '${name}'`, true);
}

/** Builds the cell `o.kind` with parameters drawn from `rng`. */
export function createCell(o: CellOptions, rng: Rng): CellBase {
  switch (o.kind) {
    case 'rnn':
      return new RnnCell(o, rng);
    case 'lstm':
      return new LstmCell(o, rng);
    case 'gru':
      return new GruCell(o, rng);
    default:
      throw new RangeError(`unknown cell '${String(o.kind)}'; expected one of ${CELL_KINDS.join(', ')}`);
  }
}
