/**
 * The playground's settings as one declarative table (after
 * tensorflow/playground's state.ts): each entry names its URL key, default,
 * parser and formatter, the control that edits it and its bilingual label.
 * The table drives the URL, the controls and — for remedies — the run:
 * a remedy entry carries an `apply` hook, so adding batch normalisation or
 * residual connections is one more entry in `SETTINGS` (see `clip`).
 */
import { ACTIVATIONS, getActivation } from '../../activations/catalogue.js';
import { t } from '../../activations/text.js';
import type { Text } from '../../activations/types.js';
import { SYNTHETIC } from '../../data/synthetic.js';
import { NORM_KINDS, type NormKind } from '../../nn/build.js';
import { getInit, INITIALISERS } from '../../nn/init.js';
import { LOSS_NAMES } from '../../nn/losses.js';
import { OPTIMIZER_NAMES } from '../../nn/optim.js';
import { runSchema, type RunInput } from '../../run/schema.js';

/** Where a setting sits in the controls panel. */
export type SettingGroup = 'data' | 'network' | 'training' | 'remedies';

/** A choice of a select control. */
export interface Choice {
  readonly value: string;
  readonly label: Text | string;
}

/** The control that edits a setting. */
export type Control =
  | { readonly kind: 'select'; readonly choices: readonly Choice[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /** A positive number on a logarithmic slider; `off` (when set) is the value 0 shown as "off". */
  | { readonly kind: 'log'; readonly min: number; readonly max: number; readonly off?: boolean }
  /** On or off, as a checkbox. */
  | { readonly kind: 'bool' }
  /** One activation per hidden layer (empty list = all layers use `act`). */
  | { readonly kind: 'layers' }
  /** Parameter overrides of the hidden activations, by PyTorch name. */
  | { readonly kind: 'params' };

/**
 * One setting: URL key, default, codec, control, label and (remedies) how it
 * changes the run. A setting of the run has the run setting's name as its
 * key and its default (src/run/settings.ts); `aliases` are the lab's older
 * short keys, still read so old links work.
 */
export interface Setting<T> {
  readonly key: string;
  readonly aliases?: readonly string[];
  readonly group: SettingGroup;
  readonly label: Text;
  readonly help: Text;
  readonly default: T;
  /** The value written in the URL, or null when it is not valid. */
  parse(raw: string): T | null;
  format(v: T): string;
  readonly control: Control;
  /** Remedies only: how the value changes the run's settings (other settings are read by `specOf`). */
  apply?(v: T, run: RunInput): RunInput;
}

/** The default of a run setting (the one place defaults are decided: src/run/settings.ts). */
function runDefault(name: string): unknown {
  return (RUN_DEFAULTS as Record<string, unknown>)[name];
}
const RUN_DEFAULTS = runSchema.parse({});

/**
 * The defaults of the lab's links before its keys took the run settings'
 * names (a link without `v=2`): Nielsen's initialiser, cross-entropy, batches
 * of 32. Such a link still opens the run it described.
 */
export const LEGACY_DEFAULTS: Readonly<Record<string, unknown>> = { init: 'nielsen', loss: 'cross_entropy', batch: 32 };

/** Data sets the playground offers: the synthetic 2-D sets and the digits. */
export const DATA_NAMES = [...(Object.keys(SYNTHETIC) as (keyof typeof SYNTHETIC)[]), 'digits'] as const;
/** A data set name. */
export type DataName = (typeof DATA_NAMES)[number];

/** What each data set is called in the controls (its value, the name in URLs and configs, is kept beside it). */
const DATA_LABELS: Record<DataName, Text> = {
  spiral: t('spiral', '螺旋（spiral）'),
  circles: t('circles', '同心圓（circles）'),
  xor: t('xor', '互斥或（xor）'),
  gaussians: t('gaussians', '高斯群集（gaussians）'),
  moons: t('moons', '雙月（moons）'),
  digits: t('digits (MNIST)', '手寫數字（digits，MNIST）'),
};

/** What each normalisation is called in the controls. */
const NORM_LABELS: Record<NormKind, Text> = {
  none: t('none', '無'),
  batch: t('batch normalisation', '批次正規化'),
  layer: t('layer normalisation', '層正規化'),
};

/** Hidden-layer activations: every catalogue entry except softmax (a vector function for outputs). */
export const HIDDEN_ACTIVATIONS: readonly string[] = ACTIVATIONS.filter((d) => d.kind !== 'vector').map((d) => d.name);

/** Scaled initialisers offered besides the named ones (`normal:S` = N(0, S²)). */
const SCALED_INITS = ['normal:0.1', 'normal:2', 'normal:4', 'uniform:1'];

function choicesOf(values: readonly string[]): Choice[] {
  return values.map((v) => ({ value: v, label: v }));
}

function enumSetting(s: Omit<Setting<string>, 'parse' | 'format' | 'control'> & { readonly values: readonly string[]; readonly accept?: (raw: string) => boolean; readonly choices?: readonly Choice[] }): Setting<string> {
  const { values, accept, choices, ...rest } = s;
  return {
    ...rest,
    parse: (raw) => (values.includes(raw) || (accept?.(raw) ?? false) ? raw : null),
    format: (v) => v,
    control: { kind: 'select', choices: choices ?? choicesOf(values) },
  };
}

function boolSetting(s: Omit<Setting<boolean>, 'parse' | 'format' | 'control'>): Setting<boolean> {
  return { ...s, parse: (raw) => (raw === '1' ? true : raw === '0' ? false : null), format: (v) => (v ? '1' : '0'), control: { kind: 'bool' } };
}

function intSetting(s: Omit<Setting<number>, 'parse' | 'format' | 'control'> & { readonly min: number; readonly max: number }): Setting<number> {
  const { min, max, ...rest } = s;
  return {
    ...rest,
    parse: (raw) => {
      const v = Number(raw);
      return /^-?\d+$/.test(raw) && v >= min && v <= max ? v : null;
    },
    format: (v) => String(v),
    control: { kind: 'int', min, max },
  };
}

/** Shortest decimal that reads back as the same double (2e-3 rather than 0.002000000001). */
export function formatNumber(v: number): string {
  const short = String(Number(v.toPrecision(6)));
  return Number(short) === v ? short : String(v);
}

function logSetting(s: Omit<Setting<number>, 'parse' | 'format' | 'control'> & { readonly min: number; readonly max: number; readonly off?: boolean }): Setting<number> {
  const { min, max, off, ...rest } = s;
  return {
    ...rest,
    parse: (raw) => {
      if (raw.trim() === '') return null;
      const v = Number(raw);
      if (off && v === 0) return 0;
      return Number.isFinite(v) && v >= min && v <= max ? v : null;
    },
    format: formatNumber,
    control: { kind: 'log', min, max, off },
  };
}

/** Parses "negative_slope:0.1;alpha:2" into { negative_slope: 0.1, alpha: 2 }. */
export function parseParams(raw: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  if (raw === '') return out;
  for (const part of raw.split(';')) {
    const m = /^([a-z_][a-z0-9_]*):(.+)$/.exec(part);
    if (!m) return null;
    const v = Number(m[2]);
    if (!Number.isFinite(v)) return null;
    out[m[1]] = v;
  }
  return out;
}

/** Writes parameter overrides in a stable (sorted) order. */
export function formatParams(p: Readonly<Record<string, number>>): string {
  return Object.keys(p)
    .sort()
    .map((k) => `${k}:${formatNumber(p[k])}`)
    .join(';');
}

const validInit = (raw: string): boolean => {
  try {
    getInit(raw);
    return true;
  } catch {
    return false;
  }
};

/** The settings table. Order here is the order of the controls. */
export const SETTINGS = {
  data: enumSetting({
    key: 'data',
    group: 'data',
    label: t('Data set', '資料集'),
    help: t('Four 2-D sets drawn from the seed, or the 10,000 embedded MNIST digits (loaded only when chosen, about 1.6 MB).', '由種子產生的二維資料集，或內嵌的 10,000 張 MNIST 手寫數字（僅在選用時載入，約 1.6 MB）。'),
    default: 'spiral',
    values: DATA_NAMES,
    choices: DATA_NAMES.map((v) => ({ value: v, label: DATA_LABELS[v] })),
  }),
  depth: intSetting({
    key: 'depth',
    group: 'network',
    label: t('Hidden layers', '隱藏層數'),
    help: t('Number of hidden layers; the gradient of layer 1 is a product of one factor w·f′(z) per layer above it.', '隱藏層的數量；第 1 層的梯度是其上每一層一個因子 w·f′(z) 的乘積。'),
    default: 8,
    min: 1,
    max: 20,
  }),
  width: intSetting({
    key: 'width',
    group: 'network',
    label: t('Units per layer', '每層神經元數'),
    help: t('Units in every hidden layer.', '每個隱藏層的神經元數。'),
    default: 16,
    min: 1,
    max: 64,
  }),
  act: enumSetting({
    key: 'activation',
    aliases: ['act'],
    group: 'network',
    label: t('Activation', '激活函數'),
    help: t('Activation of every hidden layer (the output layer follows the loss); choosing it drops the per-layer choices.', '所有隱藏層的激活函數（輸出層由損失函數決定）；選擇它會清除逐層的設定。'),
    default: 'sigmoid',
    values: HIDDEN_ACTIVATIONS,
  }),
  acts: {
    key: 'acts',
    group: 'network',
    label: t('Activation per layer', '逐層激活函數'),
    help: t('One activation per hidden layer, input side first; empty means every layer uses the activation above.', '每個隱藏層各自的激活函數（由輸入端起）；留空表示所有層都用上面的激活函數。'),
    default: [] as readonly string[],
    parse: (raw: string): readonly string[] | null => {
      if (raw === '') return [];
      const names = raw.split(',');
      return names.every((n) => HIDDEN_ACTIVATIONS.includes(n)) && names.length <= 20 ? names : null;
    },
    format: (v: readonly string[]) => v.join(','),
    control: { kind: 'layers' },
  } satisfies Setting<readonly string[]>,
  ap: {
    key: 'activationParams',
    aliases: ['ap'],
    group: 'network',
    label: t('Activation parameters', '激活函數參數'),
    help: t('Parameters of the hidden activations (leaky slope, α, β, …); each applies to the layers whose activation has it.', '隱藏層激活函數的參數（leaky 斜率、α、β 等）；每個參數只作用於具有該參數的層。'),
    default: {} as Readonly<Record<string, number>>,
    parse: parseParams,
    format: formatParams,
    control: { kind: 'params' },
  } satisfies Setting<Readonly<Record<string, number>>>,
  init: enumSetting({
    key: 'init',
    group: 'network',
    label: t('Initialiser', '初始化方法'),
    help: t('How the weights are drawn: normal is N(0, 1), nielsen N(0, 1/n_in) (the book\'s), xavier for tanh/sigmoid, he for the ReLU family; normal:S is N(0, S²).', '權重的抽樣方式：normal 為 N(0, 1)，nielsen 為 N(0, 1/n_in)（書中所用），xavier 適合 tanh/sigmoid，he 適合 ReLU 家族；normal:S 為 N(0, S²)。'),
    default: runDefault('init') as string,
    values: [...INITIALISERS.keys(), ...SCALED_INITS],
    accept: validInit,
  }),
  loss: enumSetting({
    key: 'loss',
    group: 'training',
    label: t('Loss', '損失函數'),
    help: t('cross_entropy uses a softmax output, binary_cross_entropy a sigmoid output, quadratic the hidden activation.', 'cross_entropy 使用 softmax 輸出，binary_cross_entropy 使用 sigmoid 輸出，quadratic 使用隱藏層的激活函數。'),
    default: runDefault('loss') as string,
    values: LOSS_NAMES,
  }),
  opt: enumSetting({
    key: 'optimizer',
    aliases: ['opt'],
    group: 'training',
    label: t('Optimiser', '最佳化器'),
    help: t('The update rule applied to every parameter.', '套用在每個參數上的更新規則。'),
    default: 'sgd',
    values: OPTIMIZER_NAMES,
  }),
  lr: logSetting({
    key: 'lr',
    group: 'training',
    label: t('Learning rate', '學習率'),
    help: t('Step size η.', '步長 η。'),
    default: 0.1,
    min: 1e-5,
    max: 10,
  }),
  batch: intSetting({
    key: 'batchSize',
    aliases: ['batch'],
    group: 'training',
    label: t('Batch size', '批次大小'),
    help: t('Examples per step.', '每一步使用的樣本數。'),
    default: runDefault('batchSize') as number,
    min: 1,
    max: 512,
  }),
  steps: intSetting({
    key: 'maxSteps',
    aliases: ['steps'],
    group: 'training',
    label: t('Steps', '訓練步數'),
    help: t('Play stops after this many steps.', '播放在此步數後停止。'),
    default: 1000,
    min: 1,
    max: 100000,
  }),
  tol: logSetting({
    key: 'gradTol',
    aliases: ['tol'],
    group: 'training',
    label: t('Stop when ‖∇‖ below', '‖∇‖ 低於此值時停止'),
    help: t('The stopping rule of gradient descent: stop once a step\'s gradient norm ‖∇‖ (of its batch, before clipping) falls below this tolerance, or after the maximum number of steps, whichever comes first. Off: only the maximum.', '梯度下降的停止規則：當某一步的梯度範數 ‖∇‖（該批次、裁剪前）低於此容許值，或達到最大步數時停止，以先到者為準。關閉：只看最大步數。'),
    default: 0,
    min: 1e-6,
    max: 10,
    off: true,
  }),
  seed: intSetting({
    key: 'seed',
    group: 'training',
    label: t('Seed', '隨機種子'),
    help: t('Seeds the data, the weights and the batch order: the same settings and seed give the same run.', '決定資料、權重與批次順序：相同設定與種子會得到相同的訓練過程。'),
    default: 1,
    min: 0,
    max: 2 ** 31 - 1,
  }),
  clip: logSetting({
    key: 'clipNorm',
    aliases: ['clip'],
    group: 'remedies',
    label: t('Clip gradient norm', '梯度裁剪（全域範數）'),
    help: t('When the global gradient norm ‖g‖ exceeds c, rescale g to c·g/‖g‖ (Pascanu et al. 2013). Off: no clipping.', '當全域梯度範數 ‖g‖ 超過 c 時，把 g 縮放為 c·g/‖g‖（Pascanu 等人 2013）。關閉：不裁剪。'),
    default: 0,
    min: 1e-3,
    max: 1e3,
    off: true,
    apply: (v, run) => (v > 0 ? { ...run, clipNorm: v } : run),
  }),
  l2: logSetting({
    key: 'l2',
    group: 'remedies',
    label: t('L2 weight decay λ', 'L2 權重衰減 λ'),
    help: t('Keeps weights small: w ← (1 − ηλ/n)·w − η∇ (Nielsen\'s form). Off: none.', '讓權重保持較小：w ← (1 − ηλ/n)·w − η∇（Nielsen 的形式）。關閉：不使用。'),
    default: 0,
    min: 1e-4,
    max: 100,
    off: true,
    apply: (v, run) => (v > 0 ? { ...run, l2: v } : run),
  }),
  norm: enumSetting({
    key: 'norm',
    group: 'remedies',
    label: t('Normalisation', '正規化'),
    help: t('Batch or layer normalisation between each hidden layer\'s linear part and its activation: keeps pre-activations centred where f′ is large.', '在每個隱藏層的線性部分與激活函數之間做批次或層正規化：讓預激活值保持置中，停留在 f′ 較大的區域。'),
    default: 'none',
    values: NORM_KINDS,
    choices: NORM_KINDS.map((v) => ({ value: v, label: NORM_LABELS[v] })),
    apply: (v, run) => (v === 'none' ? run : { ...run, norm: v }),
  }),
  residual: boolSetting({
    key: 'residual',
    aliases: ['res'],
    group: 'remedies',
    label: t('Residual connections', '殘差連接'),
    help: t('Each hidden layer becomes y = x + f(Wx + b): the identity path carries the gradient past every layer.', '每個隱藏層變成 y = x + f(Wx + b)：恆等路徑讓梯度越過每一層。'),
    default: false,
    apply: (v, run) => (v ? { ...run, residual: true } : run),
  }),
} as const;

/** The value type of a setting. */
export type ValueOf<S> = S extends Setting<infer T> ? T : never;
/** A setting key. */
export type SettingKey = keyof typeof SETTINGS;
/** The whole playground state, one value per setting. */
export type PlaygroundState = { readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** Every setting key, in control order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** A setting by key, with its value type erased to what generic code needs. */
export function settingOf(key: SettingKey): Setting<unknown> {
  return SETTINGS[key] as unknown as Setting<unknown>;
}

/** The state with every default. */
export const DEFAULT_STATE: PlaygroundState = Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTINGS[k].default])) as PlaygroundState;

/** The activation of each hidden layer (input side first). */
export function layerActivations(s: PlaygroundState): string[] {
  return Array.from({ length: s.depth }, (_, l) => s.acts[l] ?? s.act);
}

/** The parameters (name, spec) the hidden activations in use accept, once each by name. */
export function paramsInUse(s: PlaygroundState): { readonly name: string; readonly activations: readonly string[] }[] {
  const byName = new Map<string, string[]>();
  for (const a of new Set(layerActivations(s))) {
    for (const p of getActivation(a).params) {
      const list = byName.get(p.name) ?? [];
      list.push(a);
      byName.set(p.name, list);
    }
  }
  return [...byName].map(([name, activations]) => ({ name, activations }));
}

/** Equality of two values of the same setting (by their URL form). */
export function sameValue(key: SettingKey, a: unknown, b: unknown): boolean {
  const s = settingOf(key);
  return s.format(a) === s.format(b);
}
