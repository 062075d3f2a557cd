import { posix } from "node:path";
import { isContainerScriptPath } from "../../workspace/classify.js";
import type { WorkspaceFile } from "../../workspace/types.js";
import type { ContainerScript, Dockerfile, Evidence } from "../types.js";
import { commandWords } from "./server-command.js";

/** Commands that start a program as another user: `exec gosu "$PUID" ...`, `su-exec app`, `s6-setuidgid paperless granian ...`. */
const PRIVILEGE_DROP = /(^|[\s;&|(])(exec\s+)?(gosu|su-exec|s6-setuidgid|s6-applyuidgid|setpriv\s+--reuid|runuser\s+-u|chpst\s+-u|setuidgid)\s+\S+/;
/** The variables images meant for people's own servers use to map the container user to the host's (LinuxServer.io's PUID/PGID, paperless' USERMAP_UID). */
const USER_MAPPING = /\$\{?(PUID|PGID|USERMAP_UID|USERMAP_GID)\b|^\s*(export\s+)?(PUID|PGID|USERMAP_UID|USERMAP_GID)=/;
/** Supervisors that run the services of a root filesystem copied into the image (s6-overlay's /init, supervisord). */
const SUPERVISOR = /(^|[\s"'[,])\/init\b|s6-overlay|s6-svscan|supervisord|\brunit\b/;

/** What a script does that the review needs: whether it drops root, and whether it maps the user to the host's. */
export function readContainerScript(file: WorkspaceFile): ContainerScript | null {
  if (file.text === undefined || !isContainerScriptPath(file.path)) return null;
  const out: ContainerScript = { file: file.path, privilegeDrop: null, userMapping: null };
  file.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "");
    if (!line.trim()) return;
    if (!out.privilegeDrop && PRIVILEGE_DROP.test(line)) out.privilegeDrop = { line: i + 1, text: line.trim() };
    const mapping = USER_MAPPING.exec(line);
    if (!out.userMapping && mapping) out.userMapping = { line: i + 1, variable: (mapping[1] ?? mapping[3]) as string };
  });
  return out;
}

/**
 * The scripts a Dockerfile's final command runs, found through its COPY instructions: the script the ENTRYPOINT or CMD
 * names (`COPY ./docker/entry.sh $HOME/run.sh` + `ENTRYPOINT ["/app/run.sh"]`), a script inside a copied directory
 * (`COPY . /app` + `CMD ["/app/scripts/start.sh"]`), or every service script of a root filesystem a supervisor starts
 * (`COPY ./docker/rootfs /` + `ENTRYPOINT ["/init"]`). COPY sources are relative to the build context, which is not
 * known: the Dockerfile's folder, its parent and the repository root are tried.
 */
export function startScripts(dockerfile: Dockerfile, scripts: ContainerScript[]): string[] {
  const byPath = new Map(scripts.map((s) => [s.file, s]));
  const commands = [dockerfile.entrypoint, dockerfile.command].filter((c) => c !== null);
  const workdir = dockerfile.workdir ? expand(dockerfile.workdir, dockerfile.env) : null;
  // `./docker/entrypoint.sh` runs from the WORKDIR
  const words = commands
    .flatMap((c) => commandWords(c.text))
    .map((w) => expand(w, dockerfile.env))
    .map((w) => (workdir && /^\.{0,2}\/?[\w.-]+\/[\w./-]*$|^\.\/[\w.-]+$/.test(w) && !w.startsWith("/") ? posix.join(workdir, w) : w));
  const supervised = commands.some((c) => SUPERVISOR.test(c.text));
  const dir = posix.dirname(dockerfile.file);
  const contexts = [...new Set([dir, posix.dirname(dir), "."])];
  const found = new Set<string>();
  for (const copy of dockerfile.copies) {
    const dest = expand(copy.dest, dockerfile.env).replace(/\/+$/, "") || "/";
    for (const source of copy.sources) {
      for (const context of contexts) {
        const path = posix.normalize(posix.join(context, source)).replace(/\/+$/, "");
        const script = byPath.get(path);
        if (script) {
          // a script copied to a file path, or into a folder, and named by the command
          const names = new Set([posix.basename(dest), posix.basename(path)]);
          if (words.some((w) => names.has(posix.basename(w)))) found.add(script.file);
          continue;
        }
        const prefix = path === "." ? "" : `${path}/`;
        const inside = scripts.filter((s) => s.file.startsWith(prefix));
        if (!inside.length) continue;
        if (supervised) for (const s of inside) found.add(s.file);
        for (const w of words) {
          const target = dest === "/" ? w.replace(/^\/+/, "") : w.startsWith(`${dest}/`) ? w.slice(dest.length + 1) : null;
          if (target && byPath.has(posix.normalize(prefix + target))) found.add(posix.normalize(prefix + target));
        }
      }
    }
  }
  return [...found].sort();
}

/** `$HOME/run.sh` and `${HOME}/run.sh` with the Dockerfile's ENV values; unknown variables stay as written. */
function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => env[name] ?? whole);
}

/** Where the image maps its user to the host's: a start script reading PUID/PGID, or the variable set in Docker or compose configuration. */
export function hostUserMapping(dockerfiles: Dockerfile[], scripts: ContainerScript[], configValues: Array<{ file: string; line: number; key: string }>): Evidence[] {
  const byPath = new Map(scripts.map((s) => [s.file, s]));
  const fromScripts = dockerfiles
    .filter((d) => d.runsPython)
    .flatMap((d) => d.startScripts.map((f) => byPath.get(f)))
    .flatMap((s) => (s?.userMapping ? [{ file: s.file, line: s.userMapping.line, snippet: s.userMapping.variable }] : []));
  const fromConfig = configValues.filter((v) => /^(PUID|PGID|USERMAP_UID|USERMAP_GID)$/.test(v.key)).map((v) => ({ file: v.file, line: v.line, snippet: v.key }));
  const seen = new Set<string>();
  return [...fromScripts, ...fromConfig].filter((e) => !seen.has(`${e.file}:${e.line}`) && seen.add(`${e.file}:${e.line}`));
}

/**
 * Sample deployments the repository ships for others to copy (`docker-compose-sample.yaml`, `compose.example.yml`,
 * `docker/compose/*.yml` templates) that run the project's own published image (`image: bugsink/bugsink:2` for the
 * `bugsink` project): the mark of a product people install on their own servers.
 */
export function sampleDeployments(services: Array<{ file: string; line: number; image: string | null }>, projectNames: string[]): Evidence[] {
  const names = new Set(projectNames.map((n) => n.toLowerCase().replace(/[-_.]+/g, "-")));
  if (!names.size) return [];
  return services
    .filter((s) => /(sample|example|template|demo)/i.test(posix.basename(s.file)) || /(^|\/)(examples?|samples?|templates?|compose)\//i.test(s.file))
    .filter((s) => {
      const repo = (s.image ?? "").replace(/[@:][^/]*$/, "");
      const last = repo.slice(repo.lastIndexOf("/") + 1).toLowerCase().replace(/[-_.]+/g, "-");
      return last !== "" && names.has(last);
    })
    .map((s) => ({ file: s.file, line: s.line, snippet: `image: ${s.image}` }));
}
