/**
 * `gradscope theory`: mean-field signal propagation for one activation and
 * (σ_w², σ_b²) — q*, c*, χ₁, χ_c, the depth scales, the phase and the
 * critical σ_w² — or, with --critical, the σ_w² of the edge of chaos for a
 * bias variance, and the point there.
 */
import { ValueError } from '../../errors.js';
import { Command } from 'commander';
import { analyse, criticalChoice, criticalSigmaW2, CRITICAL_TOLERANCE, theoryAct, type TheoryPoint } from '../../theory/index.js';
import { color, num } from '../format.js';
import { numberOption, printJson, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import { collect, parseParams } from '../params.js';

interface TheoryOpts {
  act: string;
  param: string[];
  sigmaW2?: string;
  sigmaB2?: string;
  q0: string;
  critical?: boolean;
  json?: boolean;
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

function printPoint(p: TheoryPoint, init: ReturnType<typeof criticalChoice> | null): void {
  const w = (s: string) => process.stdout.write(s);
  const ps = Object.entries(p.params).map(([k, v]) => ` ${k}=${v}`).join('');
  const paint = p.phase === 'critical' ? color.green : p.phase === 'chaotic' ? color.red : color.yellow;
  w(`${color.bold('theory')} act=${p.act}${ps}  σ_w² = ${p.sigmaW2}  σ_b² = ${p.sigmaB2}  (wide random network, W ~ N(0, σ_w²/n_in), b ~ N(0, σ_b²); from q⁰ = ${p.q0})\n\n`);
  const row = (k: string, v: string, what: string) => w(`  ${k.padEnd(10)} ${v.padStart(12)}   ${what}\n`);
  row('q*', num(p.qStar, 6), 'fixed point of the length map q ↦ σ_w²·E[φ(√q z)²] + σ_b²');
  row('c*', num(p.cStar, 6), 'fixed point of the correlation map between two inputs');
  row('χ₁', num(p.chi1, 6), "σ_w²·E[φ′(√q* z)²]: E‖δ‖² changes by this factor per layer");
  row('χ_c', num(p.chiC, 6), 'slope of the correlation map at c*');
  row('ξ_∇', num(p.gradDepthScale, 4), '−1/ln χ₁: layers per factor e in E‖δ‖² (negative: it grows)');
  row('ξ_c', num(p.corrDepthScale, 4), '−1/ln χ_c: layers over which correlations reach c*; trainable to ≈ 6 ξ_c');
  w(`\n  phase: ${paint(p.phase)} (critical when |χ₁ − 1| ≤ ${CRITICAL_TOLERANCE}; ${p.phase === 'ordered' ? 'gradients vanish toward the input, inputs become alike' : p.phase === 'chaotic' ? 'gradients explode toward the input, nearby inputs decorrelate' : 'gradients keep their size'})\n`);
  w(`  critical σ_w² for σ_b² = ${p.sigmaB2}: ${p.criticalSigmaW2 === null ? 'none (χ₁ stays below 1 until the variance grows without bound)' : num(p.criticalSigmaW2, 8)}\n`);
  if (init) w(`  init 'critical${p.sigmaB2 === 0 ? '' : `:${p.sigmaB2}`}' would use σ_w² = ${num(init.sigmaW2, 6)} (${init.rule}; χ₁ = ${num(init.chi1, 6)} there)\n`);
  w(`  integrals: ${p.method}\n`);
}

/** Builds the `theory` command. */
export function theoryCommand(state: RunState): Command {
  return new Command('theory')
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
        if (o.sigmaW2 !== undefined) throw new UsageError('--critical solves for σ_w²; give --sigma-b2 only, not --sigma-w2');
        const s = criticalSigmaW2(act, sb2, q0);
        if (s === null) {
          throw new ValueError(
            sb2,
            `theory: ${act.name} with σ_b² = ${sb2} has no critical σ_w²: χ₁ stays below 1 until the variance grows without bound${act.negSlope !== null ? ` (χ₁ = σ_w²·${num((1 + act.negSlope ** 2) / 2, 6)} at every q, and with σ_b² > 0 the variance grows by σ_b² per layer at χ₁ = 1)` : ''}; the 'critical' initialiser preserves a unit variance instead`,
            true,
          );
        }
        sw2 = s;
      } else {
        if (o.sigmaW2 === undefined) throw new UsageError('theory needs --sigma-w2 X (or --critical to solve for it)');
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
      else printPoint(point, init);
      state.code = 0;
    });
}
