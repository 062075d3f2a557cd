import type { AssignmentFact } from "../../python/facts.js";
import type { ModuleInfo } from "../../python/project-index.js";
import { listItems, splitTopLevel, unquote } from "./django-routes.js";
import { type AuthSettings, type DrfDefault, lastSegment } from "./django-views.js";

const LOGIN_REQUIRED_MIDDLEWARE = "django.contrib.auth.middleware.LoginRequiredMiddleware";

/** What the Django settings modules say about routing and auth. */
export interface DjangoSettings extends AuthSettings {
  rootUrlconfs: string[];
  /** `file:line` where LoginRequiredMiddleware (Django 5.1) is enabled. */
  loginRequiredMiddleware: string | null;
}

/** Settings modules are those assigning ROOT_URLCONF, INSTALLED_APPS or MIDDLEWARE (a project may split them per environment). */
export function readSettings(modules: ModuleInfo[]): DjangoSettings {
  const rootUrlconfs: string[] = [];
  let loginRequiredMiddleware: string | null = null;
  let isSettings = false;
  const defaults: DrfDefault[] = [];
  for (const mod of modules) {
    for (const a of mod.facts.assignments) {
      if (a.target === "ROOT_URLCONF" || a.target === "INSTALLED_APPS" || a.target === "MIDDLEWARE") isSettings = true;
      if (a.target === "ROOT_URLCONF" && typeof a.value === "string") rootUrlconfs.push(a.value);
      if (a.target === "MIDDLEWARE" && (listItems(a) ?? [a.text]).some((m) => m.includes(LOGIN_REQUIRED_MIDDLEWARE))) loginRequiredMiddleware ??= `${mod.file}:${a.line}`;
      if (a.target === "REST_FRAMEWORK") defaults.push(drfDefault(a, mod));
    }
    for (const call of mod.facts.calls) {
      if (call.enclosing === null && /^MIDDLEWARE\.(append|insert|extend)$/.test(call.callee) && call.args.some((x) => x.text.includes(LOGIN_REQUIRED_MIDDLEWARE))) loginRequiredMiddleware ??= `${mod.file}:${call.line}`;
    }
  }
  // settings split per environment must agree, else the default is unknown
  const keyOf = (d: DrfDefault) => (d === null || d === "unknown" ? String(d) : JSON.stringify(d.items));
  let drf: DrfDefault = isSettings ? null : "unknown";
  if (defaults.length) drf = defaults.every((d) => keyOf(d) === keyOf(defaults[0] ?? null)) ? (defaults[0] ?? null) : "unknown";
  return { rootUrlconfs, loginRequiredMiddleware, drfDefault: drf };
}

/** `REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": [...]}` from the dict's text. */
function drfDefault(a: AssignmentFact, mod: ModuleInfo): DrfDefault {
  if (a.kind !== "dict") return "unknown";
  const key = /["']DEFAULT_PERMISSION_CLASSES["']\s*:\s*([[(])/.exec(a.text);
  if (!key) return a.text.endsWith("…") ? "unknown" : null;
  const open = key.index + key[0].length - 1;
  const close = a.text.indexOf(key[1] === "[" ? "]" : ")", open);
  if (close < 0) return "unknown";
  const items = splitTopLevel(a.text.slice(open + 1, close)).map(unquote).filter((s) => s !== "");
  return { items, text: `[${items.map(lastSegment).join(", ")}]`, module: mod.name, absolute: true, where: `${mod.file}:${a.line}` };
}
