/**
 * The playground's controls, generated from the settings table: each entry
 * becomes a labelled control of its kind, grouped as the table says. A new
 * entry in SETTINGS appears here without a change to this file.
 */
import type { ComponentChildren } from 'preact';
import { getActivation } from '../../activations/catalogue.js';
import type { Lang } from '../../activations/types.js';
import { textOf, tr } from '../i18n.js';
import {
  formatNumber,
  layerActivations,
  paramsInUse,
  SETTING_KEYS,
  SETTINGS,
  settingOf,
  type Control,
  type PlaygroundState,
  type SettingGroup,
  type SettingKey,
} from '../state/settings.js';
import { fmtNum } from '../verdict-text.js';
import { ParamInput } from './param-input.js';

/** Typical values offered by the logarithmic settings (the current value is always offered too). */
const LOG_STEPS: readonly number[] = [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 30, 100, 1000];

const GROUPS: readonly { readonly id: SettingGroup; readonly key: 'groupData' | 'groupNetwork' | 'groupTraining' | 'groupRemedies' }[] = [
  { id: 'data', key: 'groupData' },
  { id: 'network', key: 'groupNetwork' },
  { id: 'training', key: 'groupTraining' },
  { id: 'remedies', key: 'groupRemedies' },
];

interface ControlsProps {
  readonly lang: Lang;
  readonly state: PlaygroundState;
  readonly onChange: (next: PlaygroundState) => void;
  /** URL keys of settings not shown (a classroom link's `hide`). */
  readonly hide: ReadonlySet<string>;
  /** Settings shown but not editable here (a comparison's shared settings), with the reason. */
  readonly locked: ReadonlySet<SettingKey>;
  readonly lockedWhy: string;
  /** Shown at the end of the data group (the reader's own data). */
  readonly dataExtra?: ComponentChildren;
}

/** Every setting, grouped, as labelled controls. */
export function Controls({ lang, state, onChange, hide, locked, lockedWhy, dataExtra }: ControlsProps) {
  // choosing the activation sets it for every layer: the per-layer choices made before are dropped
  const set = <K extends SettingKey>(key: K, value: PlaygroundState[K]): void => onChange({ ...state, [key]: value, ...(key === 'act' ? { acts: [] } : {}) });
  return (
    <form class="controls" onSubmit={(e) => e.preventDefault()} aria-label={tr(lang, 'navPlayground')}>
      {GROUPS.map((g) => (
        <fieldset key={g.id} class={`group group-${g.id}`}>
          <legend>{tr(lang, g.key)}</legend>
          {g.id === 'remedies' && <p class="help">{tr(lang, 'remediesHelp')}</p>}
          {SETTING_KEYS.filter((k) => SETTINGS[k].group === g.id && !hide.has(SETTINGS[k].key)).map((k) => (
            <fieldset key={k} class="setting" disabled={locked.has(k)} title={locked.has(k) ? lockedWhy : undefined}>
              <SettingControl lang={lang} k={k} state={state} set={set} />
            </fieldset>
          ))}
          {g.id === 'data' && dataExtra}
          {g.id === 'training' && (
            <p class="help rule" data-stop-rule>
              {state.tol > 0 ? tr(lang, 'stopRule', { steps: state.steps, tol: fmtNum(state.tol) }) : tr(lang, 'stopRuleSteps', { steps: state.steps })}
            </p>
          )}
        </fieldset>
      ))}
    </form>
  );
}

function SettingControl({ lang, k, state, set }: { lang: Lang; k: SettingKey; state: PlaygroundState; set: <K extends SettingKey>(key: K, value: PlaygroundState[K]) => void }) {
  const s = SETTINGS[k];
  const generic = settingOf(k);
  const id = `set-${s.key}`;
  const label = textOf(lang, s.label);
  const help = textOf(lang, s.help);
  const c: Control = s.control;
  const value = state[k];
  const setRaw = (raw: string): void => {
    const v = generic.parse(raw);
    if (v !== null) set(k, v as PlaygroundState[typeof k]);
  };
  switch (c.kind) {
    case 'select': {
      const current = generic.format(value);
      const choices = c.choices.some((ch) => ch.value === current) ? c.choices : [...c.choices, { value: current, label: current }];
      return (
        <div class="field">
          <label for={id}>{label}</label>
          <select id={id} name={s.key} value={current} title={help} aria-describedby={`${id}-help`} onChange={(e) => setRaw((e.target as HTMLSelectElement).value)}>
            {choices.map((ch) => (
              <option key={ch.value} value={ch.value}>
                {textOf(lang, ch.label)}
              </option>
            ))}
          </select>
          <span id={`${id}-help`} class="sr-only">{help}</span>
        </div>
      );
    }
    case 'int': {
      const v = value as number;
      if (c.max <= 64) {
        return (
          <div class="field">
            <label for={id}>
              {label} <output for={id}>{v}</output>
            </label>
            <input id={id} name={s.key} type="range" min={c.min} max={c.max} step={1} value={v} title={help} aria-describedby={`${id}-help`} onChange={(e) => setRaw((e.target as HTMLInputElement).value)} />
            <span id={`${id}-help`} class="sr-only">{help}</span>
          </div>
        );
      }
      return (
        <div class="field">
          <label for={id}>{label}</label>
          <input id={id} name={s.key} type="number" min={c.min} max={c.max} step={1} value={v} title={help} aria-describedby={`${id}-help`} onChange={(e) => setRaw((e.target as HTMLInputElement).value)} />
          <span id={`${id}-help`} class="sr-only">{help}</span>
        </div>
      );
    }
    case 'log': {
      const v = value as number;
      const steps = LOG_STEPS.filter((x) => x >= c.min && x <= c.max);
      const options = [...(c.off ? [0] : []), ...new Set([...steps, ...(v > 0 ? [v] : [])])].sort((a, b) => a - b);
      return (
        <div class="field">
          <label for={id}>{label}</label>
          <select id={id} name={s.key} value={formatNumber(v)} title={help} aria-describedby={`${id}-help`} onChange={(e) => setRaw((e.target as HTMLSelectElement).value)}>
            {options.map((x) => (
              <option key={x} value={formatNumber(x)}>
                {x === 0 ? tr(lang, 'off') : fmtNum(x)}
              </option>
            ))}
          </select>
          <span id={`${id}-help`} class="sr-only">{help}</span>
        </div>
      );
    }
    case 'bool':
      return (
        <div class="field check">
          <label>
            <input type="checkbox" id={id} name={s.key} checked={value as boolean} aria-describedby={`${id}-help`} onChange={(e) => set(k, (e.target as HTMLInputElement).checked as PlaygroundState[typeof k])} /> {label}
          </label>
          <span id={`${id}-help`} class="sr-only">{help}</span>
        </div>
      );
    case 'layers': {
      const acts = layerActivations(state);
      const perLayer = state.acts.length > 0;
      const ctl = SETTINGS.act.control;
      const choices = ctl.kind === 'select' ? ctl.choices : [];
      return (
        <details class="field layers" open={perLayer}>
          <summary>{tr(lang, 'perLayer')}</summary>
          <div class="layer-grid">
            {acts.map((a, l) => (
              <div key={l} class="layer-act">
                <label for={`${id}-${l + 1}`}>{tr(lang, 'layerN', { n: l + 1 })}</label>
                <select
                  id={`${id}-${l + 1}`}
                  value={a}
                  onChange={(e) => {
                    const next = [...acts];
                    next[l] = (e.target as HTMLSelectElement).value;
                    set('acts', next.every((x) => x === state.act) ? [] : next);
                  }}
                >
                  {choices.map((ch) => (
                    <option key={ch.value} value={ch.value}>
                      {textOf(lang, ch.label)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </details>
      );
    }
    case 'params': {
      const inUse = paramsInUse(state);
      if (inUse.length === 0) return null;
      const ap = state.ap;
      return (
        <div class="field params">
          <span class="label">{label}</span>
          {inUse.map(({ name, activations }) => {
            const spec = getActivation(activations[0]).params.find((p) => p.name === name);
            if (!spec) return null;
            const v = ap[name] ?? spec.default;
            const pid = `${id}-${name}`;
            return (
              <div key={name} class="param">
                <label for={pid}>
                  <code>{name}</code> <span class="dim">({activations.join(', ')})</span>
                </label>
                <ParamInput
                  id={pid}
                  spec={spec}
                  value={v}
                  doc={spec.doc[lang]}
                  live={false}
                  onValue={(x) => {
                    const next = { ...ap };
                    if (x === spec.default) delete next[name];
                    else next[name] = x;
                    set('ap', next);
                  }}
                />
                <span id={`${pid}-doc`} class="sr-only">{spec.doc[lang]}</span>
              </div>
            );
          })}
        </div>
      );
    }
  }
}
