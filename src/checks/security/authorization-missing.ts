import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { DataModel, Endpoint, Evidence, SystemModel } from "../../model/types.js";
import type { ArgumentFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { isServiceCode } from "../code-paths.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

/** Words that name an authorisation decision: roles, scopes, permissions, staff or admin flags, ownership checks. */
const AUTHZ_WORD = /\badmins?_only\b|\b\w*(admin|staff|superuser)\w*_required\b|requires?_(admin|staff|superuser|role|permission)|has_perms?\b|has_object_permission|has_permission|check_object_permissions|check_permissions?|permission_required|permission_classes|user_passes_test|staff_member_required|superuser|is_staff|is_admin|\badmin_required|\broles?\b|role_required|require_role|\bscopes?\b|SecurityScopes|authori[sz]e|\bcan_\w+|is_allowed|access_policy|\benforce\b|\bpolicy\b|\bowner\b|is_owner|\bacl\b|\bgrant/i;
/** Authorisation libraries: any of them in the dependencies is a mechanism. */
const AUTHZ_PACKAGES = /^(django-guardian|django-rules|rules|casbin|pycasbin|oso|sqlalchemy-oso|flask-principal|django-role-permissions|fastapi-permissions|drf-access-policy|django-rest-framework-roles|dry-rest-permissions|permit|cerbos|openfga-sdk|flask-security|flask-security-too|fastapi-users)$/;
/** Calls that load one object by a key. */
const LOAD_ONE = /(^|\.)(get|get_or_404|first_or_404|one_or_404|get_object_or_404|filter|filter_by|where|get_by_id|get_one|find_one|find_by_id|fetch_one|fetchrow|get_item|get_obj)$/;
/** Names of fields or foreign keys that tie a row to its owner or tenant. */
const OWNER_FIELD = /^(owner|owner_id|user|user_id|created_by|created_by_id|author|author_id|account|account_id|tenant|tenant_id|organization|organization_id|organisation_id|org|org_id|team|team_id|workspace|workspace_id|customer|customer_id|member|member_id|household|household_id|group|group_id|project|project_id)$/;
/** What scopes a query or a check to the caller. */
const CALLER = /\b(request\.user|current_user|user|auth_user|principal|auth_subject|owner|owner_id|user_id|tenant|tenant_id|organization|org_id|account|account_id|team|workspace|household|group_id|me)\b|\.user\b/;
/** A branch comparing the loaded object's owner with something the caller owns (`if channel.project_id != check.project_id:`). */
const OWNER_COMPARE = /\.(owner|user|project|tenant|org|organization|organisation|account|team|workspace|customer|household|group|author|created_by)(_id)?\s*(!=|==|\bis\b|\bin\b)|(!=|==)\s*[\w.]*\.(owner|user|project|tenant|org|organization|account|team|workspace|customer|household|group|author|created_by)(_id)?\b/;
/** Keys that name one object: its primary key or another unique identifier. */
const OBJECT_KEY = /^(id|pk|uuid|slug|code|key|public_id|external_id|short_id|guid)$/;
/** Class bases that authorise a view (`PermissionRequiredMixin`, `SingleAuditChecklistAccessRequiredMixin`, `UserPassesTestMixin`). */
const AUTHZ_BASE = /Permission|Access|Owner|Role|Authori[sz]|Admin|Staff|Superuser|UserPassesTest|Restricted/;
/** A refusal: 403, PermissionDenied, Forbidden, or a check helper by name. */
const REFUSAL = /403|forbidden|permission|not enough privileges|not allowed|unauthori[sz]ed|access denied/i;

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)(?::[^}]*)?\}|<(?:\w+:)?(\w+)>|\(\?P<(\w+)>/g)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** The project data model a load names (`session.get(Item, id)`, `Item.objects.get(pk=pk)`, `get_object_or_404(Item, ...)`). */
function loadedModel(model: SystemModel, index: ProjectIndex, fn: FunctionInfo, callee: string, qualified: string | null, args: ArgumentFact[]): DataModel | null {
  const candidates: string[] = [];
  for (const a of args) if (a.qualified && /^[A-Z]/.test(a.text)) candidates.push(index.resolve(a.qualified, fn.module));
  const manager = /^([\w.]+)\.objects\./.exec(callee)?.[1];
  if (manager && qualified) candidates.push(index.resolve(qualified.replace(/\.objects\..*$/, ""), fn.module));
  const query = /^([A-Z]\w*)\.query\./.exec(callee)?.[1];
  if (query && qualified) candidates.push(index.resolve(qualified.replace(/\.query\..*$/, ""), fn.module));
  for (const id of candidates) {
    const found = model.dataModels.find((m) => m.name === id);
    if (found) return found;
  }
  return null;
}

/** Whether a load's arguments look the object up by its own key taken from the path (not a parent's foreign key). */
function byOwnKey(callee: string, args: ArgumentFact[], params: string[], target: DataModel): boolean {
  const fromPath = (a: ArgumentFact) => a.usesParams?.some((p) => params.includes(p)) || params.includes(a.text);
  const keys = new Set([...target.primaryKey, ...target.fields.filter((f) => f.unique || f.primaryKey).map((f) => f.name)]);
  return args.some((a) => {
    if (!fromPath(a)) return false;
    if (a.name !== null) return OBJECT_KEY.test(a.name.replace(/__(exact|iexact)$/, "")) || keys.has(a.name);
    // `session.get(Item, item_id)`, `Item.query.get(item_id)`, `Item.query.get_or_404(item_id)`: positional lookups by primary key
    if (/(^|\.)(get|get_or_404|get_by_id|find_by_id)$/.test(callee)) return true;
    // `.where(Item.id == item_id)`, `.filter(Item.uuid == item_uuid)`
    return /\.(id|pk|uuid|slug|code|key|public_id)\s*==/.test(a.text);
  });
}

/** An owner or tenant column on the model: the row belongs to someone, so loading it by id alone is a BOLA risk. */
function ownerColumn(m: DataModel): string | null {
  return m.foreignKeys.find((fk) => OWNER_FIELD.test(fk.field))?.field ?? m.fields.find((f) => OWNER_FIELD.test(f.name))?.name ?? null;
}

interface Bola {
  endpoint: Endpoint;
  evidence: Evidence;
  model: string;
  column: string;
  /** Path parameters (a parent's key) the handler never uses. */
  ignored: string[];
}

/** Handlers that load an owned object by an id from the path with no owner filter and no permission check in the handler. */
function unscopedLoads(model: SystemModel, index: ProjectIndex, endpoints: Endpoint[]): Bola[] {
  const out: Bola[] = [];
  const seen = new Set<string>();
  for (const e of endpoints) {
    const params = pathParameters(e.path);
    const fn = index.functions.get(e.handler);
    if (!params.length || !fn || seen.has(fn.id)) continue;
    seen.add(fn.id);
    // a route restricted to administrators, or a handler decorated with a permission check
    if ((e.dependencies ?? []).some((d) => AUTHZ_WORD.test(d)) || fn.fact.decorators.some((d) => AUTHZ_WORD.test(d.name)) || fn.fact.params.some((p) => p.dependency && AUTHZ_WORD.test(`${p.name} ${p.dependency.target ?? ""}`))) continue;
    // a class-based view whose base classes authorise (`PermissionRequiredMixin`, an access mixin)
    const owner = fn.fact.className ? index.symbol(fn.id.slice(0, fn.id.lastIndexOf("."))) : undefined;
    if (owner?.kind === "class" && owner.fact.bases.some((b) => AUTHZ_BASE.test(b.text))) continue;
    const calls = index.callsIn(fn.id);
    // a machine credential (`@requires_auth_token`, an API key decorator) and no user in the handler: no signed-in user swaps ids
    const handlerText = calls.map(({ call }) => `${call.callee} ${call.args.map((a) => a.text).join(" ")}`).join(" ");
    if (fn.fact.decorators.some((d) => /token|api_?key/i.test(d.name)) && !/user/i.test(handlerText)) continue;
    const facts = index.modules.get(fn.module)?.facts;
    const withoutParams = (text: string) => params.reduce((t, p) => t.replace(new RegExp(`\\b${p}\\b`, "g"), ""), text);
    // any call argument or branch in the handler that names the caller or a permission: scoped or checked
    const scoped =
      calls.some(
        ({ call }) =>
          call.args.some((a) => CALLER.test(withoutParams(a.text)) || AUTHZ_WORD.test(a.text) || (a.name !== null && OWNER_FIELD.test(a.name.replace(/__\w+$/, "")))) ||
          AUTHZ_WORD.test(call.callee) ||
          CALLER.test(withoutParams(call.callee)) ||
          /(for|by|of)_(user|owner|member|caller)|(user|owner|member)_(can|has|owns)|check_access|ensure_access/i.test(call.callee) ||
          (call.guard !== null && (CALLER.test(withoutParams(call.guard)) || AUTHZ_WORD.test(call.guard) || OWNER_COMPARE.test(call.guard))),
      ) ||
      (facts?.raises ?? []).some((r) => r.enclosing === fn.fact.qualname && (REFUSAL.test(r.text) || (r.guard !== null && (CALLER.test(withoutParams(r.guard)) || AUTHZ_WORD.test(r.guard) || OWNER_COMPARE.test(r.guard)))));
    if (scoped) continue;
    for (const { call, resolved } of calls) {
      if (!LOAD_ONE.test(call.callee)) continue;
      const target = loadedModel(model, index, fn, call.callee, resolved ?? call.qualified, call.args);
      const column = target ? ownerColumn(target) : null;
      if (!target || !column || !byOwnKey(call.callee, call.args, params, target)) continue;
      // a parent in the path (`/projects/{project_pk}/features/{pk}`) that no call in the handler uses: the lookup ignores it
      const used = new Set(calls.flatMap(({ call: c }) => c.args.flatMap((a) => a.usesParams ?? [])));
      const ignored = params.filter((p) => !used.has(p));
      out.push({ endpoint: e, evidence: { file: fn.file, line: call.line, snippet: call.snippet }, model: target.name.slice(target.name.lastIndexOf(".") + 1), column, ignored });
      break;
    }
  }
  return out;
}

/** Anything in the service that makes an authorisation decision; the first found, or null. */
function authorisationMechanism(model: SystemModel, index: ProjectIndex): string | null {
  const pkg = model.dependencies.find((d) => AUTHZ_PACKAGES.test(d.name) && !d.dev);
  if (pkg) return pkg.name;
  for (const mod of index.modules.values()) {
    if (!isServiceCode(mod.file) || !runsInProduction(fileRole(mod.file))) continue;
    const f = mod.facts;
    const hit =
      f.functions.find((x) => AUTHZ_WORD.test(x.name) || x.decorators.some((d) => AUTHZ_WORD.test(d.name)) || x.params.some((p) => AUTHZ_WORD.test(`${p.name} ${p.annotation ?? ""}`)))?.name ??
      f.classes.find((c) => AUTHZ_WORD.test(c.name) || c.assignments.some((a) => AUTHZ_WORD.test(a.target)))?.name ??
      f.calls.find((c) => AUTHZ_WORD.test(c.callee) || (c.guard !== null && AUTHZ_WORD.test(c.guard)) || c.args.some((a) => a.name !== null && AUTHZ_WORD.test(a.name)))?.callee ??
      f.raises.find((r) => REFUSAL.test(r.text))?.text;
    if (hit) return hit;
  }
  return null;
}

export default defineCheck({
  id: "SEC017",
  area: "security",
  title: "Authentication without authorisation",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "Knowing who the caller is does not decide what they may touch. A handler that loads `/orders/{order_id}` by the id alone serves any user's order to any logged-in user who changes the number (broken object-level authorisation, the first risk of the OWASP API Top 10); with no roles or permissions at all, every account can call every administrative route.",
  recommendation: "Scope every load of an owned object to the caller (`select(Order).where(Order.id == order_id, Order.owner_id == user.id)`, `get_object_or_404(request.user.orders, pk=pk)`, a DRF `get_queryset` filtered by `request.user`) and answer 404 for others' objects; put role and permission checks in one place (DRF permission classes, FastAPI dependencies with scopes, django-rules or django-guardian for object permissions, Casbin or Oso for policies).",
  example: { bad: '@router.get("/orders/{order_id}")\ndef get_order(order_id: int, user: User = Depends(current_user), db: Session = Depends(get_db)):\n    return db.get(Order, order_id)', good: '@router.get("/orders/{order_id}")\ndef get_order(order_id: int, user: User = Depends(current_user), db: Session = Depends(get_db)):\n    order = db.scalar(select(Order).where(Order.id == order_id, Order.owner_id == user.id))\n    if order is None:\n        raise HTTPException(404)\n    return order' },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/", "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/", "https://cwe.mitre.org/data/definitions/639.html", "https://www.django-rest-framework.org/api-guide/permissions/"],
  effort: "M",
  libraries: ["django-rules", "django-guardian", "casbin", "oso"],
  cwe: "CWE-639",
  owasp: "API1:2023",
  run({ model, index }) {
    const authenticated = model.endpoints.filter((e) => e.auth === true && isServiceCode(e.file) && runsInProduction(fileRole(e.file)));
    if (!authenticated.length) return [];
    const reports: Report[] = [];
    const bola = unscopedLoads(model, index, authenticated);
    if (bola.length) {
      const shown = bola.slice(0, 5);
      const more = bola.length > shown.length ? ` (and ${bola.length - shown.length} more)` : "";
      reports.push({
        message: `${bola.length === 1 ? "An authenticated handler loads" : `${bola.length} authenticated handlers load`} an object by the id in its path with no owner filter and no permission check in the handler${more}: ${shown.map((b) => `${b.endpoint.method} ${b.endpoint.path} loads ${b.model} (owned through ${b.column}) at ${b.evidence.file}:${b.evidence.line}${b.ignored.length ? `, ignoring {${b.ignored.join("}, {")}} from its own path` : ""}`).join("; ")}. Any signed-in user who changes the id reads or changes another user's object, unless a check outside the handler (a router dependency, middleware, row-level security) scopes it.${shown.some((b) => b.endpoint.framework === "drf") ? " In DRF views, a lookup that bypasses `self.get_object()` also skips the permission classes' `has_object_permission`." : ""}`,
        evidence: shown.map((b) => b.evidence),
      });
    }
    const mechanism = authorisationMechanism(model, index);
    if (!mechanism) {
      const first = authenticated[0] as Endpoint;
      reports.push({
        message: `${authenticated.length} endpoint${authenticated.length === 1 ? " requires" : "s require"} authentication, but nothing in the service decides what an authenticated caller may do: no roles, scopes, permission classes, \`has_perm\`/\`is_staff\`/\`is_superuser\` checks or 403 refusals. Every account can call every route.`,
        evidence: [{ file: first.file, line: first.line, snippet: `${first.method} ${first.path} (${first.authReason})`.slice(0, 160) }],
        confidence: "low",
      });
    }
    return reports;
  },
});
