/**
 * A Chart.js chart owned by a Preact component: created on mount, given new
 * data (and options, when they are a new object) when `config` changes,
 * destroyed on unmount.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Chart, decorate, type ChartConfiguration } from './setup.js';

/** Draws `config` on the canvas behind the returned ref, updating in place when it changes. */
export function useChart(config: ChartConfiguration | null) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const el = canvas.current;
    if (!el || !config) return;
    const c = decorate(config);
    if (chart.current && (chart.current.config as ChartConfiguration).type === c.type) {
      chart.current.data = c.data;
      // live charts keep their options object between updates: re-resolving options is the costly part
      if (chart.current.options !== c.options) chart.current.options = c.options ?? {};
      chart.current.update('none');
    } else {
      chart.current?.destroy();
      chart.current = new Chart(el, c);
    }
  }, [config]);
  return canvas;
}
