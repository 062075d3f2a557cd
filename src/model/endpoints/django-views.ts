import type { AssignmentFact, ClassFact, DecoratorFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import type { Endpoint } from "../types.js";
import { listItems, splitTopLevel } from "./django-routes.js";
import { credentialSignal, verifiesCaller } from "./auth-behaviour.js";

/*
 * What Django, DRF and their auth helpers mean for a view: which HTTP methods a class serves,
 * which actions a viewset has, and whether a request must carry an authenticated user.
 */

export interface Decision {
  auth: boolean | null;
  reason: string;
  /** Marked `@login_not_required` (or public by design, as `LoginView`): Django's LoginRequiredMiddleware lets it through. */
  exempt?: boolean;
  /** The view declares itself public (`permission_classes = [AllowAny]`): a choice, not an omission. */
  declaredPublic?: string;
}

/** Generic views by class name: the methods they serve without a handler in the subclass, and auth they carry themselves. */
interface GenericView {
  framework: "django" | "drf";
  methods: string[];
  auth?: boolean;
}

const READ = ["GET"];
const FORM = ["GET", "POST"];
const GENERIC_VIEWS: Record<string, GenericView> = {
  View: { framework: "django", methods: [] },
  TemplateView: { framework: "django", methods: READ },
  RedirectView: { framework: "django", methods: READ },
  DetailView: { framework: "django", methods: READ },
  ListView: { framework: "django", methods: READ },
  ArchiveIndexView: { framework: "django", methods: READ },
  YearArchiveView: { framework: "django", methods: READ },
  MonthArchiveView: { framework: "django", methods: READ },
  WeekArchiveView: { framework: "django", methods: READ },
  DayArchiveView: { framework: "django", methods: READ },
  TodayArchiveView: { framework: "django", methods: READ },
  DateDetailView: { framework: "django", methods: READ },
  FormView: { framework: "django", methods: FORM },
  CreateView: { framework: "django", methods: FORM },
  UpdateView: { framework: "django", methods: FORM },
  DeleteView: { framework: "django", methods: ["GET", "POST", "DELETE"] },
  LoginView: { framework: "django", methods: FORM, auth: false },
  LogoutView: { framework: "django", methods: ["POST"], auth: false },
  PasswordResetView: { framework: "django", methods: FORM, auth: false },
  PasswordResetDoneView: { framework: "django", methods: READ, auth: false },
  PasswordResetConfirmView: { framework: "django", methods: FORM, auth: false },
  PasswordResetCompleteView: { framework: "django", methods: READ, auth: false },
  PasswordChangeView: { framework: "django", methods: FORM, auth: true },
  PasswordChangeDoneView: { framework: "django", methods: READ, auth: true },
  APIView: { framework: "drf", methods: [] },
  GenericAPIView: { framework: "drf", methods: [] },
  CreateAPIView: { framework: "drf", methods: ["POST"] },
  ListAPIView: { framework: "drf", methods: READ },
  RetrieveAPIView: { framework: "drf", methods: READ },
  DestroyAPIView: { framework: "drf", methods: ["DELETE"] },
  UpdateAPIView: { framework: "drf", methods: ["PUT", "PATCH"] },
  ListCreateAPIView: { framework: "drf", methods: ["GET", "POST"] },
  RetrieveUpdateAPIView: { framework: "drf", methods: ["GET", "PUT", "PATCH"] },
  RetrieveDestroyAPIView: { framework: "drf", methods: ["GET", "DELETE"] },
  RetrieveUpdateDestroyAPIView: { framework: "drf", methods: ["GET", "PUT", "PATCH", "DELETE"] },
};

const ALL_ACTIONS = ["list", "create", "retrieve", "update", "partial_update", "destroy"];
/** DRF viewset classes and mixins by name: the router actions they provide. */
const VIEWSET_ACTIONS: Record<string, string[]> = {
  ViewSetMixin: [],
  ViewSet: [],
  GenericViewSet: [],
  ModelViewSet: ALL_ACTIONS,
  ReadOnlyModelViewSet: ["list", "retrieve"],
  ListModelMixin: ["list"],
  CreateModelMixin: ["create"],
  RetrieveModelMixin: ["retrieve"],
  UpdateModelMixin: ["update", "partial_update"],
  DestroyModelMixin: ["destroy"],
};
const VIEWSET_BASES = new Set(["ViewSetMixin", "ViewSet", "GenericViewSet", "ModelViewSet", "ReadOnlyModelViewSet"]);

/** Router actions: method and whether the route carries the lookup (`/items/{pk}`). */
export const ROUTER_ACTIONS: Array<{ action: string; method: string; detail: boolean }> = [
  { action: "list", method: "GET", detail: false },
  { action: "create", method: "POST", detail: false },
  { action: "retrieve", method: "GET", detail: true },
  { action: "update", method: "PUT", detail: true },
  { action: "partial_update", method: "PATCH", detail: true },
  { action: "destroy", method: "DELETE", detail: true },
];

const HTTP_HANDLERS = ["get", "post", "put", "patch", "delete", "head", "options"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** DRF permission classes by name: what they ask of the request. `writes`: authenticated for unsafe methods only. */
type PermissionEffect = "public" | "authenticated" | "writes";
const PERMISSIONS: Record<string, PermissionEffect> = {
  AllowAny: "public",
  IsAuthenticated: "authenticated",
  IsAdminUser: "authenticated",
  IsAuthenticatedOrReadOnly: "writes",
  DjangoModelPermissions: "authenticated",
  DjangoObjectPermissions: "authenticated",
  DjangoModelPermissionsOrAnonReadOnly: "writes",
  TokenHasScope: "authenticated",
  TokenHasReadWriteScope: "authenticated",
  TokenHasResourceScope: "authenticated",
  IsAuthenticatedOrTokenHasScope: "authenticated",
  HasAPIKey: "authenticated",
};

/** Decorators (and `method_decorator` arguments) that let only logged-in users through, by name. */
const AUTH_DECORATORS = new Set(["login_required", "permission_required", "staff_member_required", "user_passes_test", "superuser_required", "staff_required", "admin_required"]);
const AUTH_MIXIN = /(LoginRequired|PermissionRequired|PermissionsRequired|UserPassesTest|StaffuserRequired|StaffRequired|SuperuserRequired|GroupRequired|AdminRequired)Mixin$/;
const AUTH_CHECK_CALL = /(^|\.)(has_perms?|redirect_to_login|PermissionDenied|check_permissions|check_object_permissions)$/;
const AUTH_CHECK_GUARD = /\b(is_authenticated|is_anonymous|is_staff|is_superuser|has_perms?)\b/;

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** The framework class a name stands for, when it is a Django or DRF one (`rest_framework.generics.ListAPIView` → `ListAPIView`). */
export function frameworkClass(name: string): string | null {
  const short = lastSegment(name);
  if (!name.includes(".")) return short;
  return /^(django|rest_framework)\./.test(name) ? short : null;
}

export interface ClassInfo {
  id: string;
  module: string;
  file: string;
  fact: ClassFact;
}

/** A class-based view: its project classes (the view first, then its bases depth-first) and the framework classes under them. */
export interface ClassView {
  id: string;
  file: string;
  line: number;
  chain: ClassInfo[];
  /** Resolved names of the non-project bases anywhere in the chain (`rest_framework.viewsets.ModelViewSet`). */
  external: string[];
}

/** The class view for a project class, or for a framework class used directly (`TemplateView.as_view()`) placed at the URLconf line. */
export function classView(index: ProjectIndex, classId: string, at: { file: string; line: number }): ClassView {
  const chain: ClassInfo[] = [];
  const external: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number) => {
    if (seen.has(id) || depth > 12) return;
    seen.add(id);
    const symbol = index.symbol(id);
    if (symbol?.kind !== "class") {
      external.push(id);
      return;
    }
    chain.push({ id, module: symbol.module, file: symbol.file, fact: symbol.fact });
    for (const base of symbol.fact.bases) visit(base.qualified ? index.resolve(base.qualified, symbol.module) : base.text, depth + 1);
  };
  visit(classId, 0);
  const own = chain[0];
  return { id: classId, file: own?.file ?? at.file, line: own?.fact.line ?? at.line, chain, external };
}

export function isDrf(view: ClassView): boolean {
  return view.external.some((e) => e.startsWith("rest_framework.") || GENERIC_VIEWS[lastSegment(e)]?.framework === "drf" || VIEWSET_ACTIONS[lastSegment(e)] !== undefined);
}

export function isViewSet(view: ClassView): boolean {
  return view.external.some((e) => {
    const name = frameworkClass(e);
    return name !== null && VIEWSET_BASES.has(name);
  });
}

/** The method `name` as the class resolves it (own or inherited from a project base). */
export function findMethod(index: ProjectIndex, view: ClassView, name: string): FunctionInfo | null {
  for (const c of view.chain) {
    const fn = index.functions.get(`${c.id}.${name}`);
    if (fn) return fn;
  }
  return null;
}

/** A class attribute as the class resolves it. */
export function classAttribute(view: ClassView, name: string): { fact: AssignmentFact; owner: ClassInfo } | null {
  for (const c of view.chain) {
    const fact = c.fact.assignments.find((a) => a.target === name);
    if (fact) return { fact, owner: c };
  }
  return null;
}

/** Methods a class view serves: its own handlers (inherited ones too) and those of the generic views it builds on. */
export function viewMethods(index: ProjectIndex, view: ClassView): Map<string, FunctionInfo | null> {
  const methods = new Map<string, FunctionInfo | null>();
  for (const handler of HTTP_HANDLERS) {
    const fn = findMethod(index, view, handler);
    if (fn) methods.set(handler.toUpperCase(), fn);
  }
  for (const e of view.external) {
    const name = frameworkClass(e);
    for (const method of (name && GENERIC_VIEWS[name]?.methods) || []) if (!methods.has(method)) methods.set(method, null);
  }
  const allowed = allowsMethod(view);
  return new Map([...methods].filter(([method]) => allowed(method)));
}

/** Router actions a viewset has: those it defines and those its framework bases and mixins provide. */
export function viewSetActions(index: ProjectIndex, view: ClassView): Map<string, FunctionInfo | null> {
  const actions = new Map<string, FunctionInfo | null>();
  for (const action of ALL_ACTIONS) {
    const fn = findMethod(index, view, action);
    if (fn) actions.set(action, fn);
  }
  for (const e of view.external) {
    const name = frameworkClass(e);
    for (const action of (name && VIEWSET_ACTIONS[name]) || []) if (!actions.has(action)) actions.set(action, null);
  }
  return actions;
}

/** `http_method_names = ["get"]` limits what a view answers. */
export function allowsMethod(view: ClassView): (method: string) => boolean {
  const attr = classAttribute(view, "http_method_names");
  const allowed = attr ? listItems(attr.fact) : null;
  return (method) => !allowed || allowed.some((m) => m.toUpperCase() === method);
}

/** Decorator names after `method_decorator(...)` is seen through, resolved. */
export function decoratorNames(index: ProjectIndex, decorator: DecoratorFact, module: string): string[] {
  const name = decorator.qualified ? index.resolve(decorator.qualified, module) : decorator.name;
  if (lastSegment(name) !== "method_decorator") return [name];
  const first = decorator.args.find((a) => a.name === null || a.name === "decorator");
  if (!first) return [];
  if (first.qualified) return [index.resolve(first.qualified, module)];
  return (listItems(first) ?? []).map((item) => resolveName(index, item, module));
}

/** A name as written in `module` (`permissions.IsAuthenticated`) → its qualified name. */
export function resolveName(index: ProjectIndex, name: string, module: string): string {
  const bare = name.trim().replace(/\(\)$/, "");
  return /^[A-Za-z_][\w.]*$/.test(bare) ? index.resolve(`#${bare}`, module) : bare;
}

/**
 * Whether a decorator requires a logged-in user: Django's and django-braces' decorators by name, a
 * project decorator by what its wrapper does (checks `request.user.is_authenticated`, a permission or
 * a token, and redirects, raises or refuses otherwise). The text says which, for the reason.
 */
export function authDecorator(index: ProjectIndex, decorator: DecoratorFact, module: string): string | null {
  for (const name of decoratorNames(index, decorator, module)) {
    const text = authWrapper(index, name);
    if (text) return text === lastSegment(name) ? decorator.name : text;
  }
  return null;
}

/** A callable wrapped around a view (decorator or URLconf wrapper), by name for framework ones, by behaviour for the project's. */
export function authWrapper(index: ProjectIndex, name: string): string | null {
  const bare = name.replace(/\(\)$/, "");
  const fn = index.functions.get(bare);
  if (fn) {
    const signal = credentialSignal(index, fn);
    return signal ? `${lastSegment(bare)} (which ${signal})` : null;
  }
  return AUTH_DECORATORS.has(lastSegment(bare)) ? lastSegment(bare) : null;
}

function isLoginNotRequired(name: string): boolean {
  return lastSegment(name) === "login_not_required";
}

/** Where a view's code checks the user itself (`if not request.user.is_authenticated:`, `has_perm`, `raise PermissionDenied()`). */
function checkInBody(index: ProjectIndex, fns: Array<FunctionInfo | null>): string | null {
  for (const fn of fns) {
    if (!fn) continue;
    const signal = verifiesCaller(index, fn);
    if (signal) return `${fn.file}:${fn.fact.line}, ${signal}`;
    for (const { call } of index.callsIn(fn.id)) {
      if (AUTH_CHECK_CALL.test(call.callee) || (call.guard && AUTH_CHECK_GUARD.test(call.guard))) return `${fn.file}:${call.line}`;
    }
  }
  return null;
}

/** DRF permission classes as declared somewhere: names as written in `module` (or absolute, from settings). */
export interface PermissionSource {
  items: string[] | null;
  /** `permission_classes = [...]` as written, for the reason. */
  text: string;
  module: string;
  absolute: boolean;
  where: string;
}

/** DRF's project default: the settings' DEFAULT_PERMISSION_CLASSES, `unknown` when unreadable, null when DRF's AllowAny applies. */
export type DrfDefault = PermissionSource | "unknown" | null;

export interface AuthSettings {
  drfDefault: DrfDefault;
}

/** The DRF decision for one method: the view's permission classes, else the project default. */
function drfDecision(index: ProjectIndex, own: PermissionSource | null, settings: AuthSettings, method: string): Decision {
  const source = own ?? settings.drfDefault;
  if (source === null) return { auth: false, reason: "no permission_classes and DRF's default permission is AllowAny" };
  if (source === "unknown") return { auth: null, reason: "no permission_classes; the project's DEFAULT_PERMISSION_CLASSES could not be read" };
  const label = own ? `permission_classes ${source.text}` : `DEFAULT_PERMISSION_CLASSES ${source.text}`;
  if (source.items === null) return { auth: null, reason: `${label} is not a literal list (${source.where})` };
  const auth = allOf(source.items.map((item) => anyOf(splitTopLevel(item, "|").map((term) => allOf(splitTopLevel(term, "&").map((factor) => permissionAuth(index, factor, source, method)))))));
  const decision: Decision = { auth, reason: `${label} (${source.where})${auth === null ? ": custom permission classes not analysed" : ""}` };
  // the view's own `permission_classes = [AllowAny]` or `()`: a deliberate choice the reviewer should confirm, not an omission
  if (own && auth === false) decision.declaredPublic = `permission_classes ${source.text} (${source.where})`;
  return decision;
}

/** Every class must pass: one that needs a user makes the request need one. */
function allOf(values: Array<boolean | null>): boolean | null {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

/** One of the classes suffices (`A | B`): one that lets anonymous requests through makes the route public. */
function anyOf(values: Array<boolean | null>): boolean | null {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

function permissionAuth(index: ProjectIndex, factor: string, source: PermissionSource, method: string): boolean | null {
  const name = factor.trim().replace(/^\((.*)\)$/s, "$1").trim();
  if (name.startsWith("~") || name.includes("|") || name.includes("&")) return null;
  const qualified = source.absolute ? index.resolve(name, source.module) : resolveName(index, name, source.module);
  const effect = permissionEffect(index, qualified);
  if (effect === null) return null;
  if (effect === "public") return false;
  if (effect === "writes") return !SAFE_METHODS.has(method);
  return true;
}

function permissionEffect(index: ProjectIndex, qualified: string): PermissionEffect | null {
  if (index.symbol(qualified)?.kind !== "class") return PERMISSIONS[lastSegment(qualified)] ?? null;
  // a project permission class: known only when it builds on a framework one (`class IsMember(IsAuthenticated)`)
  for (const e of classView(index, qualified, { file: "", line: 0 }).external) {
    const effect = PERMISSIONS[lastSegment(e)];
    if (effect) return effect;
  }
  return null;
}

/** `permission_classes = [...]` (or `@permission_classes([...])`, `@action(permission_classes=...)`) as a source. */
export function permissionSource(value: { items?: string[]; text: string; kind: string }, module: string, where: string): PermissionSource {
  return { items: listItems(value), text: value.text, module, absolute: false, where };
}

/** Auth for one method of a class-based view or viewset action. */
export function classViewAuth(
  index: ProjectIndex,
  settings: AuthSettings,
  view: ClassView,
  method: string,
  handler: FunctionInfo | null,
  extra: { wrapper: string | null; permissions?: PermissionSource | null; action?: string },
): Decision {
  const exempt = isClassExempt(index, view);
  const decided = (d: Decision): Decision => (exempt ? { ...d, exempt } : d);
  if (extra.wrapper) return decided({ auth: true, reason: `wrapped in ${extra.wrapper} in the URLconf` });
  const mixin = [...view.chain.map((c) => c.id), ...view.external].find((name) => AUTH_MIXIN.test(name));
  if (mixin) return decided({ auth: true, reason: `the view inherits ${lastSegment(mixin)}` });
  const dispatch = findMethod(index, view, "dispatch");
  for (const c of view.chain) {
    for (const d of c.fact.decorators) {
      const target = d.args.find((a) => a.name === "name")?.value;
      if ((target === "dispatch" || target === method.toLowerCase() || target === handler?.fact.name) && authDecorator(index, d, c.module)) {
        return decided({ auth: true, reason: `${lastSegment(c.id)} is decorated with ${d.name}(${d.args[0]?.text ?? ""}) (${c.file}:${d.line})` });
      }
    }
  }
  for (const fn of [dispatch, handler]) {
    for (const d of fn?.fact.decorators ?? []) {
      const hit = fn ? authDecorator(index, d, fn.module) : null;
      if (fn && hit) return decided({ auth: true, reason: `${fn.fact.qualname} is decorated with ${hit} (${fn.file}:${d.line})` });
    }
  }
  for (const e of view.external) {
    const generic = GENERIC_VIEWS[frameworkClass(e) ?? ""];
    if (generic?.auth === true) return decided({ auth: true, reason: `${lastSegment(e)} requires a logged-in user` });
    if (generic?.auth === false) return { auth: false, reason: `${lastSegment(e)} serves anonymous users by design`, exempt: true };
  }
  if (isDrf(view)) {
    const chooser = !extra.permissions ? findMethod(index, view, "get_permissions") : null;
    if (chooser) return decided(permissionsByAction(index, chooser, extra.action ?? handler?.fact.name ?? method.toLowerCase(), method));
    const attr = classAttribute(view, "permission_classes");
    const own = extra.permissions ?? (attr ? permissionSource(attr.fact, attr.owner.module, `${attr.owner.file}:${attr.fact.line}`) : null);
    const decision = drfDecision(index, own, settings, method);
    const authentication = classAttribute(view, "authentication_classes");
    return decided(authentication ? { ...decision, reason: `${decision.reason}; authentication_classes ${authentication.fact.text}` } : decision);
  }
  const check = checkInBody(index, [handler, dispatch]);
  if (check) return decided({ auth: null, reason: `no login_required or auth mixin, but the view checks the user itself (${check})` });
  return decided({ auth: false, reason: "no login_required, auth mixin or permission check" });
}

/**
 * `get_permissions()` returning constant classes per action: `if self.action in ("list", "retrieve"):
 * return [AllowAny()]` then `return [IsAuthenticated()]`. The classes instantiated under a condition that
 * names this action apply, else those outside any condition or in the `else` branch. Anything else
 * (classes chosen from data, a project class not built on a DRF one) leaves the route undecided.
 */
function permissionsByAction(index: ProjectIndex, chooser: FunctionInfo, action: string, method: string): Decision {
  const where = `${chooser.file}:${chooser.fact.line}`;
  const undecided: Decision = { auth: null, reason: `permissions are chosen in get_permissions() (${where})` };
  const made: Array<{ effect: PermissionEffect | null; guard: string | null; name: string }> = [];
  for (const { call, resolved } of index.callsIn(chooser.id)) {
    if (!resolved || !call.callee.match(/^[A-Z]\w*$|\.[A-Z]\w*$/)) continue;
    made.push({ effect: permissionEffect(index, resolved), guard: call.guard, name: lastSegment(resolved) });
  }
  if (made.length === 0 || made.some((m) => m.effect === null)) return undecided;
  const named = new RegExp(`["']${action}["']`, "i");
  const mine = made.filter((m) => m.guard && !m.guard.startsWith("not (") && named.test(m.guard));
  const applicable = mine.length ? mine : made.filter((m) => !m.guard || m.guard.startsWith("not (") || !/self\.action|request\.method|action\b/.test(m.guard));
  if (applicable.length === 0) return undecided;
  const needsUser = (m: (typeof made)[number]) => m.effect === "authenticated" || (m.effect === "writes" && !SAFE_METHODS.has(method));
  if (applicable.every(needsUser)) return { auth: true, reason: `get_permissions() gives ${action} ${applicable.map((m) => m.name).join(", ")} (${where})` };
  if (applicable.some((m) => !needsUser(m)) && applicable.every((m) => !needsUser(m))) return { auth: false, reason: `get_permissions() gives ${action} ${applicable.map((m) => m.name).join(", ")} (${where})`, declaredPublic: `get_permissions() (${where})` };
  return undecided;
}

function isClassExempt(index: ProjectIndex, view: ClassView): boolean {
  return view.chain.some((c) => c.fact.decorators.some((d) => decoratorNames(index, d, c.module).some(isLoginNotRequired)));
}

/** Auth for a function view (plain Django, or DRF `@api_view`). */
export function functionViewAuth(index: ProjectIndex, settings: AuthSettings, fn: FunctionInfo, method: string, extra: { wrapper: string | null; drf: boolean }): Decision {
  const names = fn.fact.decorators.map((d) => ({ d, names: decoratorNames(index, d, fn.module) }));
  const exempt = names.some((n) => n.names.some(isLoginNotRequired));
  const decided = (d: Decision): Decision => (exempt ? { ...d, exempt } : d);
  if (extra.wrapper) return decided({ auth: true, reason: `wrapped in ${extra.wrapper} in the URLconf` });
  for (const { d } of names) {
    const hit = authDecorator(index, d, fn.module);
    if (hit) return decided({ auth: true, reason: `decorated with ${hit} (${fn.file}:${d.line})` });
  }
  if (extra.drf) {
    const declared = names.find((n) => n.names.some((name) => lastSegment(name) === "permission_classes"))?.d;
    const arg = declared?.args[0];
    const own = declared && arg ? permissionSource(arg, fn.module, `${fn.file}:${declared.line}`) : null;
    return decided(drfDecision(index, own, settings, method));
  }
  const check = checkInBody(index, [fn]);
  if (check) return decided({ auth: null, reason: `no login_required decorator, but the view checks the user itself (${check})` });
  // `@csrf_exempt` on a plain Django view: built for machine callers (webhooks, provider callbacks, bots)
  const csrfExempt = names.find((n) => n.names.some((name) => lastSegment(name) === "csrf_exempt"));
  if (csrfExempt) return decided({ auth: false, reason: "no login_required or permission decorator", declaredPublic: `@csrf_exempt (${fn.file}:${csrfExempt.d.line}), a view for machine callers` });
  return decided({ auth: false, reason: "no login_required or permission decorator" });
}

/** Methods a function view accepts: `@api_view([...])`, `@require_http_methods([...])`, `@require_GET`…; null when it takes any. */
export function functionViewMethods(index: ProjectIndex, fn: FunctionInfo): { methods: string[] | null; drf: boolean } {
  for (const d of fn.fact.decorators) {
    const name = lastSegment(d.qualified ? index.resolve(d.qualified, fn.module) : d.name);
    const first = d.args.find((a) => a.name === null || a.name === "http_method_names" || a.name === "request_method_list");
    const listed = first ? (listItems(first) ?? []).map((m) => m.toUpperCase()) : null;
    if (name === "api_view") return { methods: listed?.length ? listed : ["GET"], drf: true };
    if (name === "require_http_methods" && listed) return { methods: listed, drf: false };
    if (name === "require_GET") return { methods: ["GET"], drf: false };
    if (name === "require_POST") return { methods: ["POST"], drf: false };
    if (name === "require_safe") return { methods: ["GET", "HEAD"], drf: false };
  }
  return { methods: null, drf: false };
}

/** The endpoint fields for a class view's method or action: the def that handles it, else the class (inherited from a framework class). */
export function handlerOf(view: ClassView, name: string, fn: FunctionInfo | null, framework: "django" | "drf", method: string, path: string): Omit<Endpoint, "auth" | "authReason"> {
  if (fn) return { method, path, handler: fn.id, file: fn.file, line: fn.fact.line, isAsync: fn.fact.isAsync, framework };
  return { method, path, handler: `${view.id}.${name}`, file: view.file, line: view.line, isAsync: false, framework };
}
