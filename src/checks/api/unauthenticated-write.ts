import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

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

export default defineCheck({
  id: "API002",
  area: "api",
  title: "State-changing endpoint without authentication",
  severity: "high",
  kind: "concern",
  confidence: "medium",
  why: "A POST, PUT, PATCH or DELETE route that no authentication covers lets anyone on the network create, change or delete data; once such an endpoint is found it is usually scripted.",
  recommendation: "Cover the route with the authentication the rest of the API uses: a dependency on the current user (`Depends(get_current_user)`) on the route or its router, a permission class, or a login decorator; if it is public by design, say so with an inline suppression and a reason.",
  example: {
    bad: '@router.delete("/{product_id}")\ndef delete_product(product_id: int, db: Session = Depends(get_db)): ...',
    good: '@router.delete("/{product_id}", dependencies=[Depends(get_current_admin)])\ndef delete_product(product_id: int, db: Session = Depends(get_db)): ...',
  },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/", "https://cwe.mitre.org/data/definitions/306.html", "https://fastapi.tiangolo.com/tutorial/security/"],
  effort: "S",
  libraries: ["fastapi", "pyjwt", "fastapi-users"],
  cwe: "CWE-306",
  owasp: "API5:2023",
  run({ model, index }) {
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
    if (open.length > 1 && protectedCount === 0 && !undecided) {
      reports.push({
        message: `No endpoint of this API requires authentication: ${open.length} endpoints that change state are open to anyone (${open.map((r) => r.evidence[0]?.snippet?.split(" → ")[0]).join(", ")}).`,
        evidence: open.flatMap((r) => r.evidence),
      });
    } else reports.push(...open);
    return reports;
  },
});
