import { fileRole } from "../../core/file-roles.js";
import type { Evidence } from "../../model/types.js";
import type { ImportFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Names of the API/web layer: routing, views, request (de)serialisation, forms, template tags, GraphQL, Django admin and URLconfs. */
const OUTER = /^(views?|routers?|routes|api|apis|endpoints|graphql|gql|serializers?|forms|templatetags|urls|admin|controllers?|web)$/;
/** Names of inner layers: the domain model, persistence, business services, the core they share. */
const INNER = /^(models?|domain|entities|entity|core|services?|repositories|repository|repos|crud|dao|dal|usecases|use_cases)$/;
/** How inner each inner name is: an inverted import from a model hurts more than one from a service. */
const DEPTH: Record<string, number> = { app: 2, domain: 0, entities: 0, entity: 0, models: 0, model: 0, repositories: 1, repository: 1, repos: 1, crud: 1, dao: 1, dal: 1, core: 2, services: 2, service: 2, usecases: 2, use_cases: 2 };
/** Imports that make a module part of the web layer: web frameworks, their request, form, admin and template APIs, GraphQL servers. */
const WEB_IMPORT = /^(fastapi|starlette|flask|flask_restful|flask_restx|flask_smorest|flask_wtf|wtforms|django\.(http|shortcuts|views|contrib\.admin|forms|template)|rest_framework|ninja|litestar|quart|sanic|aiohttp\.web|tornado\.web|falcon|pyramid|graphene|graphene_django|strawberry|strawberry_django|ariadne|connexion|django_filters)(\.|$)/;
/**
 * Modules of an app that are entry points or glue of their own, not its domain: signal receivers, app config, tasks
 * and consumers, management commands, webhooks, tables, filters and search indexes for the UI, settings.
 */
const ENTRY_POINT = /^(signals|receivers|handlers|apps|tasks|jobs|workers?|consumers|management|commands|webhooks?|tables|filters|filtersets|search|search_indexes|indexes|settings|conf|config|middleware|context_processors|templatetags|checks|migrations|tests?|testing|factories|fixtures|schema|schemas|types|dataloaders|mutations|queries|resolvers|plugins?|__main__|cli|scripts?|powersync|sync|integrations?)$/;
/** Where the application is assembled (routers mounted, URLconfs included): the outermost modules there are. */
const COMPOSITION = /^(main|app|application|asgi|wsgi|server|factory|routing|run|manage|bootstrap|startup|urls|.*_(urls|views|api|endpoints|routes|routers|handlers|webhooks?|serializers|forms|admin)|(api|views|webhooks?)_.*)$/;
/** Packages of shared helpers and in-house frameworks. */
const SHARED = /^(base|common|lib|libs|utils|utilities|shared|framework|kit|helpers|toolkit)$/;
/** `awx/api/models.py` of four lines does not make the API package an app; `hc/api/models.py` of 1,500 does. */
const MIN_MODELS_LINES = 50;
const MAX_EXAMPLES = 6;

interface Inversion {
  from: ModuleInfo;
  to: string;
  line: number;
  snippet: string;
  lazy: boolean;
  innerName: string;
}

function absoluteBase(index: ProjectIndex, imp: ImportFact, mod: ModuleInfo): string {
  return imp.level ? index.absolutize(`${".".repeat(imp.level)}${imp.module}`, mod.name) : imp.module;
}

/** The project modules one import statement reaches (`from app.api import deps` → `app.api.deps`). */
function targetsOf(index: ProjectIndex, imp: ImportFact, mod: ModuleInfo): string[] {
  const base = absoluteBase(index, imp, mod);
  const names = imp.names === null ? [null] : imp.names.map((n) => n.name);
  const out = new Set<string>();
  for (const name of names) {
    const candidate = name === null || name === "*" ? base : index.modules.has(`${base}.${name}`) ? `${base}.${name}` : index.resolveSymbol(`${base}.${name}`, mod.name);
    const target = index.projectModuleOf(candidate);
    if (target && target !== mod.name) out.add(target);
  }
  return [...out];
}

function importText(imp: ImportFact): string {
  const dots = ".".repeat(imp.level);
  if (imp.names === null) return `import ${imp.module}`;
  return `from ${dots}${imp.module} import ${imp.names.map((n) => n.name).join(", ")}`.slice(0, 160);
}

/** Layer reading of module names, with the project's structure to tell a layer package from a feature package. */
class Layers {
  private readonly children = new Map<string, string[]>();
  private readonly webFiles: Set<string>;
  private readonly webCache = new Map<string, boolean>();

  constructor(
    private readonly index: ProjectIndex,
    endpointFiles: Iterable<string>,
  ) {
    this.webFiles = new Set(endpointFiles);
    for (const name of index.modules.keys()) {
      const dot = name.lastIndexOf(".");
      if (dot < 0) continue;
      const parent = name.slice(0, dot);
      this.children.set(parent, [...(this.children.get(parent) ?? []), name.slice(dot + 1)]);
    }
  }

  /** A package holding both web modules and inner ones (`orders/` with models.py and views.py) is a feature, not a layer. */
  private isFeaturePackage(pkg: string): boolean {
    return (this.children.get(pkg) ?? []).some((c) => OUTER.test(c));
  }

  /** The root package of everything (`api/` holding `api.models` and `api.views`) names the project, not a layer. */
  private segmentsOf(module: string): string[] {
    const segments = module.split(".");
    const root = segments[0] as string;
    if (segments.length > 1 && (this.children.get(root) ?? []).some((c) => INNER.test(c))) return ["", ...segments.slice(1)];
    return segments;
  }

  isOuter(module: string): boolean {
    const segments = this.segmentsOf(module);
    // `taiga/base/api/`, `utilities/views.py`: a shared toolkit the whole project builds on, like a framework, not a feature's web layer
    const firstOuter = segments.findIndex((s) => OUTER.test(s));
    if (firstOuter > 0 && segments.slice(0, firstOuter).some((s) => SHARED.test(s))) return false;
    // a URL helper (`lib/urls.py` with `absolute_reverse`) is not a URLconf: only a module with `urlpatterns` is
    if (segments[segments.length - 1] === "urls" && !segments.slice(0, -1).some((s) => OUTER.test(s))) {
      return this.index.modules.get(module)?.facts.assignments.some((a) => a.target === "urlpatterns") ?? false;
    }
    // `hc/api/` with models.py beside views.py is a Django app named `api`: only its own web modules are outer
    const parts = module.split(".");
    return segments.some((s, i) => OUTER.test(s) && (i === segments.length - 1 || !this.holdsDomainModels(parts.slice(0, i + 1).join("."))));
  }

  /** A package whose `models` is real (a package, or a module of some size): an app, whatever its name. */
  private holdsDomainModels(pkg: string): boolean {
    const models = this.index.modules.get(`${pkg}.models`);
    return models !== undefined && (models.isPackage || models.facts.codeLines >= MIN_MODELS_LINES);
  }

  /**
   * The inner-layer name a module belongs to (`models`, `services`), or null. Beside the names, the structure: a
   * module of a Django-style app (a package with `models`) that is not one of the app's entry points is domain code.
   */
  innerName(module: string): string | null {
    if (this.isOuter(module)) return null;
    const segments = this.segmentsOf(module);
    for (let i = segments.length - 1; i >= 0; i--) {
      const segment = segments[i] as string;
      if (!INNER.test(segment)) continue;
      const isModuleItself = i === segments.length - 1 && !this.index.modules.get(module)?.isPackage;
      if (isModuleItself || !this.isFeaturePackage(module.split(".").slice(0, i + 1).join("."))) return segment;
    }
    return null;
  }

  /**
   * A module the inner layers depend on is inner too (`checkout/complete_checkout.py`, imported by the checkout
   * services): from the import graph, one step down from modules named as inner, leaving out entry points,
   * composition roots and packages.
   */
  innerByGraph(module: string, importedByInner: Set<string>): boolean {
    const info = this.index.modules.get(module);
    if (!info || info.isPackage || !importedByInner.has(module) || this.isOuter(module)) return false;
    const parts = module.split(".");
    const last = parts[parts.length - 1] as string;
    return !parts.some((p) => ENTRY_POINT.test(p)) && !COMPOSITION.test(last);
  }

  /** Whether a module belongs to the web layer in fact: it serves endpoints, routes URLs or uses a web framework's API (or, for a package, a module of it does). */
  isWeb(module: string): boolean {
    const cached = this.webCache.get(module);
    if (cached !== undefined) return cached;
    const info = this.index.modules.get(module);
    let web = info !== undefined && (this.webFiles.has(info.file) || info.facts.imports.some((imp) => imp.level === 0 && WEB_IMPORT.test(imp.module)) || info.facts.assignments.some((a) => a.target === "urlpatterns"));
    this.webCache.set(module, web);
    if (!web && info?.isPackage) web = (this.children.get(module) ?? []).some((c) => this.isWeb(`${module}.${c}`));
    this.webCache.set(module, web);
    return web;
  }
}

export default defineCheck({
  id: "ARCH010",
  area: "architecture",
  title: "Inner layers import the web layer",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Models, domain code, repositories and services are meant to be usable without HTTP: from a worker, a command, a test, another entry point. When they import views, routers, serializers or GraphQL types, the dependency points the wrong way: the domain cannot be loaded without the web framework, changes to an endpoint ripple into the model, and import cycles between the layers follow.",
  recommendation: "Move what the inner module needs out of the web layer (a constant, a validation rule, a DTO) into the inner layer or a shared module, pass callables in instead of importing them (signals, hooks, dependency injection), and declare the layering as an import-linter `layers` contract so CI keeps it.",
  example: { bad: "# orders/models.py\nfrom orders.serializers import OrderSerializer  # model depends on the API", good: "# orders/serializers.py\nfrom orders.models import Order  # the API depends on the model, never the reverse" },
  references: ["https://import-linter.readthedocs.io/en/stable/contract_types.html#layers", "https://www.cosmicpython.com/book/chapter_02_repository.html", "https://docs.djangoproject.com/en/stable/misc/design-philosophies/#loose-coupling"],
  effort: "M",
  libraries: ["import-linter", "pydeps"],
  run({ model, index }) {
    const layers = new Layers(index, model.endpoints.map((e) => e.file));
    const application = [...index.modules.values()].filter((m) => fileRole(m.file) === "application");
    const named = application.filter((m) => layers.innerName(m.name) !== null);
    const namedSet = new Set(named.map((m) => m.name));
    const importedByNamed = new Set(index.imports.filter((e) => namedSet.has(e.from)).map((e) => e.to));
    const inner = [...named, ...application.filter((m) => !namedSet.has(m.name) && layers.innerByGraph(m.name, importedByNamed))];
    const outer = application.filter((m) => layers.isOuter(m.name) && layers.isWeb(m.name));
    // no recognisable layering: nothing to invert
    if (named.length < 3 || outer.length < 2) return [];

    const inversions: Inversion[] = [];
    let typeCheckingOnly = 0;
    for (const mod of inner) {
      const innerName = layers.innerName(mod.name) ?? "app";
      const seen = new Set<string>();
      for (const imp of mod.facts.imports) {
        for (const to of targetsOf(index, imp, mod)) {
          if (seen.has(to) || !layers.isOuter(to) || !layers.isWeb(to)) continue;
          seen.add(to);
          if (imp.typeCheckingOnly) {
            typeCheckingOnly++;
            continue;
          }
          inversions.push({ from: mod, to, line: imp.line, snippet: importText(imp), lazy: imp.insideFunction, innerName });
        }
      }
    }
    const hard = inversions.filter((i) => !i.lazy);
    const lazy = inversions.filter((i) => i.lazy);
    if (!inversions.length) return [];

    const hardSources = new Set(hard.map((i) => i.from.name));
    const lazySources = new Set(lazy.map((i) => i.from.name));
    const perSource = new Map<string, number>();
    for (const i of hard) perSource.set(i.from.name, (perSource.get(i.from.name) ?? 0) + 1);
    // worst first: module-level before lazy, the innermost layer first, then the module with the most web imports
    const ranked = [...inversions].sort(
      (a, b) =>
        Number(a.lazy) - Number(b.lazy) ||
        (DEPTH[a.innerName] ?? 3) - (DEPTH[b.innerName] ?? 3) ||
        (perSource.get(b.from.name) ?? 0) - (perSource.get(a.from.name) ?? 0) ||
        (a.from.file < b.from.file ? -1 : a.from.file > b.from.file ? 1 : a.line - b.line),
    );
    const examples: Inversion[] = [];
    const exampleSources = new Set<string>();
    for (const i of ranked) {
      if (examples.length >= MAX_EXAMPLES) break;
      if (exampleSources.has(i.from.name)) continue;
      exampleSources.add(i.from.name);
      examples.push(i);
    }
    const evidence: Evidence[] = examples.map((i) => ({ file: i.from.file, line: i.line, snippet: `${i.snippet}${i.lazy ? "  # inside a function" : ""}` }));
    const describe = examples.map((i) => `${i.from.name} → ${i.to}${i.lazy ? " (inside a function)" : ""}`).join("; ");
    const parts: string[] = [];
    if (hard.length) parts.push(`${hardSources.size} inner-layer module${hardSources.size === 1 ? "" : "s"} (models, domain, repositories, services, core, and modules they import) import${hardSources.size === 1 ? "s" : ""} the web layer at module level (${hard.length} import${hard.length === 1 ? "" : "s"})`);
    const lazyOnly = [...lazySources].filter((m) => !hardSources.has(m)).length;
    if (lazy.length && hard.length) parts.push(`and ${lazy.length} more import${lazy.length === 1 ? "" : "s"} inside functions (weaker: they load only when called, but the dependency still points outward)`);
    else if (lazy.length) parts.push(`${lazyOnly} inner-layer module${lazyOnly === 1 ? "" : "s"} import${lazyOnly === 1 ? "s" : ""} the web layer, only inside functions (${lazy.length} import${lazy.length === 1 ? "" : "s"}; weaker: they load only when called, but the dependency still points outward)`);
    const note = typeCheckingOnly ? ` ${typeCheckingOnly} import${typeCheckingOnly === 1 ? "" : "s"} under TYPE_CHECKING only ${typeCheckingOnly === 1 ? "is" : "are"} not counted.` : "";
    // a handful in a large project, or only lazy imports: worth knowing, not a broken architecture
    const few = hardSources.size < 2 || (hardSources.size < 4 && hardSources.size < inner.length * 0.1);
    return [
      {
        message: `Layer inversion: ${parts.join(", ")}. Worst examples: ${describe}.${note} Layers are read from module names (no import-linter contract declares them).`,
        evidence,
        ...(few ? { severity: "low" as const } : {}),
      },
    ] satisfies Report[];
  },
});
