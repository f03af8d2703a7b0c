import { describe, expect, it } from 'vitest';
import { Command, CommanderError } from 'commander';
import { buildProgram, withCommand } from './main.js';
import { argumentKey, commandPath, commandsOf, helpLangOf, optionKey, sharedZh, wrapText } from './help.js';
import { ARGUMENT_ZH, COMMAND_ZH, OPTION_ZH, SETTING_ZH, SHARED_OPTION_ZH, commanderErrorZh } from './help-zh.js';
import { settingHelpOf } from './settings.js';
import { width } from './format.js';
import { SETTINGS } from '../run/settings.js';
import type { Lang } from '../i18n/lang.js';

const program = (lang: Lang): Command => buildProgram({ code: 0 }, lang);
const CJK = /[\u4e00-\u9fff]/;

/** What `gradscope PATH --help` prints in `lang`. */
function helpText(path: string, lang: Lang): string {
  const c = commandsOf(program(lang)).find((x) => commandPath(x) === path);
  if (!c) throw new Error(`no command '${path}'`);
  return c.helpInformation();
}

/** The error text commander writes for `args` (English or localised by the program's language). */
async function errorOf(args: string[], lang: Lang): Promise<string> {
  const p = program(lang);
  let err = '';
  for (const c of commandsOf(p)) c.configureOutput({ writeErr: (s) => (err += s), writeOut: () => undefined });
  await expect(p.parseAsync(args, { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
  return err.trim();
}

describe('help in Chinese', () => {
  it('has a Chinese text for every visible command, argument and flag, and no entry for anything that does not exist', () => {
    const missing: string[] = [];
    const used = new Set<string>();
    const sharedUsed = new Set<string>();
    for (const c of commandsOf(program('en'))) {
      const path = commandPath(c);
      if (COMMAND_ZH[path] === undefined) missing.push(`command '${path}'`);
      used.add(`C ${path}`);
      for (const a of c.registeredArguments) {
        const key = argumentKey(path, a);
        if (ARGUMENT_ZH[key] === undefined) missing.push(`argument '${key}'`);
        used.add(`A ${key}`);
      }
      for (const o of c.options) {
        if (o.hidden || settingHelpOf(o, 'zh-Hant') !== undefined) continue;
        const key = optionKey(path, o);
        used.add(`O ${key}`);
        if (OPTION_ZH[key] !== undefined) continue;
        if (sharedZh(o) !== undefined) sharedUsed.add(o.long ?? '');
        else missing.push(`flag '${key}' ("${o.description}")`);
      }
    }
    expect(missing).toEqual([]);
    const stale = [
      ...Object.keys(COMMAND_ZH).filter((k) => !used.has(`C ${k}`)),
      ...Object.keys(ARGUMENT_ZH).filter((k) => !used.has(`A ${k}`)),
      ...Object.keys(OPTION_ZH).filter((k) => !used.has(`O ${k}`)),
      ...Object.keys(SHARED_OPTION_ZH).filter((k) => !sharedUsed.has(k)),
    ];
    expect(stale).toEqual([]);
    expect(Object.keys(SETTING_ZH).sort()).toEqual(SETTINGS.map((s) => s.name).sort());
  });

  it('prints every help page in Chinese within 80 columns, with no English sentence left', () => {
    const english = /\b[a-z]{3,} [a-z]{3,} [a-z]{3,}\b/;
    const tooWide: string[] = [];
    const left: string[] = [];
    for (const c of commandsOf(program('en'))) {
      const path = commandPath(c);
      const text = helpText(path, 'zh-Hant');
      for (const line of text.split('\n')) {
        if (width(line) > 80) tooWide.push(`${path}: ${line} (${width(line)})`);
        // no double parentheses, no empty default, and a default's word stays beside its value
        if (/）（|（預設 ）|預$|預設$|可用值$/.test(line)) left.push(`${path}: ${line}`);
        if (!line.startsWith('用法：') && english.test(line)) left.push(`${path}: ${line}`);
      }
      expect(text.startsWith(`用法：gradscope${path ? ` ${path}` : ''}`), path).toBe(true);
    }
    expect(tooWide).toEqual([]);
    expect(left).toEqual([]);
  });

  it('wraps every page within a 60-column terminal too, in both languages', () => {
    const over: string[] = [];
    for (const lang of ['en', 'zh-Hant'] as const) {
      const p = program(lang);
      for (const c of commandsOf(p)) c.configureOutput({ getOutHelpWidth: () => 60 });
      for (const c of commandsOf(p))
        for (const line of c.helpInformation().split('\n')) {
          // a single word longer than the column (a flag list, a path) may stand alone
          const longest = Math.max(...line.trim().split(/\s+/).map(width));
          if (width(line) > 60 && longest < 30) over.push(`${lang} ${commandPath(c)}: ${line} (${width(line)})`);
        }
    }
    expect(over).toEqual([]);
  });

  it('lists the same commands and flags in both languages', () => {
    const terms = (lang: Lang) => commandsOf(program(lang)).map((c) => [commandPath(c), c.createHelp().visibleCommands(c).map((s) => s.name()), c.createHelp().visibleOptions(c).map((o) => o.flags)]);
    expect(terms('zh-Hant')).toEqual(terms('en'));
  });

  it('shows defaults, choices and the usage words in Chinese and leaves English help as it was', () => {
    const zh = helpText('probe', 'zh-Hant');
    expect(zh).toContain('用法：gradscope probe [選項]');
    expect(zh).toContain('選項：');
    expect(zh).toContain('每步的樣本數（預設 10）');
    expect(helpText('export', 'zh-Hant')).toMatch(/要寫出的格式（可用值 onnx、tensorboard）/);
    expect(helpText('rnn', 'zh-Hant')).toMatch(/每個單元的隱藏神經元數 H（預設 \d+）/);
    // a note goes inside a text's own closing parenthesis, and an empty list is no default
    expect(helpText('train', 'zh-Hant').replace(/\s+/g, '')).toContain('約50次探測，最多佔訓練時間的一半；預設auto）');
    expect(helpText('theory', 'zh-Hant')).toMatch(/激活函數的參數，可重複\n/);
    expect(helpText('', 'zh-Hant')).toContain('指令：');
    const en = helpText('probe', 'en');
    expect(en).toContain('Usage: gradscope probe [options]');
    expect(en).toContain('examples per step (default 10)');
    expect(en).not.toMatch(CJK);
  });

  it('translates commander’s error sentences, as commander words them', async () => {
    const cases: string[][] = [['probe', '--bogus'], ['probe', '--comapre'], ['train'], ['probe', '--lr'], ['export', 'm.json', '--to', 'pdf'], ['bogus'], ['report', 'a', 'b']];
    for (const args of cases) {
      const en = await errorOf(args, 'en');
      expect(en, args.join(' ')).toMatch(/^error: /);
      const zh = commanderErrorZh(en);
      expect(zh, en).toMatch(/^錯誤：/);
      expect(zh, en).not.toMatch(/error:|Did you mean|Allowed choices/);
      expect(await errorOf(args, 'zh-Hant')).toBe(zh);
    }
    expect(commanderErrorZh(await errorOf(['probe', '--comapre'], 'en'))).toContain('（你是不是要用 --compare？）');
    expect(commanderErrorZh(await errorOf(['probe', '--l3'], 'en'))).toMatch(/（你是不是要用下列其中之一：--l1、--l2.*？）/);
    expect(await errorOf(['probe', '--lang', 'xx'], 'zh-Hant')).toBe("錯誤：選項 '--lang <lang>' 的值 'xx' 無效。應為 en 或 zh-Hant（或指明其中之一的地區設定，例如 zh-TW 或 en-GB）。");
    expect(commanderErrorZh('something else')).toBe('something else');
  });
});

describe('wrapText', () => {
  it('wraps Chinese between characters and English at spaces, never before closing or after opening punctuation', () => {
    const zh = '新初始化網路的逐層梯度診斷（可加上補救方法，也可先在探測資料上訓練 --steps 步），或用 --model FILE 診斷你自己的網路（ONNX、TensorFlow.js model.json）；每個執行設定都是一個旗標';
    for (const cols of [10, 17, 24, 40]) {
      const lines = wrapText(zh, cols).split('\n');
      for (const l of lines) {
        expect(width(l), l).toBeLessThanOrEqual(Math.max(cols, ...l.split(' ').map(width)));
        expect(l, l).not.toMatch(/^[，。、；：）」]/);
        expect(l, l).not.toMatch(/[（「]$/);
      }
      expect(lines.join('').replace(/\s/g, '')).toBe(zh.replace(/\s/g, ''));
    }
    expect(wrapText('one two three four', 9)).toBe('one two\nthree\nfour');
    expect(wrapText('keeps\nits own breaks', 40)).toBe('keeps\nits own breaks');
  });
});

describe('withCommand', () => {
  const names = ['study', 'probe', 'activations', 'sweep'];
  it('runs the study when the arguments name no command, and leaves help and commands alone', () => {
    expect(withCommand([], names)).toEqual(['study']);
    expect(withCommand(['--quick', '--lang', 'zh-Hant'], names)).toEqual(['study', '--quick', '--lang', 'zh-Hant']);
    expect(withCommand(['--out', 'dir'], names)).toEqual(['study', '--out', 'dir']);
    expect(withCommand(['--help'], names)).toEqual(['--help']);
    expect(withCommand(['--lang=en', '--help'], names)).toEqual(['--help']);
    expect(withCommand(['probe', '--lang', 'zh-Hant'], names)).toEqual(['probe', '--lang', 'zh-Hant']);
    expect(withCommand(['bogus'], names)).toEqual(['bogus']);
  });
  it('moves flags written before the command after it, and reads help A B and A help B as A B --help', () => {
    expect(withCommand(['--lang', 'zh-Hant', 'probe', '--help'], names)).toEqual(['probe', '--lang', 'zh-Hant', '--help']);
    expect(withCommand(['--lang=zh-Hant', 'probe'], names)).toEqual(['probe', '--lang=zh-Hant']);
    expect(withCommand(['help', 'activations', 'show'], names)).toEqual(['activations', 'show', '--help']);
    expect(withCommand(['--lang', 'zh-Hant', 'help', 'probe'], names)).toEqual(['probe', '--help', '--lang', 'zh-Hant']);
    expect(withCommand(['help'], names)).toEqual(['--help']);
    expect(withCommand(['help', 'bogus'], names)).toEqual(['bogus']);
    expect(withCommand(['activations', 'help', 'show'], names)).toEqual(['activations', 'show', '--help']);
    expect(withCommand(['--lang', 'zh-Hant', 'sweep', 'help'], names)).toEqual(['sweep', '--help', '--lang', 'zh-Hant']);
  });
});

describe('helpLangOf', () => {
  it('takes --lang from anywhere on the command line, else the environment', () => {
    expect(helpLangOf(['probe', '--help', '--lang', 'zh-TW'], {})).toBe('zh-Hant');
    expect(helpLangOf(['--lang=zh-Hant', 'train', '--help'], { LANG: 'en_US.UTF-8' })).toBe('zh-Hant');
    expect(helpLangOf(['probe', '--help'], { LANG: 'zh_TW.UTF-8' })).toBe('zh-Hant');
    expect(helpLangOf(['probe', '--help', '--lang', 'en'], { LANG: 'zh_TW.UTF-8' })).toBe('en');
    // after `--` it is an argument, and an unknown value leaves the environment to decide
    expect(helpLangOf(['train', '--', '--lang', 'zh-Hant'], {})).toBe('en');
    expect(helpLangOf(['probe', '--lang', 'fr'], { LC_ALL: 'zh_TW.UTF-8' })).toBe('zh-Hant');
  });
});
