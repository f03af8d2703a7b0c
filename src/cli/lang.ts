/**
 * The `--lang en|zh-Hant` option every prose-printing command shares, and
 * the language a command speaks: the option when given, else the
 * environment's locale (LC_ALL, LC_MESSAGES, LANG), else English.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { langOfEnv, langOfLocale, LANGS, type Lang } from '../i18n/lang.js';

/** `--lang`'s argument as a language: en, zh-Hant, or a locale that names one (zh-TW, zh_TW.UTF-8, en-GB). */
function parseLang(v: string): Lang {
  const lang = langOfLocale(v);
  if (lang === null) throw new InvalidArgumentError(`expected ${LANGS.join(' or ')} (or a locale naming one, such as zh-TW or en-GB)`);
  return lang;
}

/** Adds `--lang` to `cmd` (no default value: the environment decides when it is absent). */
export function addLangOption<C extends Command>(cmd: C): C {
  cmd.addOption(new Option('--lang <lang>', 'language of what is printed and written (default: from LC_ALL, LC_MESSAGES or LANG, else en)').argParser(parseLang));
  return cmd;
}

/** The language of a command's options (`o.lang` as commander parsed it). */
export function langOf(o: Readonly<Record<string, unknown>>): Lang {
  return o.lang === 'en' || o.lang === 'zh-Hant' ? o.lang : langOfEnv(process.env);
}
