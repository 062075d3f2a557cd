import { END_OF_LIFE, hasEnded, supportEnd, today } from "../../model/catalog/end-of-life.js";
import { defineCheck } from "../define.js";

const PYTHON = END_OF_LIFE.find((p) => p.package === "python");
import type { BuiltImage } from "../../model/types.js";
import type { Report } from "../types.js";

/** Python minor versions whose upstream support has ended (as of 2026-11). */
const ROLLING_ONLY = /^(cgr\.dev\/chainguard\/|chainguard\/|cgr\.dev\/)[\w./-]+$|(^|\/)wolfi-base$/;
const FLOATING_TAGS = /^(latest|slim|alpine|bookworm|bullseye|buster|slim-bookworm|slim-bullseye|stable)$/;

export default defineCheck({
  id: "DEP003",
  area: "deployment",
  title: "Base image unpinned or end-of-life Python",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "An image without a version tag (or with `latest`) changes under you: the next build can bring a new Python or OS and break or alter the service without any code change. An end-of-life Python gets no security fixes at all.",
  recommendation: "Pin the base image to a supported Python minor version and OS (`python:3.12-slim-bookworm`, ideally with its digest) and upgrade on purpose; move off end-of-life Python versions.",
  example: { bad: "FROM python:latest", good: "FROM python:3.12-slim-bookworm" },
  references: ["https://devguide.python.org/versions/", "https://docs.docker.com/build/building/best-practices/#from"],
  effort: "S",
  libraries: [],
  run({ model }) {
    const reports: Report[] = [];
    const unpinned = new Map<string, Report>();
    const aliases = new Set(model.dockerfiles.flatMap((d) => d.stages.map((s) => s.alias).filter((a): a is string => a !== null)));
    for (const d of model.dockerfiles) {
      for (const stage of d.stages) {
        const image = stage.image;
        if (!image || aliases.has(image.toLowerCase()) || image.includes("$") || image === "scratch" || image.includes("@sha256:")) continue;
        const [name, tag] = splitImage(image);
        const evidence = [{ file: d.file, line: stage.line, snippet: `FROM ${image}` }];
        if (!tag || FLOATING_TAGS.test(tag)) {
          // rolling distributions published only as `latest` (Chainguard, Wolfi): the fix is a digest, and the choice is deliberate
          if (ROLLING_ONLY.test(name)) {
            reports.push({ message: `FROM ${image} follows a rolling image published only as "latest"; pin its digest (@sha256:...) so that builds are reproducible.`, evidence, severity: "low" });
            continue;
          }
          // an image this repository builds itself (its own base image, rebuilt by CI) moves only when the project moves it
          const own = builtHere(model.builtImages, name);
          // archscope reviews Python services: a sidecar or front-end image is someone else's concern, worth a note
          const note = own ? ` It is built by this repository (${own.file}:${own.line}), so it moves only when the project rebuilds it; a dated tag or a digest keeps builds reproducible.` : d.runsPython ? "" : " It does not build or run the Python service.";
          const low = own !== undefined || !d.runsPython;
          const key = `${d.file} ${image}`;
          // the same image in several stages of one Dockerfile is one finding
          const same = unpinned.get(key);
          if (same) {
            same.evidence.push(...evidence);
            continue;
          }
          const report: Report = { message: `FROM ${image} is not pinned to a version${tag ? ` ("${tag}" moves with every release)` : ""}.${note}`, evidence, ...(low ? { severity: "low" as const } : {}) };
          unpinned.set(key, report);
          reports.push(report);
          continue;
        }
        const python = /(^|\/)python$/.test(name) ? /^(\d+\.\d+)/.exec(tag)?.[1] : undefined;
        // the catalog's dated table (DEP014 reads the same), against today
        const ended = python && PYTHON ? supportEnd(PYTHON, python) : null;
        if (python && ended && hasEnded(ended, today())) reports.push({ message: `FROM ${image} runs Python ${python}, whose support ended in ${ended.ended.slice(0, 7)}: no more security fixes; move to Python ${ended.moveTo} (${ended.source}).`, evidence });
      }
    }
    return reports;
  },
});

/** A built image of this repository with this name; a name with a CI variable matches on its last path segment. */
function builtHere(built: BuiltImage[], name: string): BuiltImage | undefined {
  const lower = name.toLowerCase();
  const last = lower.slice(lower.lastIndexOf("/") + 1);
  return built.find((b) => b.name === lower || (/\$/.test(b.name) && b.name.slice(b.name.lastIndexOf("/") + 1) === last));
}

/** `registry:5000/org/python:3.12-slim` → [`registry:5000/org/python`, `3.12-slim`]. */
function splitImage(image: string): [string, string | null] {
  const slash = image.lastIndexOf("/");
  const colon = image.indexOf(":", slash + 1);
  return colon < 0 ? [image, null] : [image.slice(0, colon), image.slice(colon + 1)];
}
