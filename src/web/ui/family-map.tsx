/**
 * The activation families as a map: one panel per family (ReLU, tanh,
 * sigmoid, and identity/softmax), each listing its members as chips with a
 * thumbnail of f and f′, plus dashed chips for related entries of other
 * families. The selected entry's relatives are outlined across the map.
 */
import { CATALOGUE, FAMILIES, type ActivationName } from '../../activations/catalogue.js';
import type { ActivationDef, Lang } from '../../activations/types.js';
import { tr } from '../i18n.js';

const THUMB_W = 44;
const THUMB_H = 26;

/** SVG paths of f (solid) and f′ (dashed) on x ∈ [−4, 4], y ∈ [−1.5, 2.5]. */
function thumbPaths(def: ActivationDef): { f: string; df: string } | null {
  if (def.kind !== 'elementwise') return null;
  const p = def.params.map((s) => s.default);
  const path = (g: (x: number) => number): string => {
    let d = '';
    for (let i = 0; i <= 40; i++) {
      const x = -4 + (8 * i) / 40;
      const y = Math.min(2.5, Math.max(-1.5, g(x)));
      const px = (i / 40) * THUMB_W;
      const py = THUMB_H - ((y + 1.5) / 4) * THUMB_H;
      d += `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
    }
    return d;
  };
  return { f: path((x) => def.f(x, p)), df: path((x) => def.df(x, p)) };
}

const THUMBS: Map<string, { f: string; df: string } | null> = new Map(Object.values(CATALOGUE).map((d) => [d.name, thumbPaths(d)]));

function Thumb({ name }: { name: string }) {
  const t = THUMBS.get(name);
  return (
    <svg class="thumb" width={THUMB_W} height={THUMB_H} viewBox={`0 0 ${THUMB_W} ${THUMB_H}`} aria-hidden="true">
      <line x1="0" x2={THUMB_W} y1={THUMB_H - (1.5 / 4) * THUMB_H} y2={THUMB_H - (1.5 / 4) * THUMB_H} class="axis" />
      {t ? (
        <>
          <path d={t.f} class="f" />
          <path d={t.df} class="df" />
        </>
      ) : (
        <text x={THUMB_W / 2} y={THUMB_H / 2 + 4} text-anchor="middle" class="vec">
          {name === 'softmax' ? 'Σ' : 'max'}
        </text>
      )}
    </svg>
  );
}

/** Props of the map. */
export interface FamilyMapProps {
  readonly lang: Lang;
  readonly selected: string;
  readonly onSelect: (name: string) => void;
}

/** The map of the three families (and identity/softmax). */
export function FamilyMap({ lang, selected, onSelect }: FamilyMapProps) {
  const sel = CATALOGUE[selected as ActivationName];
  const related = new Set<string>(sel ? sel.meta.related : []);
  // relations are listed on one side or both: outline either way
  for (const d of Object.values(CATALOGUE)) if (d.meta.related.includes(selected)) related.add(d.name);
  const chip = (name: string, seeAlso: boolean) => (
    <li key={`${name}-${seeAlso}`}>
      <button
        type="button"
        class={`chip${seeAlso ? ' see-also' : ''}${related.has(name) ? ' related' : ''}`}
        aria-pressed={selected === name}
        data-fn={seeAlso ? undefined : name}
        onClick={() => onSelect(name)}
        title={CATALOGUE[name as ActivationName].meta.summary[lang]}
      >
        <Thumb name={name} />
        <span>{name}</span>
      </button>
    </li>
  );
  return (
    <section class="family-map" aria-labelledby="family-map-title">
      <h2 id="family-map-title">{tr(lang, 'familyMap')}</h2>
      <p class="help">{tr(lang, 'familyMapHelp')}</p>
      <div class="families">
        {FAMILIES.map((f) => (
          <section class={`family fam-${f.id}`} key={f.id} aria-label={f.title[lang]}>
            <h3>{f.title[lang]}</h3>
            <p class="fam-summary">{f.summary[lang]}</p>
            <ul class="chips">
              {f.members.map((n) => chip(n, false))}
              {f.seeAlso.map((n) => chip(n, true))}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}
