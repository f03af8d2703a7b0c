/**
 * The tutorial's bar: which step of the seed's argument this page is, its
 * one sentence, and the way back and on. Each step is a page of the lab (the
 * explorer or a playground preset), so the bar sits above either view.
 */
import type { Lang } from '../../activations/types.js';
import { tr } from '../i18n.js';
import { TOUR, tourRoute } from '../state/tour.js';
import type { View } from '../state/url.js';

interface TourBarProps {
  readonly lang: Lang;
  /** The step shown, 1-based. */
  readonly n: number;
  /** Parameters carried from step to step (a classroom link's `hide`). */
  readonly keep: Readonly<Record<string, string>>;
  readonly go: (view: View, params: Record<string, string>) => void;
}

/** The bar of step `n`. */
export function TourBar({ lang, n, keep, go }: TourBarProps) {
  const step = TOUR[n - 1];
  if (!step) return null;
  const to = (k: number): void => {
    const r = tourRoute(k, keep);
    go(r.view, r.params);
  };
  return (
    <nav class="tour" aria-label={tr(lang, 'tour')} data-tour-step={n}>
      <span class="tour-count">{tr(lang, 'tourStep', { n, m: TOUR.length })}</span>
      <strong class="tour-title">{step.title[lang]}</strong>
      <p class="tour-text">{step.text[lang]}</p>
      <span class="tour-nav">
        <button type="button" data-tour="prev" disabled={n <= 1} onClick={() => to(n - 1)}>
          ← {tr(lang, 'tourPrev')}
        </button>
        <button type="button" class="primary" data-tour="next" disabled={n >= TOUR.length} onClick={() => to(n + 1)}>
          {tr(lang, 'tourNext')} →
        </button>
      </span>
    </nav>
  );
}
