/**
 * Small helpers for writing the catalogue's bilingual texts, so each Traditional
 * Chinese sentence sits right beside the English one it translates (they are
 * the message catalogue's, src/i18n/lang.ts).
 */
export { bullets, NO_TEXT, t } from '../i18n/lang.js';
