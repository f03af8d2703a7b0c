/**
 * A Chart.js chart owned by a Preact component: created on mount, given new
 * data (and options, when they are a new object) when `config` changes,
 * destroyed on unmount.
 */
import { useEffect, useRef } from 'preact/hooks';
import { schedule, unschedule, watch } from './schedule.js';
import { Chart, decorate, type ChartConfiguration } from './setup.js';

/** Points with a value (not null) over every dataset of `config`. */
function pointCount(config: ChartConfiguration): number {
  let n = 0;
  for (const d of config.data.datasets) for (const p of d.data as unknown[]) if (p !== null && !(typeof p === 'object' && (p as { y?: unknown }).y === null)) n++;
  return n;
}

/** Draws `config` on the canvas behind the returned ref, updating in place when it changes; the canvas's `data-points` says how many points it holds. */
export function useChart(config: ChartConfiguration | null) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    const el = canvas.current;
    if (el) watch(el);
    return () => {
      if (el) unschedule(el);
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const el = canvas.current;
    if (!el || !config) return;
    const c = decorate(config);
    el.dataset.points = String(pointCount(c));
    const live = chart.current;
    if (live && (live.config as ChartConfiguration).type === c.type) {
      // an update waits for its own task (schedule.ts), so input is never stuck behind every chart at once
      schedule(el, () => {
        if (chart.current !== live) return;
        live.data = c.data;
        // live charts keep their options object between updates: re-resolving options is the costly part
        if (live.options !== c.options) live.options = c.options ?? {};
        live.update('none');
      });
    } else {
      unschedule(el);
      watch(el);
      chart.current?.destroy();
      chart.current = new Chart(el, c);
    }
  }, [config]);
  return canvas;
}
