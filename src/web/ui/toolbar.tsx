/**
 * The playground's playback bar: play/pause, one step, reset, the speed
 * (steps per second, or as fast as possible), the link, and the status line.
 * Both runs of a comparison play, pause and step together.
 */
import type { Lang } from '../../activations/types.js';
import { tr } from '../i18n.js';
import { formatSpeed, SPEEDS } from '../state/view.js';
import type { Speed } from '../worker/protocol.js';
import type { RunGroup } from './run-controller.js';

interface ToolbarProps {
  readonly lang: Lang;
  readonly group: RunGroup | null;
  readonly maxSteps: number;
  readonly speed: Speed;
  readonly hide: ReadonlySet<string>;
  readonly canReset: boolean;
  /** The settings describe no run (the reason is shown above the charts). */
  readonly invalid?: boolean;
  readonly copied: boolean;
  readonly onPlay: () => void;
  readonly onPause: () => void;
  readonly onStep: () => void;
  readonly onReset: () => void;
  readonly onSpeed: (s: Speed) => void;
  readonly onCopy: () => void;
}

/** The playback bar. */
export function Toolbar(p: ToolbarProps) {
  const { lang, group: g } = p;
  const status = p.invalid ? 'invalid' : (g?.status ?? 'building');
  const playing = status === 'playing';
  const canRun = status === 'ready' || status === 'paused';
  const speeds = SPEEDS.includes(p.speed) ? SPEEDS : [...SPEEDS.slice(0, -1), p.speed, null].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  return (
    <div class="toolbar" role="toolbar" aria-label={tr(lang, 'play')}>
      {playing ? (
        <button type="button" class="primary" data-action="pause" onClick={p.onPause}>
          ❚❚ {tr(lang, 'pause')}
        </button>
      ) : (
        <button type="button" class="primary" data-action="play" disabled={!canRun} onClick={p.onPlay}>
          ▶ {tr(lang, 'play')}
        </button>
      )}
      <button type="button" data-action="step" disabled={!canRun} onClick={p.onStep}>
        {tr(lang, 'step')}
      </button>
      <button type="button" data-action="reset" disabled={!p.canReset} onClick={p.onReset}>
        ↺ {tr(lang, 'reset')}
      </button>
      {!p.hide.has('speed') && (
        <label class="speed">
          <span>{tr(lang, 'speedLabel')}</span>
          <select id="set-speed" value={formatSpeed(p.speed)} onChange={(e) => p.onSpeed(speeds.find((s) => formatSpeed(s) === (e.target as HTMLSelectElement).value) ?? null)}>
            {speeds.map((s) => (
              <option key={formatSpeed(s)} value={formatSpeed(s)}>
                {s === null ? tr(lang, 'speedMax') : tr(lang, 'speedN', { n: s })}
              </option>
            ))}
          </select>
        </label>
      )}
      {!p.hide.has('copy') && (
        <button type="button" data-action="copy" onClick={p.onCopy}>
          {tr(lang, p.copied ? 'linkCopied' : 'copyLink')}
        </button>
      )}
      {/* the step counter changes many times a second: not a live region; state changes are announced below */}
      <span class="status" data-status={status} data-step={g?.step ?? 0} data-confirmed={g?.pending ? 'false' : 'true'}>
        {status === 'invalid' ? tr(lang, 'cannotStart') : status === 'loading' ? tr(lang, 'loadingDigits') : status === 'building' ? tr(lang, 'building') : tr(lang, 'stepCount', { n: g?.step ?? 0, m: p.maxSteps })}
        {playing && g && g.stepsPerSecond > 0 ? ` · ${tr(lang, 'speed', { n: Math.round(g.stepsPerSecond) })}` : ''}
      </span>
      <span class="sr-only" aria-live="polite">
        {status === 'playing' ? tr(lang, 'play') : status === 'paused' ? tr(lang, 'pause') : status === 'finished' && g ? tr(lang, 'finished', { n: g.step }) : ''}
      </span>
    </div>
  );
}
