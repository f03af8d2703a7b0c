/**
 * `gradscope theory`: mean-field signal propagation for one activation and
 * (σ_w², σ_b²) — q*, c*, χ₁, χ_c, the depth scales, the phase and the
 * critical σ_w² — or, with --critical, the σ_w² of the edge of chaos for a
 * bias variance, and the point there.
 */
import { Command } from 'commander';
import { analyse, criticalChoice, criticalSigmaW2, CRITICAL_TOLERANCE, theoryAct, type TheoryPoint } from '../../theory/index.js';
import { color, num } from '../format.js';
import { numberOption, printJson, usageError } from '../io.js';
import type { RunState } from '../main.js';
import { say, type MessageKey, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { addLangOption, langOf } from '../lang.js';
import { collect, parseParams } from '../params.js';

interface TheoryOpts {
  act: string;
  param: string[];
  sigmaW2?: string;
  sigmaB2?: string;
  q0: string;
  critical?: boolean;
  json?: boolean;
  lang?: string;
}

/** The JSON document of `gradscope theory` (infinite depth scales become null). */
export function theoryJson(p: TheoryPoint, init: ReturnType<typeof criticalChoice> | null) {
  return {
    act: p.act,
    params: p.params,
    sigmaW2: p.sigmaW2,
    sigmaB2: p.sigmaB2,
    q0: p.q0,
    qStar: p.qStar,
    cStar: p.cStar,
    chi1: p.chi1,
    chiC: p.chiC,
    gradDepthScale: p.gradDepthScale,
    corrDepthScale: p.corrDepthScale,
    phase: p.phase,
    criticalSigmaW2: p.criticalSigmaW2,
    method: p.method,
    criticalInit: init ? { rule: init.rule, sigmaW2: init.sigmaW2, chi1: init.chi1 } : null,
  };
}

/** The quadrature `analyse` used, in the reader's language (the method names stay as mathematicians write them). */
function methodText(method: string, lang: Lang): string {
  if (lang === 'en') return method;
  if (method.startsWith('closed form')) return '封閉形式（分段線性：反餘弦核）';
  if (method.startsWith('exact')) return '精確（變異數為 0）';
  return method.replace(/, (\d+) nodes$/, '，$1 個節點').replace(/ panels \((\d+) nodes each\) split at the kinks$/, ' 分段（每段 $1 個節點），在轉折點處切開');
}

function printPoint(p: TheoryPoint, init: ReturnType<typeof criticalChoice> | null, lang: Lang): void {
  const w = (s: string) => process.stdout.write(s);
  const ps = Object.entries(p.params).map(([k, v]) => ` ${k}=${v}`).join('');
  const paint = p.phase === 'critical' ? color.green : p.phase === 'chaotic' ? color.red : color.yellow;
  w(`${color.bold('gradscope theory')}  ${p.act}${ps}  σ_w² = ${p.sigmaW2}  σ_b² = ${p.sigmaB2}  ${say(lang, 'cli.theory.head', { q0: p.q0 })}\n\n`);
  const row = (k: string, v: string, what: MessageKey) => w(`  ${k.padEnd(10)} ${v.padStart(12)}   ${say(lang, what)}\n`);
  row('q*', num(p.qStar, 6), 'cli.theory.qStar');
  row('c*', num(p.cStar, 6), 'cli.theory.cStar');
  row('χ₁', num(p.chi1, 6), 'cli.theory.chi1');
  row('χ_c', num(p.chiC, 6), 'cli.theory.chiC');
  row('ξ_∇', num(p.gradDepthScale, 4), 'cli.theory.xiGrad');
  row('ξ_c', num(p.corrDepthScale, 4), 'cli.theory.xiCorr');
  const why = say(lang, `cli.theory.why.${p.phase}`);
  w(`\n  ${say(lang, 'cli.theory.phaseLine', { phase: paint(say(lang, `cli.theory.phase.${p.phase}`)), why: say(lang, 'cli.theory.phaseWhy', { tol: CRITICAL_TOLERANCE, why }) })}\n`);
  w(`  ${say(lang, 'cli.theory.critical', { b: p.sigmaB2, value: p.criticalSigmaW2 === null ? say(lang, 'cli.theory.noCritical') : num(p.criticalSigmaW2, 8) })}\n`);
  if (init) w(`  ${say(lang, 'cli.theory.init', { name: `critical${p.sigmaB2 === 0 ? '' : `:${p.sigmaB2}`}`, w: num(init.sigmaW2, 6), rule: say(lang, `cli.theory.rule.${init.rule}`), chi: num(init.chi1, 6) })}\n`);
  w(`  ${say(lang, 'cli.theory.integrals', { method: methodText(p.method, lang) })}\n`);
}

/** Builds the `theory` command. */
export function theoryCommand(state: RunState): Command {
  return addLangOption(new Command('theory'))
    .description('mean-field signal propagation: q*, c*, χ₁, χ_c, depth scales, the phase and the critical σ_w² (Poole et al. 2016; Schoenholz et al. 2017)')
    .option('--act <name>', 'activation', 'tanh')
    .option('--param <k=v>', 'activation parameter (repeatable)', collect, [] as string[])
    .option('--sigma-w2 <x>', 'weight variance σ_w² (W ~ N(0, σ_w²/n_in)), > 0')
    .option('--sigma-b2 <x>', 'bias variance σ_b² (b ~ N(0, σ_b²)), ≥ 0', '0')
    .option('--critical', 'solve for the σ_w² at the edge of chaos (χ₁ = 1) for --sigma-b2')
    .option('--q0 <x>', 'variance of the input pre-activations the length map starts from', '1')
    .option('--json', 'print one JSON document')
    .action((o: TheoryOpts) => {
      const params = parseParams(o.param);
      const act = theoryAct(o.act, params);
      const sb2 = numberOption('--sigma-b2', o.sigmaB2, { min: 0 })!;
      const q0 = numberOption('--q0', o.q0, { min: 0, exclusiveMin: true })!;
      let sw2: number;
      if (o.critical) {
        if (o.sigmaW2 !== undefined) throw usageError([], msg('err.theory.critical'));
        const s = criticalSigmaW2(act, sb2, q0);
        if (s === null) {
          const tail = act.negSlope !== null ? msg('err.theory.noCriticalTail', { k: num((1 + act.negSlope ** 2) / 2, 6) }) : '';
          throw usageError(['theory'], msg('err.theory.noCritical', { act: act.name, sb2: String(sb2), tail, init: "'critical'" }));
        }
        sw2 = s;
      } else {
        if (o.sigmaW2 === undefined) throw usageError([], msg('err.theory.needsSigma', { cmd: 'theory' }));
        sw2 = numberOption('--sigma-w2', o.sigmaW2, { min: 0, exclusiveMin: true })!;
      }
      const point = analyse(act, { sigmaW2: sw2, sigmaB2: sb2 }, q0);
      let init: ReturnType<typeof criticalChoice> | null = null;
      try {
        init = criticalChoice(act.name, params, sb2);
      } catch {
        init = null; // σ_b² ≥ 1 leaves the variance-preserving rule without a solution
      }
      if (o.json) printJson(theoryJson(point, init));
      else printPoint(point, init, langOf(o as unknown as Record<string, unknown>));
      state.code = 0;
    });
}
