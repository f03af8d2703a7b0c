// Writes docs/settings.md from the settings table (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { settingsReference } from '../dist/run/reference.js';

writeFileSync(new URL('../docs/settings.md', import.meta.url), settingsReference());
