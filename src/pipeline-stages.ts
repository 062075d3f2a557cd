/**
 * The stages that parse, model and check, loaded by the pipeline only when it has work for them: a tree whose
 * review is reused from the cache never loads the parser, the YAML, TOML, Dockerfile, HCL and Markdown readers, or
 * the schema library (about half of a start-up).
 */
export { CHECKS } from "./checks/registry.js";
export { runChecks } from "./checks/run-checks.js";
export { withDocumentContext } from "./config/document-context.js";
export { applyPerFileIgnores, loadConfig, selectChecks } from "./config/load-config.js";
export { buildSystemModel } from "./model/build-model.js";
export { parsePythonFiles } from "./python/parse-files.js";
export { detectSourceRoots, ProjectIndex } from "./python/project-index.js";
export { buildReview } from "./review/build-review.js";
export { documentOnlyReview } from "./review/document-only.js";
