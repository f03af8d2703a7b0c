/**
 * Where the tutorial begins (its first step, the explorer on the sigmoid):
 * apart from the steps themselves so the page header can link to it without
 * loading the tutorial and its presets.
 */

/** The first step's place. */
export const TOUR_START = { view: 'activations', fn: 'sigmoid' } as const;
