/**
 * The verdict as the lab shows it, in the reader's language: the engine's
 * verdict carries its cause and remedies as messages of the catalogue, so
 * the page only phrases them (src/i18n) and says where in the playground
 * each remedy's setting is. No verdict is reworded here.
 */
import type { Lang } from '../i18n/lang.js';
import type { VerdictKind } from '../diagnostics/verdict.js';
import { say, type MessageKey } from '../i18n/catalogue.js';
import { fmt } from '../report/format.js';
import { nonFiniteText, verdictIn } from '../report/say.js';
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import type { ProbeSnapshot } from './engine/session.js';
import { tr, type UiKey } from './i18n.js';
import { SETTINGS } from './state/settings.js';

/** A verdict as the page shows it. */
export interface VerdictText {
  readonly kind: VerdictKind;
  readonly title: string;
  readonly cause: string;
  readonly remedies: readonly string[];
}

/** A number as the report writes it: 3 significant digits, exponent form (1.2e-5) below 1e-3 or from 1e5. */
export function fmtNum(x: number | null | undefined): string {
  return fmt(x);
}

/** Where a non-finite value appeared, in words. */
export function nonFiniteWhere(lang: Lang, f: NonFiniteFinding): string {
  return nonFiniteText(f, lang);
}

/** The playground control of each run setting a remedy can be about, and its group. */
const CONTROLS: Readonly<Record<string, readonly [UiKey, keyof typeof SETTINGS]>> = {
  clipNorm: ['groupRemedies', 'clip'],
  l2: ['groupRemedies', 'l2'],
  norm: ['groupRemedies', 'norm'],
  residual: ['groupRemedies', 'residual'],
  init: ['groupNetwork', 'init'],
  activation: ['groupNetwork', 'act'],
  depth: ['groupNetwork', 'depth'],
  lr: ['groupTraining', 'lr'],
};

/** The verdict of a probe in `lang`, each remedy followed by where its control is ("Remedies → Clip gradient norm"). */
export function verdictText(lang: Lang, p: ProbeSnapshot): VerdictText {
  const v = verdictIn(p.verdict, lang);
  const remedies = v.remedies.map((text, i) => {
    const setting = p.verdict.said?.remedies[i]?.setting;
    const c = setting ? CONTROLS[setting] : undefined;
    return c ? `${text}${say(lang, 'v.where.control', { path: `${tr(lang, c[0])} → ${SETTINGS[c[1]].label[lang]}` })}` : text;
  });
  return { kind: p.verdict.kind, title: say(lang, `v.title.${p.verdict.kind}` as MessageKey), cause: v.cause, remedies };
}
