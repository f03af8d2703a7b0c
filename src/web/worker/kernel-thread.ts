/**
 * One kernel thread of the training worker: a module worker (so the lab's
 * script policy, which allows workers from its own origin only, lets it run)
 * running the thread program of src/tensor/wasm/threads.ts.
 */
import { threadProgram } from '../../tensor/wasm/threads.js';

/** The parts of a worker's global scope used here. */
interface ThreadScope {
  onmessage: ((e: MessageEvent<Record<string, unknown>>) => void) | null;
}

threadProgram((handler) => {
  (self as unknown as ThreadScope).onmessage = (e) => handler(e.data);
});
