/** How a process serves the application, read from its command line (Dockerfile CMD/ENTRYPOINT, compose `command`, Procfile). */
export interface ServerCommand {
  server: "gunicorn" | "uvicorn" | "hypercorn" | "granian" | "daphne" | "uwsgi" | "waitress" | "fastapi run" | "fastapi dev" | "flask run" | "runserver" | "celery";
  /** The application target (`app.main:app`), when given. */
  app: string | null;
  workers: number | null;
  workerClass: string | null;
  reload: boolean;
  bind: string | null;
}

const BOOLEAN_FLAGS = new Set(["--reload", "--debug", "--noreload", "--preload", "--proxy-headers", "--no-access-log", "--access-log", "--daemon", "-D", "--lazy-apps", "--master", "--enable-threads", "--autoreload"]);

const SERVERS: Array<{ pattern: RegExp; server: ServerCommand["server"] }> = [
  { pattern: /^gunicorn$/, server: "gunicorn" },
  { pattern: /^uvicorn$/, server: "uvicorn" },
  { pattern: /^hypercorn$/, server: "hypercorn" },
  { pattern: /^granian$/, server: "granian" },
  { pattern: /^daphne$/, server: "daphne" },
  { pattern: /^uwsgi$/, server: "uwsgi" },
  { pattern: /^waitress-serve$/, server: "waitress" },
  { pattern: /^celery$/, server: "celery" },
];

/** Splits an exec-form (`["a", "b"]`) or shell-form command into words; a shell form keeps only its first command. */
export function commandWords(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: read as shell form
    }
  }
  return [...trimmed.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

/**
 * The server a command line starts and its flags. `sh -c "..."`, `python -m uvicorn`, `poetry
 * run`/`uv run`/`pipenv run`/`exec` prefixes and `&&` chains are looked through.
 */
export function parseServerCommand(text: string): ServerCommand | null {
  let words = commandWords(text);
  if ((words[0] === "sh" || words[0] === "bash" || words[0] === "/bin/sh" || words[0] === "/bin/bash") && words[1] === "-c" && words[2]) return parseServerCommand(words.slice(2).join(" "));
  // the last command of a chain is the long-running one (`alembic upgrade head && gunicorn ...`)
  const chain = words.join(" ").split(/\s*(?:&&|;)\s*/);
  if (chain.length > 1) {
    for (const part of chain.reverse()) {
      const parsed = parseServerCommand(part);
      if (parsed) return parsed;
    }
    return null;
  }
  while (words.length && /^(exec|poetry|uv|pipenv|pdm|hatch|run|python3?|-m|opentelemetry-instrument|ddtrace-run|newrelic-admin|run-program)$/.test(words[0] as string)) words = words.slice(1);
  const head = (words[0] ?? "").replace(/^.*\//, "");
  const rest = words.slice(1);
  const flag = (...names: string[]) => {
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] as string;
      for (const n of names) {
        if (w === n) return rest[i + 1] ?? null;
        if (w.startsWith(`${n}=`)) return w.slice(n.length + 1);
      }
    }
    return null;
  };
  const has = (...names: string[]) => rest.some((w) => names.includes(w));
  // a positional word is one no value-taking flag claims (`--workers=3` and `--reload` claim nothing)
  const takesValue = (w: string) => w.startsWith("-") && !w.includes("=") && !BOOLEAN_FLAGS.has(w);
  const positional = rest.find((w, i) => !w.startsWith("-") && !takesValue(rest[i - 1] ?? "")) ?? null;
  const number = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
  if (head === "fastapi" && (rest[0] === "run" || rest[0] === "dev")) {
    const target = rest.slice(1).find((w, i, all) => !w.startsWith("-") && !takesValue(all[i - 1] ?? "")) ?? null;
    return { server: rest[0] === "run" ? "fastapi run" : "fastapi dev", app: target, workers: number(flag("--workers")), workerClass: null, reload: rest[0] === "dev" || has("--reload"), bind: flag("--host") };
  }
  if (head === "flask" && rest.includes("run")) return { server: "flask run", app: flag("--app", "-A"), workers: null, workerClass: null, reload: has("--reload", "--debug"), bind: flag("--host", "-h") };
  if ((head === "manage.py" || head === "django-admin") && rest.includes("runserver")) return { server: "runserver", app: null, workers: null, workerClass: null, reload: !has("--noreload"), bind: rest[rest.indexOf("runserver") + 1] ?? null };
  const known = SERVERS.find((s) => s.pattern.test(head));
  if (!known) return null;
  return {
    server: known.server,
    app: known.server === "celery" ? flag("-A", "--app") : positional,
    workers: number(flag("-w", "--workers", "--processes", "--concurrency", "-c")),
    workerClass: flag("-k", "--worker-class", "--interface"),
    reload: has("--reload", "--autoreload", "--py-autoreload"),
    bind: flag("-b", "--bind", "--host", "--http"),
  };
}

/** A server for a developer's machine: one that reloads on change (`--reload`, Django's runserver, `flask run`, `fastapi dev`). */
export function isDevelopmentServer(server: ServerCommand | null): boolean {
  return server !== null && (server.reload || server.server === "runserver" || server.server === "flask run" || server.server === "fastapi dev");
}
