import type { Review } from "../review/types.js";

/**
 * The JSON report: the whole review, with model fields that could carry secret values
 * (literal configuration values) left out. Keys keep the insertion order of `Review`, so two
 * runs on the same input give byte-identical output.
 */
export function renderJson(review: Review): string {
  const { configValues: _secrets, ...model } = review.model;
  return `${JSON.stringify({ ...review, model }, null, 2)}\n`;
}
