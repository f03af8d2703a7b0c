/**
 * Report section for study stage 3: activation × depth — the first-to-last
 * gradient ratio at initialisation as a coloured grid, test accuracy, the
 * per-layer norms of the deepest networks, and norms during training.
 */
import type { ActDepthRun, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, layerColor, lineChart, points, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtInt, fmtLog10, fmtPct, isNum, verdictLetter, type MaybeNumber } from '../format.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { listIn } from '../../i18n/number.js';
import { nonFiniteText, verdictIn } from '../say.js';
import { h3, notMeasured, saidMsg, table, type Cell, type RenderedSection } from './common.js';

/** Cell colours of the ratio grid (the verdict's thresholds: vanishing below 1e-2, exploding above 1e2). */
export const VERDICT_BG = { vanishing: '#f6c6c1', exploding: '#fbd59b', fine: '#cfeccf', unknown: '#e6e6e6' } as const;

/** The background of a first-to-last cell: red below 1e-2, orange above 1e2 (or non-finite), green otherwise. */
export function ratioBg(ratio: MaybeNumber, verdictKind?: string): string {
  if (ratio === Infinity || (!isNum(ratio) && verdictKind === 'exploding')) return VERDICT_BG.exploding;
  if (isNum(ratio)) return ratio < 1e-2 ? VERDICT_BG.vanishing : ratio > 1e2 ? VERDICT_BG.exploding : VERDICT_BG.fine;
  return VERDICT_BG.unknown;
}

const kindWord = (kind: string | undefined, lang: Lang): string => (kind ? say(lang, `term.verdict.${kind}` as MessageKey) : say(lang, 'ad.noVerdict'));

function hover(run: ActDepthRun, lang: Lang): string {
  const v = run.verdict;
  const said = v ? verdictIn(v, lang) : null;
  const parts = [say(lang, 'ad.hover', { act: run.activation, depth: run.depth, init: run.init, kind: kindWord(v?.kind, lang) }), said?.cause ?? ''];
  if (said?.remedies.length) parts.push(say(lang, 'ad.remedy', { r: said.remedies[0] }));
  if (run.nonFinite) parts.push(nonFiniteText(run.nonFinite, lang));
  return parts.filter(Boolean).join(' ');
}

function grid(r: StudyResults, cell: (run: ActDepthRun) => Cell, lang: Lang): string {
  const s = r.activationDepth;
  const find = (a: string, d: number) => s.runs.find((x) => x.activation === a && x.depth === d);
  const rows = s.activations.map((a) => [{ html: `<strong>${esc(a)}</strong> <span class="dim">${esc(s.inits?.[a] ?? '')}</span>` } as Cell, ...s.depths.map((d) => {
    const run = find(a, d);
    return run ? cell(run) : ({ text: say(lang, 'ad.notRun'), num: true } as Cell);
  })]);
  return table([{ head: say(lang, 'ad.col.act') }, ...s.depths.map((d) => ({ head: say(lang, 'ad.col.depth', { d }), num: true }))], rows, undefined, 'grid');
}

function bestAt(runs: readonly ActDepthRun[], depth: number): ActDepthRun | undefined {
  return runs.filter((x) => x.depth === depth && isNum(x.testAccuracy)).sort((a, b) => b.testAccuracy - a.testAccuracy)[0];
}

function byVerdict(runs: readonly ActDepthRun[], lang: Lang): string {
  const groups = new Map<string | undefined, string[]>();
  for (const run of runs) groups.set(run.verdict?.kind, [...(groups.get(run.verdict?.kind) ?? []), run.activation]);
  return [...groups.entries()].map(([k, acts]) => `${kindWord(k, lang)}${lang === 'en' ? ': ' : '：'}${acts.join(lang === 'en' ? ', ' : '、')}`).join(lang === 'en' ? '; ' : '；');
}

/** Section "Activation × depth", in `lang`. */
export function actDepthSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const s = r.activationDepth;
  const charts: ChartSpec[] = [];
  const title = say(lang, 'ad.title');
  const out: string[] = [saidMsg('Claim', lang, 'ad.claim')];
  if ((s.runs ?? []).length === 0 || (s.activations ?? []).length === 0 || (s.depths ?? []).length === 0) {
    out.push(notMeasured(say(lang, 'ad.missing'), lang));
    return { id: 'activation-depth', title, html: out.join('\n'), charts };
  }
  const inits = s.activations.map((a) => `${a} → ${s.inits?.[a] ?? '?'}`).join(lang === 'en' ? ', ' : '、');
  const swatch = (bg: string): { html: string } => ({ html: `<span class="swatch" style="background:${bg}"></span>` });
  out.push(
    saidMsg('Measured', lang, 'ad.measured', { inits, depths: listIn(lang, s.depths), width: s.width, steps: s.steps, opt: s.optimizer, lr: fmt(s.lr), batch: s.batch, loss: s.loss, seed: s.seed, train: fmtInt(s.trainSize), test: fmtInt(s.testSize) }),
    h3(esc(say(lang, 'ad.gridTitle'))),
    grid(r, (run) => {
      const letter = verdictLetter(run.verdict?.kind);
      return { html: `${esc(fmtLog10(run.firstToLast))} <span class="verdict">${esc(letter)}</span>`, num: true, title: hover(run, lang), bg: ratioBg(run.firstToLast, run.verdict?.kind) };
    }, lang),
    `<p class="legend">${sayHtml(lang, 'ad.legend', { v: swatch(VERDICT_BG.vanishing), e: swatch(VERDICT_BG.exploding), f: swatch(VERDICT_BG.fine) })}</p>`,
    h3(esc(say(lang, 'ad.accTitle'))),
    grid(r, (run) => {
      const best = bestAt(s.runs, run.depth);
      if (run.nonFinite || !isNum(run.testAccuracy)) return { text: say(lang, 'ad.diverged'), num: true, title: run.nonFinite ? nonFiniteText(run.nonFinite, lang) : say(lang, 'ad.noAcc') };
      return { text: fmtPct(run.testAccuracy), num: true, bold: best === run, title: say(lang, 'ad.accHover', { loss: fmt(run.finalLoss), secs: fmt(run.seconds) }) };
    }, lang),
    `<p class="legend">${esc(say(lang, 'ad.accLegend'))}</p>`,
  );
  const deepest = Math.max(...s.depths);
  const deepRuns = s.runs.filter((x) => x.depth === deepest);
  if (deepRuns.length > 0) {
    charts.push(
      lineChart(
        'actdepth-init',
        deepRuns.map((run, i) => ({ label: run.activation, points: indexed(run.initNorms ?? [], true, 1), color: color(i), pointRadius: 2 })),
        { x: say(lang, 'ad.layerAxis'), y: say(lang, 'ad.initAxis'), logY: true, integerX: true },
      ),
    );
    out.push(h3(esc(say(lang, 'ad.initTitle', { d: deepest }))), figure('actdepth-init', esc(say(lang, 'ad.initFig', { d: deepest })), 360));
  }
  // a few runs during training: the deepest networks of contrasting activations
  const prefer = ['sigmoid', 'tanh', 'relu'];
  const chosen = [...prefer.map((a) => deepRuns.find((x) => x.activation === a)), ...deepRuns].filter((x): x is ActDepthRun => x !== undefined);
  const few = [...new Set(chosen)].slice(0, 3).filter((x) => (x.during?.steps ?? []).length > 0);
  if (few.length > 0) {
    out.push(h3(esc(say(lang, 'ad.duringTitle'))), `<p>${esc(say(lang, 'ad.duringHelp'))}</p><div class="grid3">`);
    few.forEach((run, k) => {
      const id = `actdepth-during-${k}`;
      const L = run.during.norms.length;
      charts.push(lineChart(id, run.during.norms.map((ys, l) => ({ label: say(lang, 'ad.layer', { l: l + 1 }), points: points(run.during.steps, ys, true), color: layerColor(l, L), width: 1.5 })), { x: say(lang, 'ad.step'), y: say(lang, 'ad.logAxis'), logY: true, integerX: true, legend: L <= 6 }));
      out.push(figure(id, `${esc(say(lang, 'ad.duringFig', { act: run.activation, d: run.depth }))}${run.nonFinite ? ` — ${esc(nonFiniteText(run.nonFinite, lang))}` : ''}`, 280));
    });
    out.push('</div>');
  } else {
    out.push(h3(esc(say(lang, 'ad.duringTitle'))), notMeasured(say(lang, 'ad.duringMissing'), lang));
  }
  const best = bestAt(s.runs, deepest);
  out.push(saidMsg('Meaning', lang, 'ad.meaning', { d: deepest, verdicts: byVerdict(deepRuns, lang) || '—', best: best ? say(lang, 'ad.best', { acc: fmtPct(best.testAccuracy), act: best.activation }) : '' }));
  return { id: 'activation-depth', title, html: out.join('\n'), charts };
}
