import type { Endpoint } from "../../model/types.js";
import type { CallFact, FlowFact } from "../../python/facts.js";
import type { FunctionInfo, ProjectIndex } from "../../python/project-index.js";
import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { qualifyName } from "../../model/endpoints/argument-values.js";
import { classView, classAttribute } from "../../model/endpoints/django-views.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";


const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE", "ANY"]);
/** Request data that is the body, by framework (as the facts write it: `request.get_json`, `request.data`). */
const FLASK_BODY = /^(self\.)?(request|req)\.(get_json|json|form|data|get_data|values)$/;
const DJANGO_BODY = /^(self\.)?(request|req)\.(data|POST|body|raw_post_data)$/;
/** `request.json()`, `request.form()`, `request.body()` on a Starlette request. */
const ASGI_BODY_METHOD = /^(json|form|body|stream)$/;
const ASGI_REQUEST = /^(fastapi\.Request|fastapi\.requests\.Request|starlette\.requests\.Request|litestar\.Request|litestar\.connection\.Request|litestar\.connection\.request\.Request)$/;
/** Parameter annotations that make FastAPI accept any JSON body. */
const LOOSE_BODY = /^(dict|Dict|typing\.Dict|Mapping|typing\.Mapping|Any|typing\.Any|Json|object)(\[.*\])?$|^(list|List)\[\s*(dict|Dict|Any)(\[.*\])?\s*\]$/;
/** Body parameters whose name says they are a free-form map (labels, metadata, filters). */
const FREE_FORM_NAME = /(^|_)(labels|metadata|meta|tags|attributes|attrs|annotations|extra|extras|context|variables|vars|properties|props|headers|filters|parameters|params|options|settings)$/;
/** FastAPI markers that say a parameter is not the body. */
const NOT_BODY_MARKER = /^(Query|Path|Header|Cookie|Depends|Security|File|UploadFile|Form)\(/;
/** Calls that validate what they are given: a schema's `load`, a serializer's `is_valid`, pydantic's `model_validate`, a form's `validate`. */
const VALIDATING_CALL = /(^|\.)(load|load_many|validate|validate_on_submit|validate_python|validate_json|is_valid|full_clean|clean|model_validate|model_validate_json|parse_obj|parse_raw|parse_obj_as|parse_args|structure|deserialize|validated_data|check_schema)$|valid|(^|\.)\w*[sS]chema\w*$/i;
/** Classes whose construction validates (`UserIn(**data)`, `SignupForm(request.POST)`, `ItemSerializer(data=request.data)`). */
const VALIDATING_CLASS = /(Serializer|Form|Schema|Model|Input|In|Create|Update|Request|Payload|Params|Args|Body|DTO|Dto|Command|Validator)$/;
const VALIDATING_BASE = /^(pydantic\.(main\.)?BaseModel|sqlmodel\.SQLModel|msgspec\.Struct|marshmallow\.Schema|marshmallow\.schema\.Schema|rest_framework\.serializers\.\w+|django\.forms\.\w+|django\.forms\.forms\.\w+|django\.forms\.models\.\w+|wtforms\.\w+|flask_wtf\.FlaskForm|attrs?\.\w+)$/;
/** View decorators that validate the body before the view runs (webargs, flask-smorest, flask-pydantic, apiflask, flask-restx...). */
const VALIDATING_DECORATOR = /(^|\.)(use_args|use_kwargs|arguments|validate|validate_request|expects_json|accepts|input|body|expect|validate_json|validate_body|doc_body|json_schema|schema|parse_with)$/;
/** Outbound calls a proxy forwards the payload with. */
const FORWARDING_CALL = /(^|\.)(post|put|patch|request|send|fetch|forward|proxy|publish|delay|apply_async|send_task|enqueue)$/;
/** Receivers of calls a third party makes (webhooks, Slack commands, payment notifications): the sender defines the payload. */
const HOOK_PATH = /webhook|callback|(^|\/|[-_])hooks?($|\/|[-_{])|\/notify|\/ipn\b|\/events?($|\/)|\/(slack|stripe|github|gitlab|twilio|telegram|discord|paypal|sns)\//i;
/** Calls that render a page or redirect: the view serves a server-rendered site. */
const PAGE_CALL = /(^|\.)(render|render_template|render_to_response|TemplateResponse|redirect|HttpResponseRedirect|HTMLResponse|\w*RedirectResponse)$/;

interface BodyRead {
  line: number;
  what: string;
  /** Names the payload is bound to (`data = request.get_json()`). */
  names: string[];
}

/** Whether `name` is a project class built on a schema or form base, or named like one. */
function validatingClass(index: ProjectIndex, call: CallFact, module: string): boolean {
  const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
  if (!/^[A-Z]/.test(last)) return false;
  const resolved = call.qualified ? index.resolve(call.qualified, module) : null;
  return (resolved !== null && isValidatingClass(index, resolved)) || VALIDATING_CLASS.test(last);
}

/** A schema, model, serializer or form class (pydantic, marshmallow, DRF, Django, WTForms), through project bases. */
function isValidatingClass(index: ProjectIndex, id: string, depth = 0): boolean {
  if (VALIDATING_BASE.test(id)) return true;
  const symbol = depth < 6 ? index.symbol(id) : undefined;
  return symbol?.kind === "class" && symbol.fact.bases.some((b) => b.qualified !== null && isValidatingClass(index, index.resolve(b.qualified, symbol.module), depth + 1));
}

/** Sources that are raw bytes: they matter only once parsed (`json.loads(request.body)`), not when stored or hashed. */
const RAW_SOURCE = /\.(body|raw_post_data|get_data|stream)$|^(self\.)?(request|req)\.data$/;
/** Calls that parse raw bytes into a payload. */
const PARSE_CALL = /(^|\.)(loads|parse_raw|decode_json|from_json)$/;
/** Methods that take a mapping as a whole: iterate it, copy it, convert it. */
const WHOLE_METHOD = /^(items|keys|values|to_dict|dict|copy|lists|iteritems)$/;
/** Methods that treat a name as a mapping (`data.get("x")`, `data.items()`). */
const MAPPING_METHOD = /^(get|items|keys|values|pop|copy|update|setdefault|to_dict|getlist|dict)$/;

/**
 * Where a handler takes the whole payload, in line order: bound to a name (`data = request.get_json()`,
 * `payload = await request.json()`, `data = request.data` then used as a mapping), passed on as it is
 * (`obj.update(request.form)`, `json.loads(request.body)`), or iterated (`request.form.items()`). Reading named fields one at a
 * time (`request.POST.get("confirm")`) is a hand-written check, and raw bytes stored or hashed are not a payload.
 */
function bodyReads(index: ProjectIndex, fn: FunctionInfo, framework: Endpoint["framework"]): BodyRead[] {
  const facts = index.modules.get(fn.module)?.facts;
  if (!facts) return [];
  const flows = facts.flows.filter((f) => f.enclosing === fn.fact.qualname);
  const calls = index.callsIn(fn.id).map((c) => c.call);
  const usedAsMapping = (name: string, after: number) => calls.some((c) => c.line >= after && c.callee.startsWith(`${name}.`) && MAPPING_METHOD.test(c.callee.slice(name.length + 1))) || calls.some((c) => c.line > after && c.hasStarArgs && flows.some((f) => f.line === c.line && f.reads.includes(name)));
  const parsedAt = (line: number) => calls.some((c) => c.line === line && PARSE_CALL.test(c.callee));
  const reads: BodyRead[] = [];
  if (framework === "fastapi" || framework === "starlette" || framework === "litestar") {
    const requests = new Set(fn.fact.params.filter((p) => p.annotationQualified && ASGI_REQUEST.test(index.resolve(p.annotationQualified, fn.module))).map((p) => p.name));
    for (const call of calls) {
      const [receiver, method] = [call.callee.slice(0, call.callee.lastIndexOf(".")), call.callee.slice(call.callee.lastIndexOf(".") + 1)];
      if (!requests.has(receiver) || !ASGI_BODY_METHOD.test(method)) continue;
      // the raw body counts once it is parsed (`json.loads(await request.body())`, or bound and parsed later)
      const bound = flows.find((f) => f.line === call.line && !f.targets.includes("return"));
      if (method === "body" || method === "stream") {
        const names = bound?.targets ?? [];
        const parseLine = parsedAt(call.line) ? call.line : flows.find((f) => f.line > call.line && f.reads.some((n) => names.includes(n)) && f.call && PARSE_CALL.test(f.call))?.line;
        if (parseLine === undefined) continue;
        const parsed = flows.find((f) => f.line === parseLine && !f.targets.includes("return"));
        reads.push({ line: call.line, what: `${call.awaited ? "await " : ""}${call.callee}()`, names: parsed?.targets ?? [] });
        continue;
      }
      // `await request.form()` alone only loads the form for a library that reads it (authlib's token endpoint)
      const inside = calls.some((c) => c !== call && c.line === call.line && c.args.some((a) => a.text.includes(`${call.callee}(`)));
      if (!bound && !inside) continue;
      reads.push({ line: call.line, what: `${call.awaited ? "await " : ""}${call.callee}()`, names: bound?.targets ?? [] });
    }
    return reads;
  }
  const body = framework === "flask" || framework === "quart" ? FLASK_BODY : DJANGO_BODY;
  const raw = (source: string) => RAW_SOURCE.test(source) && !(framework === "drf" && /\.data$/.test(source));
  const sourceOf = (sources: string[] | undefined) => sources?.find((s) => body.test(s));
  for (const f of flows) {
    const source = sourceOf(f.sources);
    if (!source) continue;
    const names = f.targets.filter((t) => t !== "return");
    if (raw(source)) {
      if (parsedAt(f.line) || (f.call && PARSE_CALL.test(f.call))) reads.push({ line: f.line, what: `${source} (parsed)`, names });
      continue;
    }
    // `data = request.get_json()` binds the payload; `email = request.form["email"]` one field: a name is the payload
    // when the call returns it whole, or when the handler then uses the name as a mapping (`data.get("x")`, `Model(**data)`)
    const wholeCall = f.call !== undefined && /(^|\.)(get_json|to_dict|dict|copy)$/.test(f.call);
    // a name bound earlier (`extra_context["email"] = request.POST["username"]`) is a container given one field
    const fresh = names.filter((n) => !fn.fact.params.some((p) => p.name === n) && !flows.some((g) => g.line < f.line && g.targets.includes(n)));
    if (wholeCall || fresh.some((n) => usedAsMapping(n, f.line))) reads.push({ line: f.line, what: source, names });
  }
  for (const call of calls) {
    if (reads.some((r) => r.line === call.line)) continue;
    // `request.form.items()`, `request.get_json()` passed on, `obj.update(request.form)`, `json.loads(request.body)`
    const head = /^((self\.)?(request|req)\.\w+)\.(\w+)$/.exec(call.callee);
    if (head && body.test(head[1] as string) && WHOLE_METHOD.test(head[4] as string) && !raw(head[1] as string)) {
      reads.push({ line: call.line, what: head[1] as string, names: [] });
      continue;
    }
    const arg = call.args.find((a) => {
      const source = sourceOf(a.sources);
      return source !== undefined && (a.text === source || a.text === `${source}()`);
    });
    const source = arg ? sourceOf(arg.sources) : undefined;
    if (!source || (raw(source) && !PARSE_CALL.test(call.callee))) continue;
    if (/^(self\.)?(request|req)\.get_json$/.test(call.callee)) continue;
    reads.push({ line: call.line, what: raw(source) ? `${source} (parsed)` : source, names: [] });
  }
  return reads.sort((a, b) => a.line - b.line);
}

/** A call that validates: a validating method, a schema or model class, or a helper given one (`dict_to_model(data, UpdateSettings)`). */
function validatingCall(index: ProjectIndex, call: CallFact, module: string): boolean {
  if (VALIDATING_CALL.test(call.callee) || validatingClass(index, call, module)) return true;
  return call.args.some((a) => a.kind === "name" && a.qualified !== undefined && /^[A-Z]/.test(a.text) && isValidatingClass(index, index.resolve(a.qualified, module)));
}

/** A project function that returns a validated model or validates what it is given, two calls deep. */
function validatesDownstream(index: ProjectIndex, fn: FunctionInfo, depth: number): boolean {
  const returned = fn.fact.returns && /^[A-Z][\w.]*$/.test(fn.fact.returns) ? (qualifyName(index, fn.module, fn.fact.returns) ?? `${fn.module}.${fn.fact.returns}`) : null;
  if (returned && isValidatingClass(index, returned)) return true;
  for (const { call, resolved } of index.callsIn(fn.id)) {
    if (validatingCall(index, call, fn.module)) return true;
    const next = resolved && depth < 1 ? index.functions.get(resolved) : undefined;
    if (next && validatesDownstream(index, next, depth + 1)) return true;
  }
  return false;
}

/** Where the payload is validated: a decorator, a validating call or class over it, or the view's serializer. */
function validation(index: ProjectIndex, fn: FunctionInfo, reads: BodyRead[], flows: FlowFact[]): string | null {
  const d = fn.fact.decorators.find((x) => VALIDATING_DECORATOR.test(x.name));
  if (d) return `@${d.name}`;
  if (fn.fact.className) {
    const view = classView(index, fn.id.slice(0, fn.id.lastIndexOf(".")), { file: fn.file, line: fn.fact.line });
    const serializer = classAttribute(view, "serializer_class") ?? classAttribute(view, "form_class") ?? classAttribute(view, "schema") ?? classAttribute(view, "parser");
    if (serializer && serializer.fact.kind !== "none") return `${serializer.fact.target} = ${serializer.fact.text}`;
  }
  const names = new Set(reads.flatMap((r) => r.names));
  const readLines = new Set(reads.map((r) => r.line));
  for (const { call, resolved } of index.callsIn(fn.id)) {
    const usesPayload = readLines.has(call.line) || call.args.some((a) => a.reads?.some((n) => names.has(n)) || (a.sources?.length ?? 0) > 0) || (call.hasStarArgs && (flows.some((f) => f.line === call.line && f.reads.some((n) => names.has(n))) || !flows.some((f) => f.line === call.line)));
    if (!usesPayload) continue;
    if (/^(json|orjson|ujson|simplejson)\.loads?$/.test(call.qualified ?? call.callee)) continue;
    if (validatingCall(index, call, fn.module)) return `${call.callee}(...) (line ${call.line})`;
    // handed to a project function that validates it (`dict_to_settings(data)` → `dict_to_model(data, UpdateSettings)`)
    const target = resolved ? index.functions.get(resolved) : undefined;
    if (target && validatesDownstream(index, target, 0)) return `${call.callee}(...) (line ${call.line})`;
  }
  // a form or serializer validated after it was built from the payload (`form = Form(request.POST)` ... `form.is_valid()`)
  const checked = index.callsIn(fn.id).find(({ call }) => /(^|\.)(is_valid|validate|validate_on_submit|full_clean)$/.test(call.callee));
  return checked ? `${checked.call.callee}() (line ${checked.call.line})` : null;
}

/** Whether the payload only passes through: forwarded to another service or queue as it came. */
function forwarded(index: ProjectIndex, fn: FunctionInfo, reads: BodyRead[]): string | null {
  const names = new Set(reads.flatMap((r) => r.names));
  for (const { call } of index.callsIn(fn.id)) {
    if (!FORWARDING_CALL.test(call.callee)) continue;
    const arg = call.args.find((a) => (a.name === "json" || a.name === "data" || a.name === "content" || a.name === "body" || a.name === "payload" || a.name === null) && (names.has(a.text) || reads.some((r) => a.text === r.what || a.text === `${r.what}()`)));
    if (arg) return `${call.callee}(${arg.name ? `${arg.name}=` : ""}${arg.text})`;
  }
  return null;
}

/** A view of a server-rendered site: it renders templates or redirects, answers no JSON and is not under `/api`. */
function servesPage(index: ProjectIndex, e: Endpoint): boolean {
  if (/(^|\/)api(\/|$)/i.test(e.path)) return false;
  const calls = index.callsIn(e.handler).map((c) => c.call.callee);
  return calls.some((c) => PAGE_CALL.test(c)) && !calls.some((c) => /(^|\.)(jsonify|JsonResponse|JSONResponse)$/.test(c));
}

/** Whether the payload is used after it is read: a bound name read later, or a read inside an expression. */
function used(reads: BodyRead[], flows: FlowFact[], calls: CallFact[]): boolean {
  return reads.some((r) => !r.names.length || flows.some((f) => f.line >= r.line && f.reads.some((n) => r.names.includes(n))) || calls.some((c) => c.line >= r.line && c.args.some((a) => a.reads?.some((n) => r.names.includes(n)))));
}

export default defineCheck({
  id: "API004",
  area: "api",
  title: "Request body accepted without validation",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A handler that takes the raw payload (`await request.json()`, `request.get_json()`, `request.data`, a `dict` body) accepts any shape: missing fields fail deep in the code with a 500, wrong types reach the database, and extra keys passed on (`Model(**data)`, `obj.update(data)`) let a caller set fields it should not (mass assignment). The framework's schema layer would have rejected all of it with a clear 400.",
  recommendation: "Declare the body and let the framework validate it: a Pydantic model parameter in FastAPI (`def create(item: ItemCreate)`), a serializer in DRF (`serializer = ItemSerializer(data=request.data); serializer.is_valid(raise_exception=True)`), a form in Django, marshmallow/webargs/flask-smorest (`@blp.arguments(ItemSchema)`) or pydantic in Flask; then use only the validated data.",
  example: {
    bad: '@router.post("/items")\nasync def create_item(request: Request):\n    data = await request.json()\n    return await repo.create(**data)',
    good: 'class ItemCreate(BaseModel):\n    name: str = Field(max_length=100)\n    price: Decimal = Field(gt=0)\n\n@router.post("/items")\nasync def create_item(item: ItemCreate):\n    return await repo.create(**item.model_dump())',
  },
  references: ["https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/", "https://cwe.mitre.org/data/definitions/20.html", "https://fastapi.tiangolo.com/tutorial/body/", "https://www.django-rest-framework.org/api-guide/serializers/#validation"],
  effort: "S",
  libraries: ["pydantic", "marshmallow", "webargs", "flask-smorest", "djangorestframework"],
  cwe: "CWE-20",
  owasp: "API3:2023",
  run({ model, index }) {
    const reports: Report[] = [];
    const byHandler = new Map<string, Endpoint[]>();
    for (const e of model.endpoints) {
      if (!runsInProduction(fileRole(e.file))) continue;
      byHandler.set(e.handler, [...(byHandler.get(e.handler) ?? []), e]);
    }
    for (const [handler, endpoints] of byHandler) {
      const e = endpoints[0] as Endpoint;
      const fn = index.functions.get(handler);
      if (!fn || !endpoints.some((x) => BODY_METHODS.has(x.method))) continue;
      // catch-all fallbacks (`/api/{rest:path}`) and debug pages show what they were sent; they do not act on it
      if (/\{\w+:path\}|<path:\w+>/.test(e.path) || /(^|\/)(debug|_debug|__debug__)(\/|$)/.test(e.path)) continue;
      const flows = index.modules.get(fn.module)?.facts.flows.filter((f) => f.enclosing === fn.fact.qualname) ?? [];
      const calls = index.callsIn(fn.id).map((c) => c.call);
      const route = `${[...new Set(endpoints.filter((x) => BODY_METHODS.has(x.method)).map((x) => x.method))].join("/")} ${e.path}`;
      const hook = HOOK_PATH.test(e.path) || /webhook|callback|hook/i.test(fn.fact.name);

      // FastAPI: a body parameter typed `dict`/`Any`, or `Body()` with no model
      if (e.framework === "fastapi" && !e.requestSchema) {
        const loose = fn.fact.params.find((p) => {
          if (p.dependency || NOT_BODY_MARKER.test(p.default ?? "")) return false;
          const annotation = (p.annotation ?? "").replace(/^Annotated\[\s*([^,]+),.*\]$/s, "$1").trim();
          if (/Depends\(|Query\(|Path\(|Header\(|Cookie\(|Form\(|File\(/.test(p.annotation ?? "")) return false;
          return LOOSE_BODY.test(annotation) || (/^Body\(/.test(p.default ?? "") && (annotation === "" || LOOSE_BODY.test(annotation)));
        });
        const checked = loose ? validation(index, fn, [{ line: fn.fact.line, what: loose.name, names: [loose.name] }], flows) : null;
        if (loose && !checked && endpoints.some((x) => x.method !== "DELETE" && BODY_METHODS.has(x.method))) {
          const type = loose.annotation ?? "untyped";
          // `labels: dict[str, Any]`, `metadata: dict`: a free-form map may be the design
          const freeForm = FREE_FORM_NAME.test(loose.name);
          const note = hook ? "; a webhook receiver, whose sender defines the payload, so this is lower (validate the signature, then the fields used)" : freeForm ? `; \`${loose.name}\` may be a free-form map by design, so this is lower: then bound its size and the types of its values (\`dict[str, str]\`, a \`constr\` for keys)` : "";
          reports.push({
            message: `${route} takes its body as \`${loose.name}: ${type}${loose.default ? ` = ${loose.default}` : ""}\`: any JSON object is accepted, unchecked${note}; declare a Pydantic model for it.`,
            evidence: [{ file: fn.file, line: fn.fact.line, snippet: `${loose.name}: ${type}` }],
            ...(hook || freeForm ? { severity: "low" as const } : {}),
          });
          continue;
        }
      }

      const reads = bodyReads(index, fn, e.framework);
      if (!reads.length || !used(reads, flows, calls)) continue;
      const validated = validation(index, fn, reads, flows);
      if (validated) continue;
      const first = reads[0] as BodyRead;
      const passThrough = forwarded(index, fn, reads);
      const what = [...new Set(reads.map((r) => (r.what.endsWith(" (parsed)") ? `\`${r.what.slice(0, -9)}\` (parsed as JSON)` : `\`${r.what}\``)))].join(", ");
      const schemaLayer = e.framework === "drf" ? "serializer" : e.framework === "django" ? "form or serializer" : e.framework === "flask" || e.framework === "quart" ? "marshmallow, webargs, pydantic or WTForms schema" : "Pydantic model parameter";
      const page = servesPage(index, e);
      let message = `${route} reads ${what} with no validation (no ${schemaLayer})`;
      let lower = false;
      if (hook) {
        message += "; a webhook receiver, whose sender defines the payload, so this is lower: verify the signature, then validate the fields used";
        lower = true;
      } else if (passThrough) {
        message += `; it forwards the payload as it came (\`${passThrough}\`), so the receiver validates it and this is lower`;
        lower = true;
      } else if (page || reads.every((r) => /\.form\(\)$/.test(r.what))) {
        message += `; ${page ? "a form post of a server-rendered page" : "a form post (an HTML form or a third-party callback)"} rather than a JSON API call, so this is lower: a form class would still check types and required fields in one place`;
        lower = true;
      } else message += ": missing fields and wrong types surface deep in the handler, often as 500s, and extra keys reach whatever the payload is passed to";
      reports.push({
        message: `${message}.`,
        evidence: [{ file: fn.file, line: first.line, snippet: first.what }],
        ...(lower ? { severity: "low" as const } : {}),
      });
    }
    return reports;
  },
});
