/**
 * The report's sections in page order. A new study stage is one more
 * renderer inserted here before the conclusions; the claims of every stage
 * come last.
 */
import { actDepthSection } from './act-depth.js';
import { boundSection } from './bound.js';
import { claimsSection } from './claims.js';
import type { SectionRenderer } from './common.js';
import { conclusionsSection } from './conclusions.js';
import { explodingSection } from './exploding.js';
import { familiesSection } from './families.js';
import { nielsenSection } from './nielsen.js';
import { orderChaosSection } from './order-chaos.js';
import { recurrentSection } from './recurrent.js';
import { remediesSection } from './remedies.js';

export type { Cell, Col, RenderedSection, SectionRenderer } from './common.js';

/** Every section renderer, in the order the page shows them. */
export const SECTIONS: readonly SectionRenderer[] = [boundSection, nielsenSection, actDepthSection, familiesSection, explodingSection, remediesSection, recurrentSection, orderChaosSection, conclusionsSection, claimsSection];
