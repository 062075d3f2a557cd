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
  /** MIDDLEWARE entries as written (dotted paths), for project middleware that may enforce login. */
  middleware: string[];
  api: ApiSettings;
}

/**
 * What REST_FRAMEWORK and the NINJA_* settings say about pagination and throttling. A value the
 * settings modules disagree on, or that could not be read, is `undefined` (unknown); `null` is absent.
 */
export interface ApiSettings {
  /** DEFAULT_PAGINATION_CLASS as written (a dotted path). */
  pagination: string | null | undefined;
  pageSize: number | null | undefined;
  /** DEFAULT_THROTTLE_CLASSES as written (dotted paths). */
  throttleClasses: string[] | null | undefined;
  /** DEFAULT_THROTTLE_RATES: scope → rate (`anon` → `100/day`). */
  throttleRates: Record<string, string>;
  /** NINJA_PAGINATION_CLASS as written. */
  ninjaPagination: string | null;
}

/** Settings modules are those assigning ROOT_URLCONF, INSTALLED_APPS or MIDDLEWARE (a project may split them per environment). */
export function readSettings(modules: ModuleInfo[]): DjangoSettings {
  const rootUrlconfs: string[] = [];
  let loginRequiredMiddleware: string | null = null;
  const middleware: string[] = [];
  let isSettings = false;
  const defaults: DrfDefault[] = [];
  const restFramework: Array<Map<string, string> | null> = [];
  let ninjaPagination: string | null = null;
  for (const mod of modules) {
    for (const a of mod.facts.assignments) {
      if (a.target === "ROOT_URLCONF" || a.target === "INSTALLED_APPS" || a.target === "MIDDLEWARE") isSettings = true;
      if (a.target === "ROOT_URLCONF" && typeof a.value === "string") rootUrlconfs.push(a.value);
      if (a.target === "MIDDLEWARE" && (listItems(a) ?? [a.text]).some((m) => m.includes(LOGIN_REQUIRED_MIDDLEWARE))) loginRequiredMiddleware ??= `${mod.file}:${a.line}`;
      if (a.target === "MIDDLEWARE") middleware.push(...(listItems(a) ?? []));
      if (a.target === "REST_FRAMEWORK") {
        defaults.push(drfDefault(a, mod));
        restFramework.push(a.kind === "dict" ? dictEntries(a.text) : null);
      }
      if (a.target === "NINJA_PAGINATION_CLASS" && typeof a.value === "string") ninjaPagination ??= a.value;
    }
    for (const call of mod.facts.calls) {
      if (call.enclosing === null && /^MIDDLEWARE\.(append|insert|extend)$/.test(call.callee) && call.args.some((x) => x.text.includes(LOGIN_REQUIRED_MIDDLEWARE))) loginRequiredMiddleware ??= `${mod.file}:${call.line}`;
    }
  }
  // settings split per environment must agree, else the default is unknown
  const keyOf = (d: DrfDefault) => (d === null || d === "unknown" ? String(d) : JSON.stringify(d.items));
  let drf: DrfDefault = isSettings ? null : "unknown";
  if (defaults.length) drf = defaults.every((d) => keyOf(d) === keyOf(defaults[0] ?? null)) ? (defaults[0] ?? null) : "unknown";
  return { rootUrlconfs, loginRequiredMiddleware, middleware, drfDefault: drf, api: apiSettings(restFramework, ninjaPagination) };
}

function apiSettings(dicts: Array<Map<string, string> | null>, ninjaPagination: string | null): ApiSettings {
  // a key the settings modules agree on (all set it alike, or none does); undefined when one could not be read
  const agreed = (key: string): string | null | undefined => {
    const values = dicts.map((d) => (d === null ? undefined : (d.get(key) ?? null)));
    if (values.length === 0) return null;
    return values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined;
  };
  const pagination = agreed("DEFAULT_PAGINATION_CLASS");
  const pageSize = agreed("PAGE_SIZE");
  const throttles = agreed("DEFAULT_THROTTLE_CLASSES");
  const rates = agreed("DEFAULT_THROTTLE_RATES");
  const size = pageSize && pageSize !== "None" ? Number(pageSize) : pageSize === undefined ? undefined : null;
  return {
    pagination: pagination && pagination !== "None" ? unquote(pagination) : pagination === undefined ? undefined : null,
    pageSize: typeof size === "number" && !Number.isInteger(size) ? undefined : size,
    throttleClasses: typeof throttles === "string" ? (listItems({ text: throttles, kind: /^[[(]/.test(throttles) ? "list" : "other" }) ?? undefined) : throttles,
    throttleRates: Object.fromEntries([...(rates ? (dictEntries(rates) ?? []) : [])].map(([scope, rate]) => [scope, unquote(rate)])),
    ninjaPagination,
  };
}

/** `{"KEY": value, ...}` → key → value text; a dict cut short loses its last (partial) entry. Null when it is not a dict literal. */
function dictEntries(text: string): Map<string, string> | null {
  const trimmed = text.trim();
  const cut = trimmed.endsWith("…");
  if (!trimmed.startsWith("{") || (!cut && !trimmed.endsWith("}"))) return null;
  const entries = splitTopLevel(trimmed.slice(1, -1));
  if (cut) entries.pop();
  const out = new Map<string, string>();
  for (const entry of entries) {
    const [key, ...value] = splitTopLevel(entry, ":");
    if (key && value.length) out.set(unquote(key), value.join(":").trim());
  }
  return out;
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
