/**
 * The settings reference (docs/settings.md), rendered from the settings
 * table so the documentation cannot drift from what the schema accepts:
 * per setting its config name, flag, other spellings, default, unit and help.
 */
import { flagOf, kebab, SETTINGS, type SettingDef, type SettingGroup } from './settings.js';
import { textOf } from './text.js';

const GROUPS: readonly [SettingGroup, string][] = [
  ['network', 'The network'],
  ['training', 'Training'],
  ['remedies', 'Remedies'],
  ['data', 'Data'],
  ['probe', 'Probes'],
  ['run', 'The run'],
];

/** The default of a setting as text (`—` for none). */
function defaultText(def: SettingDef): string {
  const d = def.schema.safeParse(undefined);
  if (!d.success) return '—';
  if (d.data === null) return 'none';
  if (typeof d.data === 'object' && !Array.isArray(d.data) && Object.keys(d.data as object).length === 0) return '{}';
  return `\`${textOf(def, d.data)}\``;
}

/** docs/settings.md. */
export function settingsReference(): string {
  const out: string[] = [
    '# Run settings',
    '',
    'Every setting of a run, as config files (`gradscope train CONFIG.json`), command-line flags',
    '(`train`, `probe`), sweep keys and the web lab’s URL spell it. Config files, sweeps and URLs use',
    'the name; a flag is its kebab-case. Other spellings are accepted so older configs, scripts and',
    'links keep working. Settings marked “training” act only through training steps (`probe` needs',
    '`--steps N` for them). This page is generated from `src/run/settings.ts` (`npm run docs:settings`);',
    'a test fails when it is out of date.',
    '',
  ];
  for (const [group, title] of GROUPS) {
    out.push(`## ${title}`, '', '| name | flag | also | default | meaning |', '|---|---|---|---|---|');
    for (const s of SETTINGS) {
      const def = s as SettingDef;
      if (def.group !== group) continue;
      const also = (def.aliases ?? []).map((a) => `\`${a}\` / \`--${kebab(a)}\``).join(', ');
      const meaning = `${def.doc}${def.unit ? ` (${def.unit})` : ''}${def.training ? ' — training' : ''}`.replace(/\|/g, '\\|');
      out.push(`| \`${def.name}\` | \`${flagOf(def.name)}\` | ${also} | ${defaultText(def)} | ${meaning} |`);
    }
    out.push('');
  }
  out.push(
    '## Rules between settings',
    '',
    'Checked before anything is built, loaded or written (`src/run/rules.ts`): decay terms the',
    'optimiser would ignore (`l2` with adamw, `weightDecay` without it), `noise`/`classes` only for',
    'synthetic sets, at least one of `epochs` and `maxSteps`, normalisation and residual blocks need',
    'dense hidden layers (not maxout) and at least one hidden layer, batch normalisation needs at',
    'least 2 examples per batch, per probe batch and per pre-training batch, pre-training needs a',
    'hidden layer; lists of activations and initialisers have one entry per hidden / weight layer.',
    '',
  );
  return out.join('\n');
}
