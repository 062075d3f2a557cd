import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { Dockerfile, DockerStage } from "../../model/types.js";
import type { ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** A RUN that installs system packages, with the package list after it. */
const SYSTEM_INSTALL = /\b(?:apt-get|apt|apk|yum|dnf|microdnf)\s+(?:-\S+\s+)*(?:install|add)\b([^&;|]*)/g;
/** Compilers, build tools and headers that build wheels and are not needed to run them. */
const TOOLCHAIN = /^(build-essential|build-base|gcc|g\+\+|gcc-c\+\+|clang|make|cmake|autoconf|automake|libtool|pkg-config|pkgconf|musl-dev|libc-dev|libc6-dev|linux-headers|rust|cargo|[\w.+-]+-dev|[\w.+-]+-devel)$/;
/** Removing build packages again in the image (`apk del .build-deps`, `apt-get purge --auto-remove gcc`). */
const REMOVES_PACKAGES = /\b(apk\s+del|apt-get\s+(purge|remove|autoremove)|apt\s+(purge|remove|autoremove)|yum\s+remove|dnf\s+remove)\b/;
/** Installing the project's dependencies from a manifest or lock. */
const DEPENDENCY_INSTALL = /\bpip3?\s+install\b.*(\s-r\s*\S+|\s--requirement[=\s]\S+|\s\.(\[[^\]]*\])?(\s|$)|\s-e\s+\.)|\b(poetry\s+install|uv\s+sync|uv\s+pip\s+(install|sync)\s+.*(-r\s|requirements|\.\s*$)|pipenv\s+(install|sync)|pdm\s+(install|sync))\b/;
/** A build context entry that holds dependency manifests only, not the application source. */
const MANIFEST_ONLY = /(^|\/)(requirements[\w.-]*|constraints[\w.-]*|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|pipfile(\.lock)?|setup\.(py|cfg)|readme[\w.]*|license[\w.]*|\.python-version|manage\.py)\/?$/i;
/** Installs of packaging tools only (`pip install --upgrade pip setuptools wheel`): their cache is negligible. */
const TOOLS_ONLY = /\bpip3?\s+install\s+(?:-[-\w]+\s+)*(?:(?:pip|setuptools|wheel|uv|poetry|pipenv|pdm)(?:[=<>~!]=?\S*)?\s*)+$/;
/** pip itself (uv's `uv pip install` keeps its own cache, judged by no rule here). */
const PIP_INSTALL = /(?<!\buv\s+)\bpip3?\s+install\b/;
const NOT_SHIPPED_TARGET = /build|compile|deps|base|wheel|test|dev|ci\b|lint|docs?/;
const CACHE_MOUNT = /--mount=[^\s]*type=cache/;
const CACHE_REMOVED = /rm\s+-[rf]+\s+\S*\.cache(\/pip)?\b|pip3?\s+cache\s+(purge|remove)/;

interface StageInfo {
  stage: DockerStage;
  /** The stage and the stages it builds on, base first. */
  chain: DockerStage[];
}

function stagesOf(d: Dockerfile): StageInfo[] {
  const byAlias = new Map<string, StageInfo>();
  return d.stages.map((stage) => {
    const parent = byAlias.get(stage.image.toLowerCase());
    const info = { stage, chain: [...(parent?.chain ?? []), stage] };
    if (stage.alias) byAlias.set(stage.alias, info);
    return info;
  });
}

/** The stages that become images: the last one, and those CI or compose build by name. */
function shippedStages(d: Dockerfile, targets: Set<string>): StageInfo[] {
  const all = stagesOf(d);
  const last = all[all.length - 1];
  return all.filter((s) => s === last || (s.stage.alias !== null && targets.has(s.stage.alias)));
}

/** A COPY source that holds application code: the whole context, or a folder with the project's Python modules. */
function copiesSource(sources: string[], packageDirs: Set<string>): string | null {
  for (const source of sources) {
    const path = source.replace(/^\.\//, "").replace(/\/+$/, "").replace(/\/\*$/, "");
    if (path === "." || path === "" || path === "*") return source;
    if (MANIFEST_ONLY.test(path)) continue;
    if (packageDirs.has(path)) return source;
  }
  return null;
}

/** Top folders (and their first-level folders) that hold the project's Python modules, tests left out. */
function packageDirs(index: ProjectIndex): Set<string> {
  const out = new Set<string>();
  for (const mod of index.modules.values()) {
    if (!runsInProduction(fileRole(mod.file))) continue;
    const parts = mod.file.split("/");
    for (let i = 1; i < Math.min(parts.length, 3); i++) out.add(parts.slice(0, i).join("/"));
  }
  return out;
}

export default defineCheck({
  id: "DEP004",
  area: "deployment",
  title: "Image carries build tools, rebuilds dependencies on every change, or keeps pip's cache",
  severity: "low",
  kind: "concern",
  confidence: "high",
  why: "Compilers and headers left in the runtime image make it hundreds of megabytes larger and give an attacker who gets a shell a toolchain; copying the source before installing the requirements throws away Docker's layer cache, so every code change reinstalls every dependency and CI builds take minutes instead of seconds; pip's download cache left in a layer is dead weight shipped with every image.",
  recommendation: "Build in two stages: install the toolchain and build wheels (or a virtualenv) in a `builder` stage, then `COPY --from=builder` only the result into a slim final stage. Copy the dependency manifests (requirements.txt, pyproject.toml and the lock) and install them before `COPY . .`. Run `pip install --no-cache-dir` (or set `PIP_NO_CACHE_DIR=1`), or better, use a BuildKit cache mount (`RUN --mount=type=cache,target=/root/.cache/pip`) that speeds builds without entering the image; uv and Poetry document the same pattern.",
  example: {
    bad: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y build-essential libpq-dev\nCOPY . /app\nRUN pip install -r /app/requirements.txt",
    good: "FROM python:3.12-slim AS builder\nRUN apt-get update && apt-get install -y build-essential libpq-dev\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip wheel -r requirements.txt -w /wheels\n\nFROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCOPY . /app",
  },
  references: ["https://docs.docker.com/build/building/multi-stage/", "https://docs.docker.com/build/cache/optimize/", "https://docs.astral.sh/uv/guides/integration/docker/#caching", "https://pip.pypa.io/en/stable/topics/caching/"],
  effort: "S",
  libraries: [],
  run({ model, index }) {
    const reports: Report[] = [];
    const dirs = packageDirs(index);
    for (const d of model.dockerfiles) {
      if (!d.runsPython || !runsInProduction(fileRole(d.file))) continue;
      // stages built by name for delivery (`--target production`), not builder or test stages built for caching or CI
      const targets = new Set(model.buildTargets.map((t) => t.stage).filter((name) => !NOT_SHIPPED_TARGET.test(name)));
      const shipped = shippedStages(d, targets);
      const single = d.stages.length === 1;
      // (a) build toolchain installed in a shipped image and never removed
      for (const { stage, chain } of shipped) {
        const runs = chain.flatMap((s) => s.runs);
        if (runs.some((r) => REMOVES_PACKAGES.test(r.text))) continue;
        const install = runs.map((r) => ({ run: r, tools: toolchain(r.text) })).find((x) => x.tools.length > 0);
        if (!install) continue;
        const where = single ? "a single-stage image" : `the final stage (FROM ${stage.image}, line ${stage.line})`;
        reports.push({
          message: `${d.file} installs build tools or headers (${install.tools.slice(0, 4).join(", ")}${install.tools.length > 4 ? ", ..." : ""}) in ${where}, and nothing removes them: compilers and headers ship with the service. Build wheels in a builder stage and copy only the result.`,
          evidence: [{ file: d.file, line: install.run.line, snippet: `RUN ${install.run.text.slice(0, 120)}` }],
        });
        break;
      }
      // (b) source copied before the dependencies are installed, in the same stage; an install after an earlier stage
      // (or a copy from one) already brought the dependencies only adds the project itself
      const aliases = new Set(d.stages.map((s) => s.alias).filter((a): a is string => a !== null));
      for (const [i, stage] of d.stages.entries()) {
        const install = stage.runs.find((r) => DEPENDENCY_INSTALL.test(r.text));
        if (!install || CACHE_MOUNT.test(install.text)) continue;
        if (d.stages.slice(0, i).some((s) => s.runs.some((r) => DEPENDENCY_INSTALL.test(r.text)))) continue;
        if (stage.copies.some((c) => c.from !== null && c.line < install.line && (aliases.has(c.from) || /^\d+$/.test(c.from)))) continue;
        const copy = stage.copies.find((c) => c.from === null && c.line < install.line && copiesSource(c.sources, dirs) !== null);
        if (!copy) continue;
        reports.push({
          message: `${d.file}:${copy.line} copies the application source (COPY ${copy.sources.join(" ")}) before the dependencies are installed (line ${install.line}): every code change invalidates the install layer and reinstalls all dependencies. Copy the requirements or lock file and install first, then the source.`,
          evidence: [{ file: d.file, line: copy.line, snippet: `COPY ${copy.sources.join(" ")} ${copy.dest}` }, { file: d.file, line: install.line, snippet: `RUN ${install.text.slice(0, 120)}` }],
        });
        break;
      }
      // (c) pip's cache left in a shipped layer
      for (const { chain } of shipped) {
        const env = chain[chain.length - 1]?.env ?? {};
        if (Object.keys(env).some((k) => k === "PIP_NO_CACHE_DIR")) continue;
        const cached = chain.flatMap((s) => s.runs).find((r) => !CACHE_MOUNT.test(r.text) && !CACHE_REMOVED.test(r.text) && cachingPipInstall(r.text));
        if (!cached) continue;
        reports.push({
          message: `${d.file}:${cached.line} runs \`pip install\` without \`--no-cache-dir\` (and no PIP_NO_CACHE_DIR or cache mount): pip's download cache stays in the image layer.`,
          evidence: [{ file: d.file, line: cached.line, snippet: `RUN ${cached.text.slice(0, 120)}` }],
        });
        break;
      }
    }
    return reports;
  },
});

/** Build packages a RUN installs (`gcc`, `libpq-dev`), from each system package install in it. */
function toolchain(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SYSTEM_INSTALL)) {
    for (const word of (m[1] ?? "").split(/\s+/)) {
      const name = word.replace(/[=:].*$/, "").replace(/^["']|["']$/g, "");
      if (name && !name.startsWith("-") && TOOLCHAIN.test(name) && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

/** A `pip install` in the RUN that keeps its cache: no `--no-cache-dir` (pip also takes the prefix `--no-cache`), and more than packaging tools. */
function cachingPipInstall(text: string): boolean {
  return text
    .split(/&&|;|\|\|/)
    .filter((c) => PIP_INSTALL.test(c))
    .some((c) => !/--no-cache(-dir)?\b/.test(c) && !TOOLS_ONLY.test(c.trim()) && !localOnly(c));
}

/** `pip install --user .`, `pip install /wheels/*`: local paths only, nothing downloaded to cache. */
function localOnly(command: string): boolean {
  const words = command.replace(/^.*?\bpip3?\s+install\b/, "").split(/\s+/).filter(Boolean);
  if (words.some((w) => /^(-r|--requirement|-c|--constraint)(=|$)/.test(w))) return false;
  const targets = words.filter((w) => !w.startsWith("-") && w !== "\\");
  return targets.length > 0 && targets.every((w) => /^[./~$]|\.whl$|\//.test(w));
}
