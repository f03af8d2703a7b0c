/**
 * The playground: presets, the controls, the playback bar and the live
 * views of one run, or of two side by side (`b.KEY=value` in the URL sets
 * the second run apart; both train on the same data from the same seed, in
 * lock step, their charts on shared axes). The settings live in the URL;
 * any change starts new runs from the seed. A CSV of the reader's own 2-D
 * data can be dropped anywhere on it.
 */
import { ValueError } from '../../errors.js';
import { phrase } from '../../i18n/catalogue.js';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import type { SetParams } from '../app.js';
import { onCustomData, specOf } from '../engine/spec.js';
import { tr } from '../i18n.js';
import { compareState, PRESETS, type Preset } from '../state/presets.js';
import type { PlaygroundState, SettingKey } from '../state/settings.js';
import { TOUR } from '../state/tour.js';
import { COMPARE_PREFIX, compareFromParams, compareParams, paramsFromState, SHARED_KEYS, stateFromParams } from '../state/url.js';
import { formatSpeed, viewFlagsFromParams, viewParams } from '../state/view.js';
import type { CustomData, RunSetup, Speed } from '../worker/protocol.js';
import { Controls } from './controls.js';
import { CsvInput, readCsv } from './csv-input.js';
import { RunPanel } from './run-panel.js';
import { gradRange } from './run-charts.js';
import { RunController, type RunGroup } from './run-controller.js';
import { Toolbar } from './toolbar.js';

interface PlaygroundProps {
  readonly lang: Lang;
  readonly params: Readonly<Record<string, string>>;
  readonly setParams: SetParams;
}

/** "2-16×8-2" */
function archText(sizes: readonly number[]): string {
  const hidden = sizes.slice(1, -1);
  const same = hidden.every((h) => h === hidden[0]);
  return same && hidden.length > 1 ? `${sizes[0]}-${hidden[0]}×${hidden.length}-${sizes[sizes.length - 1]}` : sizes.join('-');
}

/** The settings where `b` differs from `a`, as "init = he_normal · depth = 8". */
function differences(a: PlaygroundState, b: PlaygroundState): string {
  return Object.entries(compareParams(a, b))
    .map(([k, v]) => `${k.slice(COMPARE_PREFIX.length)} = ${v === '' ? '—' : v}`)
    .join(' · ');
}

/** Every setting parameter of a preset, its second run's included. */
function presetParams(p: Preset): Record<string, string> {
  const b = compareState(p);
  return { ...paramsFromState(p.state), ...(b ? compareParams(p.state, b) : {}) };
}

/** The playground view. */
export function Playground({ lang, params, setParams }: PlaygroundProps) {
  const key = JSON.stringify(params);
  const { state, invalid } = useMemo(() => stateFromParams(params), [key]);
  const cmp = useMemo(() => compareFromParams(params), [key]);
  const { flags, invalid: badFlags } = useMemo(() => viewFlagsFromParams(params, TOUR.length), [key]);
  const hide = flags.hide;
  const [custom, setCustom] = useState<CustomData | null>(null);
  const [csvError, setCsvError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [editing, setEditing] = useState<'a' | 'b'>('a');
  const [addingB, setAddingB] = useState(false);

  const planned = useMemo((): { runs: RunSetup[]; error: string | null } => {
    try {
      const states = cmp ? [state, cmp.state] : [state];
      return { runs: states.map((s) => ({ spec: custom ? onCustomData(specOf(s), custom) : specOf(s), custom })), error: null };
    } catch (e) {
      // a bad value the engine can say in the reader's language (elu's α ≤ 0), else its English sentence
      return { runs: [], error: e instanceof ValueError && e.said ? phrase(lang, e.said) : e instanceof Error ? e.message : String(e) };
    }
  }, [state, cmp, custom, lang]);
  const planKey = JSON.stringify(planned.runs.map((r) => r.spec)) + (custom ? `|${custom.name}|${custom.labels.length}` : '');

  const controller = useRef<RunController | null>(null);
  const autoplay = useRef(false);
  const lastTour = useRef<number | null>(null);
  const [group, setGroup] = useState<RunGroup | null>(null);
  const [, setVersion] = useState(0);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    const c = new RunController(new URL('data/digits.bin', document.baseURI).href);
    controller.current = c;
    const off = c.subscribe((g) => {
      setVersion((v) => v + 1);
      if (autoplay.current && g.status === 'ready') {
        autoplay.current = false;
        c.play();
      }
    });
    return () => {
      off();
      c.dispose();
      controller.current = null;
    };
  }, []);

  const setup = (): void => {
    const c = controller.current;
    if (!c) return;
    if (planned.runs.length > 0) setGroup(c.setup(planned.runs, flags.speed));
    else {
      // settings that describe no run leave nothing to play: not the last valid run under the new settings
      c.clear();
      setGroup(null);
    }
  };
  useEffect(() => {
    // a new tutorial step plays by itself, as a preset does
    if (flags.tour !== null && flags.tour !== lastTour.current) autoplay.current = true;
    lastTour.current = flags.tour;
    setup();
  }, [planKey]);
  useEffect(() => controller.current?.setSpeed(flags.speed), [flags.speed]);

  /** Writes new settings (and second-run settings) to the URL, keeping the view flags. */
  const write = (a: PlaygroundState, b: Record<string, string>, push = false): void => setParams({ ...paramsFromState(a), ...b, ...viewParams(params) }, push);
  const bOf = (): Record<string, string> => Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith(COMPARE_PREFIX)));
  const changeA = (next: PlaygroundState): void => write(next, bOf());
  const changeB = (next: PlaygroundState): void => write(state, compareParams(state, next));
  const startPreset = (p: PlaygroundState, b: PlaygroundState | null, speed: number | null): void => {
    autoplay.current = true;
    const next = { ...paramsFromState(p), ...(b ? compareParams(p, b) : {}), ...(params.hide ? { hide: params.hide } : {}), ...(speed !== null ? { speed: formatSpeed(speed) } : {}) };
    if (JSON.stringify(next) === key && controller.current?.current) setup(); // same settings: restart from the seed
    else setParams(next, true);
  };
  const setSpeed = (s: Speed): void => setParams({ ...params, speed: formatSpeed(s) });
  const here = JSON.stringify({ ...paramsFromState(state), ...(cmp ? compareParams(state, cmp.state) : {}) });
  const active = PRESETS.find((p) => JSON.stringify(presetParams(p)) === here);
  // after a preset's follow-up, its story stays on screen
  const followed = active ? undefined : PRESETS.find((p) => p.then && JSON.stringify(paramsFromState({ ...p.state, ...p.then.change })) === here);
  const story = active ?? followed;

  const onFile = (f: File): void => {
    void readCsv(f).then((r) => {
      if (r.ok) {
        setCustom(r.data);
        setCsvError(null);
      } else setCsvError(r.error);
    });
  };
  const copyLink = (): void => {
    void navigator.clipboard
      ?.writeText(location.href)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      })
      .catch(() => undefined);
  };

  const g = group;
  const runs = g?.runs ?? [];
  const range = useMemo(() => gradRange(runs), [g, g?.version]);
  const comparing = cmp !== null;
  const showB = comparing || addingB;
  const bState = cmp?.state ?? state;
  const bad = [...invalid, ...(cmp?.invalid ?? []), ...badFlags];
  const shared = new Set<SettingKey>(SHARED_KEYS);
  const lockedA = new Set<SettingKey>(custom ? ['data'] : []);
  const presetButton = (p: Preset) => (
    <button type="button" key={p.id} data-preset={p.id} aria-pressed={active?.id === p.id} onClick={() => startPreset(p.state, compareState(p), p.speed)}>
      {p.title[lang]}
    </button>
  );

  return (
    <div
      class={dragging ? 'playground dragging' : 'playground'}
      onDragOver={(e) => {
        if (hide.has('csv') || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        setDragging(false);
        const f = e.dataTransfer?.files[0];
        if (!f || hide.has('csv')) return;
        e.preventDefault();
        onFile(f);
      }}
    >
      {!hide.has('presets') && (
        <section class="presets" aria-labelledby="presets-title">
          <h2 id="presets-title">{tr(lang, 'presets')}</h2>
          <div class="preset-buttons">{PRESETS.filter((p) => !p.compare).map(presetButton)}</div>
          <div class="preset-buttons compare-presets">
            <span class="dim">{tr(lang, 'sideBySide')}</span>
            {PRESETS.filter((p) => p.compare).map(presetButton)}
          </div>
          <p class="story" aria-live="polite">
            {story ? story.story[lang] : tr(lang, 'presetsHelp')}
          </p>
          {story?.then && (
            <p class="then">
              {followed ? (
                <span class="done">✓ {story.then.label[lang]}</span>
              ) : (
                <button type="button" data-then={story.id} onClick={() => story.then && startPreset({ ...story.state, ...story.then.change }, null, story.speed)}>
                  {story.then.label[lang]} ▶
                </button>
              )}
            </p>
          )}
        </section>
      )}
      {bad.length > 0 && (
        <p class="notice" role="status">
          {tr(lang, 'invalidParams', { keys: bad.join(', ') })}
        </p>
      )}
      <div class={hide.has('controls') ? 'pg-layout no-controls' : 'pg-layout'}>
        {!hide.has('toolbar') && (
          <div class="pg-bar">
            <Toolbar
              lang={lang}
              group={g}
              maxSteps={state.steps}
              speed={flags.speed}
              hide={hide}
              canReset={planned.runs.length > 0}
              invalid={planned.error !== null}
              copied={copied}
              onPlay={() => controller.current?.play()}
              onPause={() => controller.current?.pause()}
              onStep={() => controller.current?.step(1)}
              onReset={setup}
              onSpeed={setSpeed}
              onCopy={copyLink}
            />
            {custom && !hide.has('copy') && <p class="dim copy-note">{tr(lang, 'csvNotInLink')}</p>}
          </div>
        )}
        {!hide.has('controls') && (
          <aside class="pg-controls">
            <div class="run-tabs" role="tablist" aria-label={tr(lang, 'runTabs')}>
              <button type="button" role="tab" aria-selected={editing === 'a' || !showB} data-edit="a" onClick={() => setEditing('a')}>
                {tr(lang, showB ? 'runA' : 'runOnly')}
              </button>
              {showB ? (
                <>
                  <button type="button" role="tab" aria-selected={editing === 'b'} data-edit="b" onClick={() => setEditing('b')}>
                    {tr(lang, 'runB')}
                  </button>
                  <button
                    type="button"
                    class="link"
                    data-action="uncompare"
                    onClick={() => {
                      setAddingB(false);
                      setEditing('a');
                      write(state, {});
                    }}
                  >
                    {tr(lang, 'stopCompare')}
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  class="link"
                  data-action="compare"
                  onClick={() => {
                    setAddingB(true);
                    setEditing('b');
                  }}
                >
                  {tr(lang, 'addCompare')}
                </button>
              )}
            </div>
            {showB && editing === 'b' && <p class="help">{tr(lang, comparing ? 'editingB' : 'addingB')}</p>}
            {showB && editing === 'b' ? (
              <Controls key="b" lang={lang} state={bState} onChange={changeB} hide={hide} locked={shared} lockedWhy={tr(lang, 'sharedSetting')} />
            ) : (
              <Controls
                key="a"
                lang={lang}
                state={state}
                onChange={changeA}
                hide={hide}
                locked={lockedA}
                lockedWhy={tr(lang, 'csvLocks')}
                dataExtra={!hide.has('csv') && <CsvInput lang={lang} custom={custom} error={csvError} onFile={onFile} onClear={() => setCustom(null)} />}
              />
            )}
          </aside>
        )}
        <section class="pg-main" aria-label={tr(lang, 'navPlayground')}>
          {planned.runs[0] && runs[0]?.info && (
            <p class="net-summary">
              {tr(lang, 'network', { sizes: archText(planned.runs[0].spec.arch), params: runs[0].info.parameters.toLocaleString(lang), train: runs[0].info.trainN, test: runs[0].info.testN })}
              {custom && ` · ${custom.name}`}
            </p>
          )}
          {(planned.error || g?.error) && (
            <div class="alert error" role="alert">
              <strong>{tr(lang, 'errorTitle')}</strong>
              {tr(lang, 'colonAfter')}
              {planned.error ?? g?.error}
            </div>
          )}
          <div class={runs.length > 1 ? 'runs two' : 'runs'}>
            {runs.map((h, i) => (
              <RunPanel
                key={i}
                lang={lang}
                h={h}
                status={g?.status ?? 'building'}
                id={i === 0 ? 'a' : 'b'}
                title={runs.length > 1 && differences(state, bState) !== '' ? tr(lang, 'runDiffers', { run: tr(lang, i === 0 ? 'runA' : 'runB'), what: differences(i === 0 ? bState : state, i === 0 ? state : bState) }) : null}
                init={(i === 0 ? state : bState).init}
                range={range}
                hide={hide}
                requestNeurons={(res) => controller.current?.requestNeurons(i, res)}
              />
            ))}
          </div>
        </section>
      </div>
      {dragging && <div class="drop-hint">{tr(lang, 'csvDrop')}</div>}
    </div>
  );
}
