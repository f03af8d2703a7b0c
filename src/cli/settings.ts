/**
 * The command-line adapter of the run settings: one flag per setting, the
 * kebab-case of its name (`batchSize` → `--batch-size`), its aliases as
 * hidden flags (`--act`, `--param`), help from the settings table, and
 * errors phrased with the flag the user typed ("--batch-size must be ≥ 1;
 * got 0"). Values are read by src/run/text.ts and checked by the run schema,
 * so a flag accepts exactly what a config file does.
 */
import { Command, Option } from 'commander';
import { clause, InputError, phrase, type InputIssue } from '../errors.js';
import { writtenAs } from '../run/config.js';
import { parseRun, type RunInput, type RunSpec } from '../run/schema.js';
import { fieldSetting, flagOf, kebab, settingNamed, SETTINGS, type SettingDef, type SettingName } from '../run/settings.js';
import { textOf, valueFromText } from '../run/text.js';
import { flagSentence, usageError, UsageError } from './io.js';
import { msg, phrase as phraseIn } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import { SETTING_ZH, ZH_CHROME, zhNote } from './help-zh.js';

/** The attribute commander stores a flag under (`--batch-size` → `batchSize`). */
function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Collects repeated values of a flag. */
function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** The flags of a setting: its own, then its aliases (hidden in --help). */
function flagsOf(def: SettingDef): string[] {
  return [flagOf(def.name), ...(def.aliases ?? []).map((a) => `--${kebab(a)}`)];
}

/** Help text: the setting's doc in `lang` and its default (the command's own, else the schema's). */
function helpOf(def: SettingDef, own: string | undefined, lang: Lang): string {
  const doc = lang === 'en' ? def.doc : SETTING_ZH[def.name as SettingName];
  const d = own === undefined ? def.schema.safeParse(undefined) : null;
  const shown = own ?? (d?.success && d.data !== null && !(typeof d.data === 'object' && !Array.isArray(d.data)) ? textOf(def, d.data) : undefined);
  if (shown === undefined) return doc;
  return lang === 'en' ? `${doc} (default ${shown})` : zhNote(doc, `${ZH_CHROME.default} ${shown}`);
}

/** The setting behind each flag addSettingOptions made, and the default its command shows. */
const settingOfOption = new WeakMap<Option, { readonly def: SettingDef; readonly own?: string }>();

/** The help text of a setting's flag in `lang`; undefined for a flag that is not a run setting's. */
export function settingHelpOf(o: Option, lang: Lang): string | undefined {
  const s = settingOfOption.get(o);
  return s && helpOf(s.def, s.own, lang);
}

/** A parser that refuses a second value for `flag`. */
function once(flag: string): (value: string, previous: unknown) => string {
  return (value, previous) => {
    if (previous !== undefined) {
      const said = msg('err.flag.twice', { a: String(previous), b: value });
      throw new UsageError(`${flag} ${phraseIn('en', said)}`, { where: [flag], said });
    }
    return value;
  };
}

/** Options of `addSettingOptions`. */
export interface SettingFlagOptions {
  /** Settings left out (the command sets them itself). */
  readonly except?: readonly SettingName[];
  /** Flags the command defines itself with another meaning, left out of the aliases. */
  readonly reserved?: readonly string[];
  /** Defaults the command applies itself where a run's differ, as the help should show them. */
  readonly defaults?: Readonly<Partial<Record<SettingName, string>>>;
}

/**
 * Adds one option per run setting to `cmd`. No option has a commander
 * default, so `settingsFromFlags` sees exactly what the user typed and the
 * schema fills in the rest.
 */
export function addSettingOptions(cmd: Command, o: SettingFlagOptions = {}): Command {
  for (const s of SETTINGS) {
    const def = s as SettingDef;
    if (o.except?.includes(s.name)) continue;
    flagsOf(def).forEach((flag, i) => {
      if (o.reserved?.includes(flag)) return;
      const own = o.defaults?.[s.name];
      const help = helpOf(def, own, 'en');
      const opt = def.text === 'bool' ? new Option(flag, help) : new Option(`${flag} <value>`, help);
      settingOfOption.set(opt, own === undefined ? { def } : { def, own });
      // --param k=v may be repeated (older scripts), as may --activation-params
      if (def.text === 'params') opt.argParser(collect);
      // any other value given twice is a mistake, not "the last one wins"
      else if (def.text !== 'bool') opt.argParser(once(flag));
      if (i > 0) opt.hideHelp();
      cmd.addOption(opt);
      if (def.text === 'bool' && i === 0) cmd.addOption(new Option(`--no-${flag.slice(2)}`, `turn ${flag} off`).hideHelp());
    });
  }
  return cmd;
}

/** Settings given on a command line, and the flag each came from. */
export interface FlagSettings {
  readonly input: Record<string, unknown>;
  readonly written: Map<string, string>;
}

/** Reads the run settings out of commander's options; throws a UsageError for a setting given twice or a malformed value. */
export function settingsFromFlags(opts: Readonly<Record<string, unknown>>, o: SettingFlagOptions = {}): FlagSettings {
  const input: Record<string, unknown> = {};
  const written = new Map<string, string>();
  for (const s of SETTINGS) {
    const def = s as SettingDef;
    if (o.except?.includes(s.name)) continue;
    for (const flag of flagsOf(def)) {
      if (o.reserved?.includes(flag)) continue;
      const raw = opts[attributeOf(flag)];
      if (raw === undefined) continue;
      const before = written.get(def.name);
      if (before !== undefined && before !== flag) throw usageError([], msg('err.flag.same', { flag, before, name: def.name }));
      written.set(def.name, flag);
      try {
        if (def.text === 'bool') input[def.name] = raw;
        else if (def.text === 'params') input[def.name] = Object.assign({}, ...(raw as string[]).map((r) => valueFromText(def, r, flag) as object));
        else input[def.name] = valueFromText(def, String(raw), flag);
      } catch (e) {
        if (e instanceof InputError && e.issue) throw flagError(e.issue, flag, e);
        throw e;
      }
    }
  }
  return { input, written };
}

/** The error of an issue at a flag, in flag words, keeping the issue for other languages. */
export function flagError(issue: InputIssue, flag: string, cause?: unknown): UsageError {
  return new UsageError(phraseFlag(issue, flag), { cause, issue, where: [flag] });
}

/** An issue in flag words: "--batch-size must be ≥ 1; got 0", "--act: unknown activation 'x'; …". */
export function phraseFlag(issue: InputIssue, flag: string): string {
  return flagSentence(flag, clause(issue));
}

/** The flag of the setting an issue names, as the user wrote it (or the setting's own flag). */
function flagOfIssue(issue: InputIssue, written: ReadonlyMap<string, string>): string {
  const name = fieldSetting(issue.field);
  const def = settingNamed(name);
  if (!def) return issue.field;
  const flag = written.get(def.name) ?? flagOf(def.name);
  return issue.field === name ? flag : `${flag}: ${issue.field.slice(name.length).replace(/^\./, '')}`;
}

/** Settings read from a config file: its flat settings, how it wrote each, and its name. */
export interface FileSettings {
  readonly file: string;
  readonly input: Record<string, unknown>;
  readonly written: ReadonlyMap<string, string>;
}

/**
 * Resolves flag settings over a config file's (or none). An error names the
 * flag when the setting came from the command line (or from nowhere: the flag
 * to add), and the file and its field when it came from the file.
 */
export function runFromFlags(f: FlagSettings, base?: FileSettings): RunSpec {
  try {
    return parseRun({ ...base?.input, ...f.input } as RunInput);
  } catch (e) {
    if (!(e instanceof InputError) || !e.issue) throw e;
    const name = fieldSetting(e.issue.field);
    if (base && !Object.hasOwn(f.input, name) && base.written.has(name)) {
      const field = writtenAs(e.issue, base.written);
      throw new InputError(`${base.file}: ${phrase({ ...e.issue, field })}`, e.issue, [base.file, field]);
    }
    throw flagError(e.issue, flagOfIssue(e.issue, f.written), e);
  }
}

/** Runs `f` (loading a run's data); an error naming a setting is rephrased with that setting's flag. */
export function dataInFlagWords<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && e.issue) throw flagError(e.issue, flagOf(fieldSetting(e.issue.field)), e);
    throw e;
  }
}

/**
 * Runs `f` (loading a run's data for a config file and flags): an error about
 * a setting the command line gave names that flag, not the file.
 */
export function inFlagWordsWhenFlagged<T>(flags: FlagSettings, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const flag = e instanceof InputError && e.issue ? flags.written.get(fieldSetting(e.issue.field)) : undefined;
    if (flag !== undefined && e instanceof InputError && e.issue) throw flagError(e.issue, flagOfIssue(e.issue, flags.written), e);
    throw e;
  }
}

/** Whether the user gave any of `names` on the command line. */
export function gaveAny(f: FlagSettings, names: readonly SettingName[]): SettingName | undefined {
  return names.find((n) => f.input[n] !== undefined);
}
