/**
 * Drawing in small tasks, and only what can be seen: every chart and canvas
 * of a page that redraws several times a second queues its redraw here,
 * keyed by its canvas (a newer redraw of the same canvas replaces the queued
 * one), and each runs in its own task, so a click waits for one chart at
 * most, never for all of them. A canvas scrolled out of view is redrawn when
 * it comes back into view, and meanwhile at most every two seconds.
 */

const queue = new Map<Element, () => void>();
/** Redraws of canvases out of view, run when they come into view. */
const hidden = new Map<Element, () => void>();
const visible = new WeakMap<Element, boolean>();
const channel = new MessageChannel();
let posted = false;
/** How often canvases out of view are brought up to date, in ms. */
const HIDDEN_EVERY_MS = 2000;
let hiddenTimer: ReturnType<typeof setTimeout> | null = null;

function flushHidden(): void {
  hiddenTimer = null;
  for (const [canvas, job] of hidden) {
    hidden.delete(canvas);
    queue.set(canvas, job);
  }
  if (queue.size > 0) post();
}

const observer =
  typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
        for (const e of entries) {
          visible.set(e.target, e.isIntersecting);
          const job = hidden.get(e.target);
          if (e.isIntersecting && job) {
            hidden.delete(e.target);
            schedule(e.target, job);
          }
        }
      }, { rootMargin: '200px' })
    : null;

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

/** Starts watching whether `canvas` is in view (once per canvas; its first redraw always runs). */
export function watch(canvas: Element): void {
  if (!observer || visible.has(canvas)) return;
  visible.set(canvas, true);
  observer.observe(canvas);
}

/** Runs `job` in a task of its own, soon, or when `canvas` comes into view; a job already queued for it is replaced. */
export function schedule(canvas: Element, job: () => void): void {
  queue.delete(canvas);
  if (visible.get(canvas) === false) {
    hidden.set(canvas, job);
    hiddenTimer ??= setTimeout(flushHidden, HIDDEN_EVERY_MS);
    return;
  }
  queue.set(canvas, job);
  post();
}

/** Forgets `canvas`: its queued redraw and its watch (it is going away). */
export function unschedule(canvas: Element): void {
  queue.delete(canvas);
  hidden.delete(canvas);
  observer?.unobserve(canvas);
  visible.delete(canvas);
}
