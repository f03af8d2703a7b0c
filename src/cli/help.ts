/**
 * `--help` and commander's own errors in the user's language. The English
 * text stays beside each flag where the command defines it; the other
 * languages' texts are tables keyed by where the text belongs (help-zh.ts:
 * the command path, `path --flag`, `path <argument>`, the setting's name).
 * `localizeHelp` walks the finished command tree once and swaps them in,
 * and teaches commander's help formatter the language's headings, defaults
 * and line breaking (Chinese wraps between characters, and a wide character
 * takes two columns). The language is known before commander parses
 * anything: `--lang` wherever it stands on the command line, else the
 * environment (LC_ALL, LC_MESSAGES, LANG).
 */
import { Help, type Argument, type Command, type Option } from 'commander';
import { langOfEnv, langOfLocale, type Lang } from '../i18n/lang.js';
import { width } from './format.js';
import { ARGUMENT_ZH, COMMAND_ZH, OPTION_ZH, SHARED_OPTION_ZH, ZH_CHROME, commanderErrorZh, zhNote } from './help-zh.js';
import { settingHelpOf } from './settings.js';

/** The language `--help` speaks for `args`: `--lang X` or `--lang=X` anywhere before `--`, else the environment's. */
export function helpLangOf(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const a = args[i];
    const v = a === '--lang' ? args[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    const lang = v === undefined ? null : langOfLocale(v);
    if (lang !== null) return lang;
  }
  return langOfEnv(env);
}

/** The path that keys a command's texts: '' for the program, then the names below it ('sweep report'). */
export function commandPath(c: Command): string {
  const names: string[] = [];
  for (let p: Command | null = c; p?.parent; p = p.parent) names.unshift(p.name());
  return names.join(' ');
}

/** The key of an option's text: its command's path and its long flag ('probe --compare'). */
export function optionKey(path: string, o: Option): string {
  return `${path} ${o.long ?? o.short ?? o.flags}`.trim();
}

/** The key of an argument's text ('train <config>'). */
export function argumentKey(path: string, a: Argument): string {
  return `${path} <${a.name()}>`.trim();
}

/** Every command of the tree under (and including) `c`. */
export function commandsOf(c: Command): Command[] {
  return [c, ...c.commands.flatMap(commandsOf)];
}

// Chinese breaks between any two characters, except before closing and after opening punctuation.
const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef';
const CLOSE = '，。、；：！？）」』】〉》％';
const OPEN = '（「『【〈《';
const NOTE = `(?:${ZH_CHROME.default}|${ZH_CHROME.choices}) [^\\s${OPEN}${CLOSE}]+`; // "預設 1000" stays on one line
const CHUNK = new RegExp(`\\s*[${OPEN}]*(?:${NOTE}|[${CJK}]|[^\\s${CJK}]+)[${CLOSE}]*`, 'gu');
const PLAIN = new RegExp(`\\s*[${OPEN}]*(?:[${CJK}]|[^\\s${CJK}]+)[${CLOSE}]*`, 'gu');

/** `text` wrapped to `cols` terminal columns: at spaces, and between Chinese characters. */
export function wrapText(text: string, cols: number): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      // a note wider than the column breaks at its own space after all
      const chunks = (line.match(CHUNK) ?? []).flatMap((c) => (width(c.trimStart()) > cols ? (c.match(PLAIN) ?? [c]) : [c]));
      for (const chunk of chunks) {
        if (cur !== '' && width(cur) + width(chunk) > cols) {
          out.push(cur);
          cur = chunk.trimStart();
        } else cur += chunk;
      }
      out.push(cur);
      return out.join('\n');
    })
    .join('\n');
}

/** A default as help shows it, or undefined for none (nor for an empty list: a repeatable flag starts from one). */
function shownDefault(value: unknown, described: string | undefined, takesValue: boolean): string | undefined {
  if (value === undefined || !takesValue || (Array.isArray(value) && value.length === 0)) return undefined;
  return described ?? String(value);
}

/**
 * The narrowest description column help still wraps (commander's own is 40,
 * so in a 60-column terminal the long descriptions ran 300 columns wide).
 */
export const HELP_CONFIG = { minWidthToWrap: 16 } as const;

/** The help formatter's methods for Chinese: headings, usage words, defaults and choices, widths and wrapping. */
function chineseHelp(): Partial<Help> {
  const base = Help.prototype;
  const words = (s: string): string => s.replace(/\[options\]/g, ZH_CHROME.options).replace(/\[command\]/g, ZH_CHROME.command);
  const extras = (description: string, choices: readonly string[] | undefined, shown: string | undefined): string => {
    const parts = [...(choices ? [`${ZH_CHROME.choices} ${choices.join('、')}`] : []), ...(shown !== undefined ? [`${ZH_CHROME.default} ${shown}`] : [])];
    return parts.length === 0 ? description : zhNote(description, parts.join('；'));
  };
  return {
    ...HELP_CONFIG,
    styleTitle: (s: string) => ZH_CHROME.titles[s] ?? s,
    displayWidth: (s: string) => width(s),
    boxWrap(this: Help, s: string, cols: number) {
      return cols < this.minWidthToWrap ? s : wrapText(s, cols);
    },
    commandUsage(this: Help, c: Command) {
      return words(base.commandUsage.call(this, c));
    },
    subcommandTerm(this: Help, c: Command) {
      return words(base.subcommandTerm.call(this, c));
    },
    optionDescription(o: Option) {
      const shown = shownDefault(o.defaultValue, o.defaultValueDescription, o.required || o.optional);
      return extras(o.description, o.argChoices, shown);
    },
    argumentDescription(a: Argument) {
      const shown = shownDefault(a.defaultValue, a.defaultValueDescription, true);
      return extras(a.description, a.argChoices, shown);
    },
    // "用法：gradscope …": no space after a full-width colon
    formatHelp(this: Help, c: Command, helper: Help) {
      return base.formatHelp.call(this, c, helper).replace(/^(\S+：) /, '$1');
    },
  };
}

/** The Chinese of a flag many commands share, where this one has the shared English. */
export function sharedZh(o: Option): string | undefined {
  const s = o.long === undefined ? undefined : SHARED_OPTION_ZH[o.long];
  return s !== undefined && s.en === o.description ? s.zh : undefined;
}

/** Puts `lang`'s texts into the tree under `program` (English is what the commands wrote). */
export function localizeHelp(program: Command, lang: Lang): void {
  if (lang === 'en') return;
  const help = chineseHelp();
  for (const c of commandsOf(program)) {
    const path = commandPath(c);
    const text = COMMAND_ZH[path];
    if (text !== undefined) c.description(text);
    for (const a of c.registeredArguments) a.description = ARGUMENT_ZH[argumentKey(path, a)] ?? a.description;
    for (const o of c.options) {
      if (o.hidden) continue;
      o.description = settingHelpOf(o, lang) ?? OPTION_ZH[optionKey(path, o)] ?? sharedZh(o) ?? o.description;
    }
    c.helpOption('-h, --help', ZH_CHROME.help);
    // relabel the implicit `help [command]` where commander shows one (a command without an action of its own), add none
    if ((c as unknown as { _getHelpCommand(): Command | null })._getHelpCommand() !== null) c.helpCommand('help [command]', ZH_CHROME.helpCommand);
    c.configureHelp(help);
    c.configureOutput({ outputError: (s, write) => write(commanderErrorZh(s)) });
  }
}
