// Input errors in the reader's language: the same mistakes, said in English and in 繁體中文, exit 2, one line.
import { describe, expect, it } from 'vitest';
import { cli, ensureBuilt, oneCleanLine, put, tempDir } from './helpers.js';
import { englishIn } from '../src/i18n/english.test-helper.js';

ensureBuilt();
const dir = tempDir();
const bad = put(dir, 'bad.json', { batchSize: 0 });
const typo = put(dir, 'typo.json', { batchsize: 10 });
const sweepBase = put(dir, 'base.json', { grid: { lr: [0.1] }, base: { batchSize: 0 } });

// [arguments, English sentence, Chinese sentence]
const CASES: readonly [string[], string, string][] = [
  [['probe', '--batch-size', '0'], 'gradscope: --batch-size must be ≥ 1; got 0', 'gradscope：--batch-size：必須 ≥ 1；收到 0'],
  [['probe', '--act', 'sigmiod'], "gradscope: --act: unknown activation 'sigmiod'; did you mean sigmoid?", "gradscope：--act：未知的激活函數 'sigmiod'；是不是要用 sigmoid？"],
  [['probe', '--arch', '784-x'], `gradscope: --arch: 'x' is not a size (N) or a repeated size (NxK); got "784-x"`, `gradscope：--arch：'x' 不是一個大小（N）或重複的大小（NxK）；收到 "784-x"`],
  [['probe', '--data', 'moonz'], "gradscope: --data: unknown dataset 'moonz' (did you mean moons?); expected one of digits, mnist:DIR, spiral, circles, xor, gaussians, moons", "gradscope：--data：未知的資料集 'moonz'（是不是要用 moons？）"],
  [['probe', '--act', 'elu', '--param', 'alpha=-1'], "gradscope: --param: elu: parameter 'alpha' must be > 0; got -1", "gradscope：--param：elu：參數 'alpha' 必須 > 0；收到 -1"],
  [['probe', '--norm', 'bogus'], 'gradscope: --norm must be one of none, batch, layer; got "bogus"', 'gradscope：--norm：必須是下列其中之一：none, batch, layer；收到 "bogus"'],
  [['train', bad], `gradscope: ${bad}: batchSize: must be ≥ 1; got 0`, `gradscope：${bad}：batchSize：必須 ≥ 1；收到 0`],
  [['train', typo], `gradscope: ${typo}: batchsize: unknown field (did you mean batchSize?); expected one of the settings (docs/settings.md lists them)`, `gradscope：${typo}：batchsize：未知的欄位（是不是要用 batchSize？）；可用的是各個執行設定（見 docs/settings.md）`],
  [['sweep', sweepBase, '--dry-run'], `gradscope: ${sweepBase}: base: batchSize: must be ≥ 1; got 0`, `gradscope：${sweepBase}：base：batchSize：必須 ≥ 1；收到 0`],
];

describe('input errors in both languages', () => {
  it.each(CASES)('%j', (args, en, zh) => {
    const e = cli(args);
    expect(e.code).toBe(2);
    expect(e.stderr.trim()).toBe(en);
    const z = cli([...args, '--lang', 'zh-Hant']);
    expect(z.code).toBe(2);
    expect(oneCleanLine(z.stderr.replace('gradscope：', 'gradscope: '))).toBe(true);
    expect(z.stderr.trim()).toBe(zh);
    // nothing English is left but names, values and code
    expect(englishIn(z.stderr.replace(/'[^']*'|"[^"]*"|\S*\/\S*/g, ' '), ['NxK', 'none, batch, layer'])).toEqual([]);
  });

  it('stays English, with the English colon, where a clause has no Chinese yet', () => {
    const sweep = put(dir, 'sweep.json', { grid: { lr: [0.1] }, base: { model: 'm.onnx' } });
    const z = cli(['sweep', sweep, '--dry-run', '--lang', 'zh-Hant']);
    expect(z.code).toBe(2);
    expect(z.stderr.trim()).toBe(cli(['sweep', sweep, '--dry-run']).stderr.trim());
  });
});
