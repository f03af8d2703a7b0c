/**
 * Mean-field signal-propagation theory of wide random networks, beside the
 * measurements: length and correlation maps, χ₁ and χ_c, depth scales, the
 * phase, the critical σ_w², and the rule of the `critical` initialiser.
 * Pure TypeScript: runs in Node and in the browser.
 */
export { GH_REACH, theoryAct, type TheoryAct } from './acts.js';
export { analyse, criticalSigmaW2, type TheoryPoint } from './analysis.js';
export { criticalChoice, type CriticalChoice, type CriticalRule } from './critical.js';
export { GH_NODES, PANEL_NODES, Z_MAX, gaussMean, gaussMean2, hermiteMean, panelMean, type Integrand } from './gaussian.js';
export {
  CRITICAL_TOLERANCE,
  chiAt,
  chiCAt,
  correlationCurve,
  correlationFixedPoint,
  correlationMap,
  depthScale,
  lengthFixedPoint,
  lengthMap,
  phaseOf,
  type LengthFixedPoint,
  type Phase,
  type Variances,
} from './meanfield.js';
export { crossMoment, derivativeCross, derivativeMoment, meanOf, secondMoment } from './moments.js';
export { gaussHermite, gaussLegendre, type QuadratureRule } from './quadrature.js';
