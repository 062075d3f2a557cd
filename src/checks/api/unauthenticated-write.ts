import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { joinAnd, plural } from "../../core/prose.js";
import { credentialSignal } from "../../model/endpoints/auth-behaviour.js";
import { classChain } from "../../model/endpoints/graphql-fields.js";
import type { GraphQLOperation, SystemModel } from "../../model/types.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import noAuthentication from "../security/no-authentication.js";
import type { CheckInput, Report } from "../types.js";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Endpoints that are public by design. */
const EXPECTED_PUBLIC = /(^|\/)(login|logout|signin|sign-in|signup|sign-up|register|tokens?|refresh|oauth2?|auth|password[-_]?(reset|recovery|forgot)|forgot[-_]?password|reset[-_]?password|recover-password|[\w-]*webhooks?[\w-]*|[\w-]*callbacks?|health[a-z]*|[\w-]*verify[\w-]*|confirm|open-?id|[\w-]*sessions?)(\/|$|\{)/i;

/** Handlers whose name says they are the public way in (`POST /users` that registers a user). */
const PUBLIC_HANDLER = /^(register|register_user|signup|sign_up|create_account|login|log_in|authenticate|obtain_token|issue_token|refresh_token|reset_password|forgot_password|verify_email|\w*webhook\w*|\w*callback)$/i;
const DEV_ONLY = /\b(local|dev|development|debug|DEBUG|test|testing)\b/i;

/** Calls that write somewhere: ORM and session writes, cache and file writes, messages, tasks, outbound requests. */
const WRITE_CALL = /(^|\.)(save|create|get_or_create|update_or_create|update|delete|bulk_create|bulk_update|remove|add|add_all|merge|commit|flush|execute|executemany|insert|insert_one|insert_many|update_one|update_many|delete_one|delete_many|replace_one|set|setex|hset|lpush|rpush|incr|decr|publish|send|send_mail|send_message|delay|apply_async|send_task|enqueue|post|put|patch|request|write|write_text|write_bytes|upload|upload_file|put_object|unlink|rmtree|rename|mkdir|login|logout|create_task|emit|dispatch|run|call|perform_create|perform_update|perform_destroy|destroy|full_clean|set_password|atomic|begin)$/;
/** Calls whose effect cannot be seen (a method reached through `self`, a dynamic callee): assume they may write. */
const OPAQUE_CALL = /^(self|cls|super\(\))\.|^getattr$|^\w+\[/;

/** Whether a handler (or the project functions it calls, three levels down) may change state. */
function writesState(index: ProjectIndex, fn: FunctionInfo, depth = 0, seen = new Set<string>()): boolean {
  if (seen.has(fn.id) || depth > 3) return true;
  seen.add(fn.id);
  for (const { call } of index.callsIn(fn.id)) {
    if (WRITE_CALL.test(call.callee) || OPAQUE_CALL.test(call.callee)) return true;
  }
  for (const edge of index.callGraph.get(fn.id) ?? []) {
    const target = index.functions.get(edge.target);
    if (target && writesState(index, target, depth + 1, seen)) return true;
  }
  return false;
}

const CREDENTIAL_FIELD = /^(key|token|secret|code|otp|[a-z_]*_(token|key|secret|code))$/;
const PASSWORD_FIELD = /^(password|password1|new_password|raw_password)$/;

/** A request-body model field that is itself a credential (`key`, `invitation_token`), through project base classes. */
function bodyCredential(index: ProjectIndex, fn: FunctionInfo, field: RegExp = CREDENTIAL_FIELD): string | null {
  // the body's classes: annotated parameters (FastAPI), and a view's nested serializers the handler builds (`self.InputSerializer(data=...)`)
  const owner = fn.fact.className ? fn.id.slice(0, fn.id.lastIndexOf(".")) : null;
  const nested = owner ? index.callsIn(fn.id).flatMap(({ call }) => (/^self\.[A-Z]\w*$/.test(call.callee) ? [`${owner}.${call.callee.slice(5)}`] : [])) : [];
  const classes = [...fn.fact.params.filter((p) => p.annotationQualified && !p.dependency).map((p) => index.resolve(p.annotationQualified as string, fn.module)), ...nested];
  for (const classId of classes) {
    const seen = new Set<string>();
    const visit = (id: string, depth: number): string | null => {
      const symbol = index.symbol(id);
      if (symbol?.kind !== "class" || depth > 5 || seen.has(id)) return null;
      seen.add(id);
      // a pydantic field (`key: str`) or a serializer field (`password = serializers.CharField()`)
      const found = symbol.fact.assignments.find((a) => (a.annotation !== null || /Field\(/.test(a.text)) && field.test(a.target) && !/id$/.test(a.target));
      if (found) return `${symbol.fact.name}.${found.target}`;
      for (const b of symbol.fact.bases) {
        const found = b.qualified ? visit(index.resolve(b.qualified, symbol.module), depth + 1) : null;
        if (found) return found;
      }
      return null;
    };
    const hit = visit(classId, 0);
    if (hit) return hit;
  }
  return null;
}

/** Mutation name words that say it is the public way in (sign-up, login, tokens, password reset) or a guest shopper's flow (checkout, cart). */
const PUBLIC_MUTATION_WORD = /(^|_)(tokens?|login|logout|signin|signup|register|password|reset|verify|refresh|external|confirm|checkout|cart|basket)(_|$)/;
const PUBLIC_MUTATION_PHRASE = /(^|_)(sign_(in|up)|log_(in|out)|payment_(gateway_)?initiali[sz]e)(_|$)/;
/** Forms a site's visitors fill in (a contact or sponsor-lead form, a newsletter sign-up): public by design, worth a look at how they are limited. */
const VISITOR_FORM = /(^|_)(contact|contact_us|lead|leads|subscribe|unsubscribe|newsletter|feedback|inquiry|enquiry)(_|$)/;
/** Mutations named for a computation answer a question and change nothing (`deliveryOptionsCalculate`, `paymentCheckBalance`). */
const COMPUTING_WORD = /(^|_)(calculate|compute|estimate|preview|validate|check|quote|simulate)(_|$)/;
/** An argument that is itself the credential (`token`, `client_secret`, `invitation_token`): a capability. */
const CAPABILITY_ARG = /^(token|secret|[a-z0-9_]*_(token|secret))$/;
/** Methods of a graphene mutation class that may check the caller. */
const MUTATION_METHODS = ["mutate", "perform_mutation", "mutate_and_get_payload", "check_permissions", "clean_input", "clean_instance", "get_instance"];
/** Mutations named in one finding; the rest are counted. */
const SHOWN = 8;
/** A class many mutations build on is framework plumbing: its generic checks say nothing about one mutation. */
const SHARED_BASE = 5;

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The graphene Mutation class an operation resolves through (`CreateUser.perform_mutation` → `CreateUser`). */
function mutationClass(index: ProjectIndex, op: GraphQLOperation): string | null {
  if (op.library !== "graphene") return null;
  if (index.symbol(op.resolver)?.kind === "class") return op.resolver;
  const fn = index.functions.get(op.resolver);
  return fn?.fact.className ? fn.id.slice(0, fn.id.lastIndexOf(".")) : null;
}

/** The arguments a mutation takes: a graphene `Arguments`/`Input` class through its bases, or the resolver's parameters. */
function mutationArguments(index: ProjectIndex, op: GraphQLOperation): string[] {
  const out: string[] = [];
  const owner = mutationClass(index, op);
  for (const c of owner ? classChain(index, owner) : []) {
    for (const inner of ["Arguments", "Input"]) {
      const symbol = index.symbol(`${c.id}.${inner}`);
      if (symbol?.kind === "class") out.push(...symbol.fact.assignments.map((a) => a.target));
    }
  }
  const fn = index.functions.get(op.resolver);
  if (fn && !owner) out.push(...fn.fact.params.map((p) => p.name).filter((n) => !/^_*(self|cls|root|info|obj|parent)$/.test(n)));
  return out;
}

/**
 * A check in a graphene mutation's own classes that the model may not have read: a mixin many mutations share stands first
 * in the bases (`AccountAddressUpdate(AddressMetadataMixin, BaseAddressUpdate)`) and the specific base after it checks
 * (`BaseAddressUpdate.clean_input` → `check_can_edit_address` raising PermissionDenied). Shared bases are skipped, not an end.
 */
function specificBaseCheck(index: ProjectIndex, classId: string, shared: Map<string, number>): string | null {
  for (const c of classChain(index, classId)) {
    if (c.id !== classId && (shared.get(c.id) ?? 0) >= SHARED_BASE) continue;
    for (const method of MUTATION_METHODS) {
      const fn = index.functions.get(`${c.id}.${method}`);
      const signal = fn ? credentialSignal(index, fn) : null;
      if (signal) return `${c.fact.name}.${method} ${signal}`;
    }
  }
  return null;
}

/**
 * GraphQL mutations no authentication covers, one finding per schema (a schema is one API: its open mutations share one
 * cause), high, or low when each takes its own secret. Login, sign-up, token, password and guest-checkout mutations are
 * public by design; operations of no schema and no route are not known to be served.
 */
function graphqlReports(model: SystemModel, index: ProjectIndex, deferToSec016: () => boolean): Report[] {
  const shared = new Map<string, number>();
  for (const op of model.graphqlOperations) {
    const owner = op.kind === "mutation" ? mutationClass(index, op) : null;
    for (const c of owner ? classChain(index, owner).slice(1) : []) shared.set(c.id, (shared.get(c.id) ?? 0) + 1);
  }
  const groups = new Map<string, { open: GraphQLOperation[]; capability: Array<{ op: GraphQLOperation; arg: string }>; forms: GraphQLOperation[] }>();
  for (const op of model.graphqlOperations) {
    if (op.kind !== "mutation" || op.auth !== false || (op.schema === null && !op.route)) continue;
    if (!runsInProduction(fileRole(op.file))) continue;
    const name = snake(op.name);
    if (PUBLIC_MUTATION_WORD.test(name) || PUBLIC_MUTATION_PHRASE.test(name) || COMPUTING_WORD.test(name)) continue;
    const resolver = index.functions.get(op.resolver);
    if (resolver && index.callsIn(resolver.id).length > 0 && !writesState(index, resolver)) continue;
    const owner = mutationClass(index, op);
    if (owner && specificBaseCheck(index, owner, shared)) continue;
    const key = op.schema ?? `route ${op.route}`;
    const group = groups.get(key) ?? { open: [], capability: [], forms: [] };
    groups.set(key, group);
    const arg = mutationArguments(index, op).find((a) => CAPABILITY_ARG.test(snake(a)));
    if (arg) group.capability.push({ op, arg });
    else if (VISITOR_FORM.test(name)) group.forms.push(op);
    else group.open.push(op);
  }
  const reports: Report[] = [];
  for (const [key, group] of groups) {
    const sample = group.open[0] ?? group.capability[0]?.op ?? group.forms[0];
    const schema = sample?.schema ? `schema ${sample.schema}` : "the GraphQL schema";
    const routes = model.graphqlSchemas.find((d) => d.name === sample?.schema)?.routes ?? (sample?.route ? [sample.route] : []);
    const where = `${schema}${routes.length ? ` (served on ${joinAnd(routes)})` : ""}`;
    const evidence = (ops: GraphQLOperation[]) => ops.slice(0, SHOWN).map((op) => ({ file: op.file, line: op.line, snippet: `mutation ${op.name} → ${op.resolver}` }));
    const names = (items: string[]) => `${joinAnd(items.slice(0, SHOWN).concat(items.length > SHOWN ? [`${items.length - SHOWN} more`] : []))}`;
    const authenticated = model.graphqlOperations.filter((op) => (op.schema ?? `route ${op.route}`) === key && op.auth === true).length;
    if (group.open.length) {
      const n = group.open.length;
      const first = group.open[0] as GraphQLOperation;
      if (authenticated === 0 && deferToSec016()) {
        reports.push({
          message: `${plural(n, "GraphQL mutation")} of ${where} change${n === 1 ? "s" : ""} state with no authentication (${names(group.open.map((op) => op.name))}): nothing in this service authenticates callers, which SEC016 reports; listed here so each is covered once a mechanism exists.`,
          evidence: evidence(group.open),
          severity: "low",
        });
      } else {
        const contrast = authenticated ? `while ${plural(authenticated, "other operation")} of the schema ${authenticated === 1 ? "is" : "are"} authenticated` : "and no operation of the schema checks its caller";
        reports.push({
          message: `${plural(n, "GraphQL mutation")} of ${where} change${n === 1 ? "s" : ""} state and no authentication covers ${n === 1 ? "it" : "them"} ${contrast}: ${names(group.open.map((op) => op.name))} (${n === 1 ? first.authReason : "no permission classes, auth decorator or check of the caller in their resolvers"}).`,
          evidence: evidence(group.open),
        });
      }
    }
    if (group.capability.length) {
      const n = group.capability.length;
      reports.push({
        message: `${plural(n, "GraphQL mutation")} of ${where} change${n === 1 ? "s" : ""} state with no authentication but the secret ${n === 1 ? "argument" : "arguments"} ${n === 1 ? "it takes" : "they take"} (${names(group.capability.map((c) => `${c.op.name}(${c.arg})`))}): authorised by that value; make sure it is long, random, expiring and never logged.`,
        evidence: evidence(group.capability.map((c) => c.op)),
        severity: "low",
      });
    }
    if (group.forms.length) {
      const n = group.forms.length;
      reports.push({
        message: `${plural(n, "GraphQL mutation")} of ${where} ${n === 1 ? "is" : "are"} open to anyone and named like a form for visitors (${names(group.forms.map((op) => op.name))}): public by design, most likely; make sure ${n === 1 ? "it is" : "they are"} rate limited (and behind a captcha if ${n === 1 ? "it sends" : "they send"} mail), since anyone can script ${n === 1 ? "it" : "them"}.`,
        evidence: evidence(group.forms),
        severity: "low",
      });
    }
  }
  return reports;
}

export default defineCheck({
  id: "API002",
  area: "api",
  title: "State-changing endpoint without authentication",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "A POST, PUT, PATCH or DELETE route, or a GraphQL mutation, that no authentication covers lets anyone on the network create, change or delete data; once such an endpoint is found it is usually scripted.",
  recommendation: "Cover the route with the authentication the rest of the API uses: a dependency on the current user (`Depends(get_current_user)`) on the route or its router, a permission class, or a login decorator. For GraphQL, put the check on the mutation: Strawberry `permission_classes=[IsAuthenticated]`, graphene-django `Meta.permissions` or django-graphql-jwt `@login_required` on `mutate`, or require a login on the GraphQL view itself. If it is public by design, say so with an inline suppression and a reason.",
  example: {
    bad: '@router.delete("/{product_id}")\ndef delete_product(product_id: int, db: Session = Depends(get_db)): ...',
    good: '@router.delete("/{product_id}", dependencies=[Depends(get_current_admin)])\ndef delete_product(product_id: int, db: Session = Depends(get_db)): ...',
  },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/", "https://cwe.mitre.org/data/definitions/306.html", "https://fastapi.tiangolo.com/tutorial/security/"],
  effort: "S",
  libraries: ["fastapi", "pyjwt", "fastapi-users", "django-graphql-jwt"],
  cwe: "CWE-306",
  owasp: "API5:2023",
  run(input: CheckInput) {
    const { model, index } = input;
    let sec016: boolean | undefined;
    // SEC016 reports a service with no authentication mechanism at all: the routes it leaves open are then its consequence
    const deferToSec016 = () => (sec016 ??= noAuthentication.run(input).length > 0);
    const reports: Report[] = [];
    const open: Report[] = [];
    const protectedCount = model.endpoints.filter((e) => e.auth === true).length;
    for (const e of model.endpoints) {
      if (!WRITE_METHODS.has(e.method) || e.auth !== false || EXPECTED_PUBLIC.test(e.path) || PUBLIC_HANDLER.test(e.handler.slice(e.handler.lastIndexOf(".") + 1))) continue;
      // routers mounted only for local development or tests are not part of the deployed API
      if (e.condition && DEV_ONLY.test(e.condition) && !e.condition.startsWith("not (")) continue;
      // a POST that only reads and renders (a preview, a search form) changes nothing
      const handler = index.functions.get(e.handler);
      if (handler && index.callsIn(handler.id).length > 0 && !writesState(index, handler)) continue;
      if (e.declaredPublic) {
        reports.push({
          message: `${e.method} ${e.path} changes state and is declared public by ${e.declaredPublic}; confirm that anonymous callers are meant to reach it, and how they are limited.`,
          evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }],
          severity: "low",
          confidence: "high",
        });
        continue;
      }
      // the secret is in the URL (`/checkouts/client/{client_secret}`, `/invites/{token}`): a capability link
      const capability = /\{([\w]*(secret|token|signature|key|hash)[\w]*)\}/i.exec(e.path)?.[1];
      if (capability) {
        reports.push({
          message: `${e.method} ${e.path} changes state with no authentication but the secret in its URL ({${capability}}); make sure that value is long, random, expiring and never logged.`,
          evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }],
          severity: "low",
          confidence: "medium",
        });
        continue;
      }
      // the body carries the credential (`LicenseKeyValidate.key`, `SeatClaim.invitation_token`): public by design, authorised by that value
      const bodyKey = handler ? bodyCredential(index, handler) : null;
      if (bodyKey) {
        reports.push({
          message: `${e.method} ${e.path} changes state with no authentication but the credential in its body (${bodyKey}); make sure that value is long, random, checked in constant time and rate-limited.`,
          evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }],
          severity: "low",
          confidence: "medium",
        });
        continue;
      }
      // a password in the body: a sign-up or login form, the public way in
      const password = handler ? bodyCredential(index, handler, PASSWORD_FIELD) : null;
      if (password) {
        reports.push({
          message: `${e.method} ${e.path} changes state with no authentication and takes a password in its body (${password}): a sign-up or login endpoint, public by design; make sure it is rate limited and cannot create privileged accounts.`,
          evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }],
          severity: "low",
          confidence: "medium",
        });
        continue;
      }
      const contrast = protectedCount ? ` (${protectedCount} other endpoint${protectedCount === 1 ? " is" : "s are"} authenticated)` : "";
      open.push({
        message: `${e.method} ${e.path} changes state and no authentication covers it${contrast}: ${e.authReason}.`,
        evidence: [{ file: e.file, line: e.line, snippet: `${e.method} ${e.path} → ${e.handler}` }],
      });
    }
    // an API with no authentication anywhere has one cause, whatever the number of routes: one finding that lists them
    const undecided = model.endpoints.some((e) => e.auth === null);
    if (open.length && protectedCount === 0 && !undecided && deferToSec016()) {
      reports.push({
        message: `${plural(open.length, "endpoint")} that change${open.length === 1 ? "s" : ""} state ${open.length === 1 ? "is" : "are"} open to anyone (${open.map((r) => r.evidence[0]?.snippet?.split(" → ")[0]).join(", ")}): nothing in this service authenticates callers, which SEC016 reports; listed here so each route is covered once a mechanism exists.`,
        evidence: open.flatMap((r) => r.evidence),
        severity: "low",
      });
    } else if (open.length > 1 && protectedCount === 0 && !undecided) {
      reports.push({
        message: `No endpoint of this API requires authentication: ${open.length} endpoints that change state are open to anyone (${open.map((r) => r.evidence[0]?.snippet?.split(" → ")[0]).join(", ")}).`,
        evidence: open.flatMap((r) => r.evidence),
      });
    } else reports.push(...open);
    reports.push(...graphqlReports(model, index, deferToSec016));
    return reports;
  },
});
