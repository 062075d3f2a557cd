/** archscope's library API. */
import { type ReviewOptions, runReview } from "./pipeline.js";
import type { Review } from "./review/types.js";

export type { ReviewOptions, ReviewRun } from "./pipeline.js";
export type { Review } from "./review/types.js";
export type { Finding } from "./checks/types.js";
export type { SystemModel } from "./model/types.js";
export { CHECKS } from "./checks/registry.js";
export { runReview } from "./pipeline.js";

/** Reviews the Python backend at `path` and returns the whole review. */
export async function review(path: string, options: ReviewOptions = {}): Promise<Review> {
  return (await runReview(path, options)).review;
}
