/**
 * Report section "The three families": the catalogue's three mind maps
 * (ReLU, tanh and sigmoid families, with identity and softmax) drawn as
 * trees of how each variant descends from its family's root, the links
 * across families, and one card per variant — a small plot of f and f′ on the
 * same axes (inline SVG), formula and derivative, max |f′|, zero-centred,
 * dead zone, cost, advantages and drawbacks. Texts come from the catalogue in
 * the reader's language; the numbers from results.json's `families` part.
 */
import { metaText } from '../../activations/meta-text.js';
import { CATALOGUE, FAMILIES, type ActivationName } from '../../activations/catalogue.js';
import { CROSS_LINKS, LINEAGE } from '../../activations/lineage.js';
import type { Family } from '../../activations/types.js';
import type { FamiliesPart, FamilyMap, FamilyVariant, VariantMeasure } from '../../study/families.js';
import type { StudyResults } from '../../study/types.js';
import { say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { esc, fmt } from '../format.js';
import { h3, notMeasured, said, type RenderedSection } from './common.js';

const W = 160;
const H = 96;
const X0 = -4;
const X1 = 4;
const Y0 = -1.5;
const Y1 = 2.5;

const px = (x: number): number => ((x - X0) / (X1 - X0)) * W;
const py = (y: number): number => H - ((Math.min(Y1, Math.max(Y0, y)) - Y0) / (Y1 - Y0)) * H;

/** An SVG path through the points, broken where a value is not finite. */
function path(xs: readonly number[], ys: readonly number[]): string {
  let d = '';
  let pen = false;
  xs.forEach((x, i) => {
    const y = ys[i];
    if (typeof y !== 'number' || !Number.isFinite(y)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** The small plot of f (solid) and f′ (dashed) of one variant. */
function plot(name: string, m: VariantMeasure, lang: Lang): string {
  const label = esc(say(lang, 'fam.card.plotAria', { name }));
  return `<svg class="fplot" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}"><title>${label}</title><line class="ax" x1="0" x2="${W}" y1="${py(0).toFixed(1)}" y2="${py(0).toFixed(1)}"/><line class="ax" x1="${px(0).toFixed(1)}" x2="${px(0).toFixed(1)}" y1="0" y2="${H}"/><path class="f" d="${path(m.x, m.f)}"/><path class="df" d="${path(m.x, m.df)}"/></svg>`;
}

const familyName = (f: Family, lang: Lang): string => say(lang, `term.family.${f}` as MessageKey);

/** The tree of one family: each variant under its parent, with what it changes. */
function tree(map: FamilyMap, lang: Lang): string {
  const names = map.variants.map((v) => v.name);
  const node = (n: ActivationName): string => {
    const kids = names.filter((c) => LINEAGE[c].parent === n);
    const how = esc(LINEAGE[n].how[lang]);
    const isRoot = LINEAGE[n].parent === null;
    return `<li><a href="#fam-${esc(n)}"><code>${esc(n)}</code></a>${isRoot ? ` <span class="root">${esc(say(lang, 'fam.root'))}</span>` : ''} <span class="how">${how}</span>${kids.length ? `<ul>${kids.map(node).join('')}</ul>` : ''}</li>`;
  };
  const roots = names.filter((n) => LINEAGE[n].parent === null || !names.includes(LINEAGE[n].parent!));
  return `<ul class="tree" aria-label="${esc(say(lang, 'fam.map', { family: familyName(map.family, lang) }))}">${roots.map(node).join('')}</ul>`;
}

/** The cross-family links that touch this family, and its see-also entries. */
function links(map: FamilyMap, lang: Lang): string {
  const mine = new Set(map.variants.map((v) => v.name));
  const rows = CROSS_LINKS.filter((l) => mine.has(l.a) || mine.has(l.b)).map((l) => {
    const other = mine.has(l.a) ? l.b : l.a;
    const self = mine.has(l.a) ? l.a : l.b;
    return `<li><code>${esc(self)}</code> — <a href="#fam-${esc(other)}"><code>${esc(other)}</code></a> <span class="dim">(${esc(familyName(CATALOGUE[other].family, lang))})</span>: ${esc(l.how[lang])}</li>`;
  });
  const seeAlso = (FAMILIES.find((f) => f.id === map.family)?.seeAlso ?? []).map((n) => `<li>${esc(say(lang, 'fam.seeAlso', { name: n, family: familyName(CATALOGUE[n].family, lang) }))}</li>`);
  if (rows.length + seeAlso.length === 0) return '';
  return `<p class="links-head">${esc(say(lang, 'fam.links'))}</p><ul class="xlinks">${rows.join('')}${seeAlso.join('')}</ul>`;
}

const yesNo = (b: boolean, lang: Lang): string => say(lang, b ? 'term.yes' : 'term.no');

/** One variant's card. */
function card(v: FamilyVariant, lang: Lang): string {
  const def = CATALOGUE[v.name];
  const m = def.meta;
  const ms = v.measured;
  const row = (k: MessageKey, val: string): string => `<tr><th>${esc(say(lang, k))}</th><td>${val}</td></tr>`;
  const rows = [
    row('fam.card.formula', `<code>${esc(m.formula.text)}</code>`),
    row('fam.card.derivative', `<code>${esc(metaText(m.derivative.text, lang))}</code>`),
    row('fam.card.dmax', esc(ms ? say(lang, 'fam.card.dmaxAt', { v: fmt(ms.maxAbsDf, 4), x: fmt(ms.argmaxAbsDf) }) : fmt(m.derivativeMax, 4))),
    row('fam.card.zeroCentred', esc(ms ? say(lang, 'fam.card.zeroCentredValue', { yes: yesNo(m.zeroCentred, lang), mean: fmt(Math.abs(ms.meanOut) < 1e-12 ? 0 : ms.meanOut) }) : yesNo(m.zeroCentred, lang))),
    row('fam.card.deadZone', esc(m.deadZone ? (ms ? say(lang, 'fam.card.deadZoneValue', { zone: metaText(m.deadZone, lang), p: fmt(ms.deadProb) }) : metaText(m.deadZone, lang)) : say(lang, 'term.none'))),
    row('fam.card.saturates', esc(m.saturates[lang] || say(lang, 'term.never'))),
    ...(ms ? [row('fam.card.gain', esc(fmt(ms.meanSqDf)))] : []),
    row('fam.card.cost', esc(String(m.cost))),
    ...(def.params.length ? [row('fam.card.params', def.params.map((p) => `<code>${esc(p.name)} = ${esc(p.default)}</code>`).join(', '))] : []),
  ];
  const list = (xs: readonly string[]): string => `<ul>${xs.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
  const pic = ms ? plot(v.name, ms, lang) : `<p class="note">${esc(say(lang, 'fam.card.noCurve', { name: v.name }))}</p>`;
  return `<article class="fcard" id="fam-${esc(v.name)}">
<h4><code>${esc(v.name)}</code></h4>
<div class="fcard-top">${pic}<p class="fsum">${esc(m.summary[lang])}</p></div>
<table class="compact fprops"><tbody>${rows.join('')}</tbody></table>
<div class="procon"><div><p class="pc-head">${esc(say(lang, 'fam.card.pros'))}</p>${list(m.advantages[lang])}</div><div><p class="pc-head">${esc(say(lang, 'fam.card.cons'))}</p>${list(m.drawbacks[lang])}</div></div>
<p class="note">${esc(say(lang, 'fam.card.paper'))}${lang === 'en' ? ': ' : '：'}${esc(m.paper.authors)}, <cite>${esc(m.paper.title)}</cite>, ${esc(m.paper.year)}</p>
</article>`;
}

/** E[f′(X)²] of one entry, when measured. */
function gain(p: FamiliesPart, name: ActivationName): number | null {
  for (const map of p.maps) for (const v of map.variants) if (v.name === name) return v.measured?.meanSqDf ?? null;
  return null;
}

/** Section "The three families". */
export function familiesSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const title = say(lang, 'fam.title');
  const p = r.families;
  if (!p || p.maps.length === 0) return { id: 'families', title, html: notMeasured(say(lang, 'fam.missing'), lang), charts: [] };
  const count = p.maps.reduce((s, m) => s + m.variants.length, 0);
  const sigmoidFamily = p.maps.find((m) => m.family === 'sigmoid')?.variants ?? [];
  const maxSig = Math.max(...sigmoidFamily.map((v) => v.measured?.meanSqDf ?? 0));
  const html = [
    `<p>${esc(say(lang, 'fam.intro', { n: count }))}</p>`,
    said('Claim', esc(say(lang, 'fam.claim')), lang),
    said('Meaning', esc(say(lang, 'fam.meaning', { sig: fmt(maxSig), tanh: fmt(gain(p, 'tanh')), relu: fmt(gain(p, 'relu')) })), lang),
    `<p class="legend">${esc(say(lang, 'fam.legend'))}</p>`,
    ...p.maps.map((map) => {
      const info = FAMILIES.find((f) => f.id === map.family);
      return [
        h3(esc(info ? info.title[lang] : familyName(map.family, lang)), `fam-map-${map.family}`),
        info ? `<p>${esc(info.summary[lang])}</p>` : '',
        `<div class="fmap">${tree(map, lang)}${links(map, lang)}</div>`,
        `<div class="fcards">${map.variants.map((v) => card(v, lang)).join('\n')}</div>`,
      ].join('\n');
    }),
  ].join('\n');
  return { id: 'families', title, html, charts: [] };
}
