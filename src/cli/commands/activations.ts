/**
 * `gradscope activations`: the catalogue — a table by family, one entry in
 * full with a terminal plot of f and f', and exact evaluation in float64.
 */
import asciichart from 'asciichart';
import { Command } from 'commander';
import { ACTIVATIONS, evalActivation, getActivation, resolveParams } from '../../activations/catalogue.js';
import type { ActivationDef, Family, Lang } from '../../activations/types.js';
import { gapAfter, say, type MessageKey, msg } from '../../i18n/catalogue.js';
import { color, num, padEnd, width } from '../format.js';
import { printJson, usageError, flagUsage } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { metaText } from '../../activations/meta-text.js';
import { collect, parseParams } from '../params.js';
import { compactTable } from '../table.js';

const familyTitle = (f: Family, lang: Lang): string => say(lang, `term.family.${f}` as MessageKey);
const yesNo = (b: boolean, lang: Lang): string => say(lang, b ? 'term.yes' : 'term.no');

/** A JSON-ready summary of an entry in one language. */
export function entryJson(def: ActivationDef, lang: Lang) {
  const m = def.meta;
  return {
    name: def.name,
    family: def.family,
    kind: def.kind,
    params: def.params.map((p) => ({ name: p.name, default: p.default, learnable: p.learnable, min: p.min, max: p.max, doc: p.doc[lang] })),
    formula: m.formula,
    derivative: m.derivative,
    range: m.range,
    derivativeRange: m.derivativeRange,
    derivativeMax: m.derivativeMax,
    derivativeAtZero: m.derivativeAtZero,
    zeroCentred: m.zeroCentred,
    monotonic: m.monotonic,
    smooth: m.smooth,
    boundedAbove: m.boundedAbove,
    boundedBelow: m.boundedBelow,
    saturates: m.saturates[lang],
    deadZone: m.deadZone,
    cost: m.cost,
    kinks: m.kinks.map((k) => ({ at: k.at, derivative: k.derivative, convention: k.convention[lang] })),
    summary: m.summary[lang],
    advantages: m.advantages[lang],
    drawbacks: m.drawbacks[lang],
    paper: m.paper,
    related: m.related,
  };
}

function parseFamily(v: string | undefined): Family | undefined {
  if (v === undefined) return undefined;
  const f = v.replace(/-family$/, '');
  if (f === 'relu' || f === 'tanh' || f === 'sigmoid' || f === 'other') return f;
  throw flagUsage('--family', msg('err.gotTyped', { clause: msg('err.oneOf', { list: 'relu, tanh, sigmoid, other' }), value: v }));
}

function list(o: { family?: string; json?: boolean; lang?: string }): void {
  const lang = langOf(o);
  const fam = parseFamily(o.family);
  const defs = ACTIVATIONS.filter((d) => fam === undefined || d.family === fam);
  if (o.json) {
    printJson({ count: defs.length, activations: defs.map((d) => entryJson(d, lang)) });
    return;
  }
  for (const family of ['relu', 'tanh', 'sigmoid', 'other'] as Family[]) {
    const group = defs.filter((d) => d.family === family);
    if (group.length === 0) continue;
    process.stdout.write(`\n${color.bold(familyTitle(family, lang))} (${group.length})\n`);
    const cols: MessageKey[] = ['cli.act.col.name', 'cli.act.col.range', 'cli.act.col.d0', 'cli.act.col.dmax', 'cli.act.col.zeroCentred', 'cli.act.col.monotonic', 'cli.act.col.smooth', 'cli.act.col.deadZone', 'cli.act.col.cost', 'cli.act.col.year'];
    const t = compactTable(cols.map((k) => say(lang, k)));
    for (const d of group) {
      const m = d.meta;
      const range = metaText(m.range, lang);
      t.push([d.name, width(range) > 18 ? `${range.slice(0, 17)}…` : range, num(m.derivativeAtZero), num(m.derivativeMax), yesNo(m.zeroCentred, lang), yesNo(m.monotonic, lang), yesNo(m.smooth, lang), metaText(m.deadZone, lang) || '—', String(m.cost), String(m.paper.year)]);
    }
    process.stdout.write(`${t.toString()}\n`);
  }
  process.stdout.write(`\n${say(lang, 'cli.act.count', { n: defs.length })}\n`);
}

function plot(def: ActivationDef, p: readonly number[]): string {
  const xs = Array.from({ length: 61 }, (_, i) => -6 + (12 * i) / 60);
  const f = xs.map((x) => def.f(x, p));
  const d = xs.map((x) => def.df(x, p));
  return asciichart.plot([f, d], { height: 14, colors: [asciichart.blue, asciichart.red], format: (x: number) => x.toFixed(2).padStart(7) });
}

function show(name: string, o: { lang?: string; json?: boolean; param: string[] }): void {
  const lang = langOf(o);
  const def = getActivation(name);
  if (o.json) {
    printJson(entryJson(def, lang));
    return;
  }
  const m = def.meta;
  const w = (s: string) => process.stdout.write(s);
  const kind = def.kind !== 'elementwise' ? ` (${say(lang, `term.kind.${def.kind}` as MessageKey)})` : '';
  w(`${color.bold(def.name)} — ${familyTitle(def.family, lang)}${kind}\n\n${m.summary[lang]}\n\n`);
  w(`  f(x)   ${m.formula.text}\n  f'(x)  ${metaText(m.derivative.text, lang)}\n`);
  w(`  LaTeX  ${m.formula.latex}\n`);
  if (def.params.length) {
    w(`\n${say(lang, 'cli.act.parameters')}\n`);
    for (const p of def.params) w(`  ${p.name} = ${p.default}${p.learnable ? ` ${say(lang, 'cli.act.learnable')}` : ''} — ${p.doc[lang]}\n`);
  }
  w(`\n${say(lang, 'cli.act.properties')}\n`);
  const rows: [MessageKey, string][] = [
    ['cli.act.prop.range', metaText(m.range, lang)],
    ['cli.act.prop.drange', metaText(m.derivativeRange, lang)],
    ['cli.act.prop.dmax', num(m.derivativeMax, 6)],
    ['cli.act.prop.d0', num(m.derivativeAtZero, 6)],
    ['cli.act.prop.zeroCentred', yesNo(m.zeroCentred, lang)],
    ['cli.act.prop.monotonic', yesNo(m.monotonic, lang)],
    ['cli.act.prop.smooth', yesNo(m.smooth, lang)],
    ['cli.act.prop.bounded', `${yesNo(m.boundedAbove, lang)} / ${yesNo(m.boundedBelow, lang)}`],
    ['cli.act.prop.saturates', m.saturates[lang] || say(lang, 'term.never')],
    ['cli.act.prop.deadZone', metaText(m.deadZone, lang) || say(lang, 'term.none')],
    ['cli.act.prop.cost', String(m.cost)],
  ];
  // labels padded to the widest in terminal columns (a Chinese character takes two)
  const labels = rows.map(([k]) => say(lang, k));
  const lw = Math.max(...labels.map((l) => width(l)));
  rows.forEach(([, v], i) => w(`  ${padEnd(labels[i], lw)}  ${v}\n`));
  if (m.kinks.length) {
    w(`\n${say(lang, 'cli.act.kinks')}\n`);
    for (const k of m.kinks) w(`  ${say(lang, 'cli.act.kink', { at: String(k.at), d: String(k.derivative), why: k.convention[lang] })}\n`);
  }
  w(`\n${color.green(say(lang, 'cli.act.advantages'))}\n${m.advantages[lang].map((s) => `  + ${s}\n`).join('')}`);
  w(`${color.red(say(lang, 'cli.act.drawbacks'))}\n${m.drawbacks[lang].map((s) => `  − ${s}\n`).join('')}`);
  w(`\n${say(lang, 'cli.act.paper')}${gapAfter(say(lang, 'cli.act.paper'))}${m.paper.authors}, "${m.paper.title}", ${m.paper.year}${m.paper.venue ? ` (${m.paper.venue})` : ''}\n`);
  if (m.related.length) w(`${say(lang, 'cli.act.related')}${gapAfter(say(lang, 'cli.act.related'))}${m.related.join(', ')}\n`);
  if (def.kind === 'elementwise') {
    const p = resolveParams(def, parseParams(o.param));
    w(`\n${say(lang, 'cli.act.plot', { f: color.blue('f(x)'), df: color.red("f'(x)") })}\n${plot(def, p)}\n`);
  }
}

function evaluate(name: string, o: { at?: string; param: string[]; json?: boolean }): void {
  if (o.at === undefined) throw usageError([], msg('err.act.needsAt', { cmd: 'activations eval' }));
  const xs = o.at.split(',').map((s) => {
    const v = Number(s);
    if (s.trim() === '' || Number.isNaN(v)) throw usageError(['--at'], msg('err.act.atNumber', { s }));
    if (!Number.isFinite(v)) throw usageError(['--at'], msg('err.act.atFinite', { s, v: String(v) }));
    return v;
  });
  const r = evalActivation(name, xs, parseParams(o.param));
  if (o.json) {
    printJson(r);
    return;
  }
  const t = compactTable(['x', `${r.name}(x)`, `${r.name}'(x)`]);
  r.x.forEach((x, i) => t.push([String(x), String(r.y[i]), String(r.dy[i])]));
  process.stdout.write(`${t.toString()}\n`);
}

/** Builds the `activations` command with its `show` and `eval` subcommands. */
export function activationsCommand(state: RunState): Command {
  const cmd = new Command('activations')
    .description('the activation catalogue: ReLU, tanh and sigmoid families')
    .option('--family <f>', 'only one family: relu, tanh, sigmoid, other')
    .option('--json', 'print one JSON document')
    .action((o: { family?: string; json?: boolean; lang?: string }) => {
      list(o);
      state.code = 0;
    });
  addLangOption(cmd);
  addLangOption(
    cmd
      .command('show')
      .description('one entry in full: formula, derivative, properties, pros and cons, a plot')
      .argument('<name>', 'activation name'),
  )
    .option('--param <k=v>', 'parameter for the plot (repeatable)', collect, [] as string[])
    .option('--json', 'print one JSON document')
    .action((name: string, _o: unknown, c: Command) => {
      // --json and --lang may also be written where the parent command would take them
      show(name, c.optsWithGlobals<{ lang?: string; json?: boolean; param: string[] }>());
      state.code = 0;
    });
  cmd
    .command('eval')
    .description('f and f\' at given points, in float64')
    .argument('<name>', 'activation name')
    .option('--at <xs>', 'comma-separated points, e.g. -1,0,1')
    .option('--param <k=v>', 'parameter value (repeatable), e.g. negative_slope=0.2', collect, [] as string[])
    .option('--json', 'print {"name","x","y","dy"}')
    .action((name: string, _o: unknown, c: Command) => {
      evaluate(name, c.optsWithGlobals<{ at?: string; param: string[]; json?: boolean }>());
      state.code = 0;
    });
  return cmd;
}
