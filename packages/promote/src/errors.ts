import { SlipwayError } from "@slipway/core";

/** A promotion or release was refused: unknown app or environment, out of order, dirty tree... Nothing was changed. */
export class PromotionError extends SlipwayError {}
