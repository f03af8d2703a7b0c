/** Modules the Vite build provides (see web/vite.config.ts). */
declare module 'virtual:gradscope-formulas' {
  /** KaTeX HTML of each catalogue entry's formula and derivative, by canonical name. */
  export const FORMULAS: Readonly<Record<string, { readonly formula: string; readonly derivative: string }>>;
}

declare module '*.css';
