/**
 * Drawing in small tasks: every chart and canvas of a page that redraws
 * several times a second queues its redraw here, keyed by what it draws (a
 * newer redraw of the same thing replaces the queued one), and each runs in
 * its own task. A click or key press then waits for one chart at most, never
 * for all of them (the pause button stays quick on a busy page).
 */

const queue = new Map<object, () => void>();
const channel = new MessageChannel();
let posted = false;

function runOne(): void {
  posted = false;
  const next = queue.entries().next();
  if (next.done) return;
  const [key, job] = next.value;
  queue.delete(key);
  if (queue.size > 0) post();
  job();
}

function post(): void {
  if (posted) return;
  posted = true;
  channel.port2.postMessage(0);
}

channel.port1.onmessage = runOne;

/** Runs `job` in a task of its own, soon; a job already queued under `key` is replaced. */
export function schedule(key: object, job: () => void): void {
  queue.delete(key);
  queue.set(key, job);
  post();
}

/** Forgets the job queued under `key` (its canvas is going away). */
export function unschedule(key: object): void {
  queue.delete(key);
}
