/**
 * The CLI's side of reading a network: the model file and its weight
 * shards through the CLI's readers (errors name the file), and the label
 * a command prints for each weight layer (`layer 3 'fc3' (Gemm)`).
 */
import { loadModel, type FileReader } from '../interop/load.js';
import type { LoadedModel } from '../interop/names.js';
import type { DType } from '../tensor/dtype.js';
import { readBytes } from './io.js';

/** Reads user files for the model loader. */
export const cliReader: FileReader = { bytes: readBytes };

/** Reads the network in `file` (any format gradscope reads). */
export function readModel(file: string, dtype: DType): LoadedModel {
  return loadModel(file, cliReader, dtype);
}
