import type { DataModel } from "../../model/types.js";
import { namesRead, requestSources } from "../../python/names-read.js";
import type { ArgumentFact } from "../../python/facts.js";
import type { ModuleInfo, ProjectIndex } from "../../python/project-index.js";
import { serviceCalls } from "../code-paths.js";
import { defineCheck } from "../define.js";
import { type TaintOrigin, describeOrigin, taintOf } from "../taint.js";
import type { Report } from "../types.js";

/** ORM writes that take field values as keywords: Django managers and querysets, SQLAlchemy `insert/update(...).values`. */
const ORM_WRITE = /(\.objects(\.\w+\(\))*\.(create|update|update_or_create|get_or_create|bulk_create)|\.(filter|exclude)\(\)\.update|(^|\.)(insert|update)\(\)\.values)$/;
/** Fields a client must not set on itself: privileges, ownership, money, verification. */
const SENSITIVE_FIELD = /^(is_staff|is_superuser|is_admin|admin|is_active|role|roles|permissions|user_permissions|groups|owner|owner_id|user|user_id|created_by|author|tenant|tenant_id|organization|organization_id|account|account_id|balance|credits|is_verified|email_verified|verified|approved|is_approved|plan|tier)$/;
/** Django REST framework and Django form classes that write model instances. */
const WRITING_SERIALIZER = /^(rest_framework\.serializers\.(ModelSerializer|HyperlinkedModelSerializer)|django\.forms\.(ModelForm|models\.ModelForm))$/;
const WRITABLE_VIEW = /(ModelViewSet|CreateAPIView|UpdateAPIView|ListCreateAPIView|RetrieveUpdateAPIView|RetrieveUpdateDestroyAPIView|CreateModelMixin|UpdateModelMixin|CreateView|UpdateView)$/;

/** Whether the client chose the keys of this value: a request attribute or a `dict` body, not a declared schema's fields. */
function rawOrigin(origin: TaintOrigin | undefined): TaintOrigin | undefined {
  return origin?.raw && !origin.allowListed ? origin : undefined;
}

export default defineCheck({
  id: "SEC025",
  area: "security",
  title: "Mass assignment",
  severity: "medium",
  kind: "concern",
  confidence: "high",
  why: "When request data is unpacked straight into a model, the client decides which fields it writes: `is_staff`, `role`, `owner_id`, `balance` or `email_verified` are one extra key away. The fields a form shows are not the fields the endpoint accepts.",
  recommendation: "Accept a schema that lists the writable fields (a Pydantic model, a DRF serializer with explicit `fields` and `read_only_fields`, a marshmallow schema) and copy only those; set ownership and privileges on the server (`owner=request.user`).",
  example: {
    bad: 'user = User(**request.get_json())',
    good: 'data = UserCreate.model_validate(request.get_json())  # only name and email\nuser = User(name=data.name, email=data.email)',
  },
  references: ["https://cwe.mitre.org/data/definitions/915.html", "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/", "https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include"],
  effort: "S",
  libraries: ["pydantic", "djangorestframework", "marshmallow"],
  cwe: "CWE-915",
  owasp: "API3:2023",
  run({ model, index }) {
    const reports: Report[] = [];
    const taint = taintOf(model, index);
    const models = new Map(model.dataModels.map((m) => [m.name, m]));
    for (const { mod, call, resolved } of serviceCalls(index)) {
      const where = call.enclosing ? ` in ${call.enclosing}` : "";
      // `Model(**data)`, `Model.objects.create(**data)`, `insert(Model).values(**data)`
      if (call.unpacked?.length && resolved && (models.has(resolved) || ORM_WRITE.test(resolved))) {
        for (const text of call.unpacked) {
          const value: ArgumentFact = { name: null, text, kind: /^[A-Za-z_]\w*$/.test(text) ? "name" : "other", reads: namesRead(text), sources: requestSources(text) };
          const origin = rawOrigin(taint.argument(mod, call, value));
          if (!origin) continue;
          const target = models.get(resolved)?.name.split(".").pop() ?? call.callee;
          reports.push({ message: `\`${call.callee}(**${text})\`${where} writes ${target} with whatever keys the client sends, from ${describeOrigin(origin)}.`, evidence: [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }] });
          break;
        }
      }
      // `for key, value in data.items(): setattr(obj, key, value)` with the client's keys
      if (resolved === "setattr" && call.args.length >= 3) {
        const origin = rawOrigin(taint.argument(mod, call, call.args[1] as ArgumentFact));
        if (origin && call.args[1]?.kind === "name") reports.push({ message: `\`setattr(${call.args[0]?.text}, ${call.args[1]?.text}, …)\`${where} sets whichever attributes the client names, from ${describeOrigin(origin)}.`, evidence: [{ file: mod.file, line: call.line, endLine: call.endLine, snippet: call.snippet }] });
      }
    }
    reports.push(...allFieldsSerializers(index, models));
    return reports;
  },
});

/** `fields = "__all__"` on a DRF model serializer or a Django model form that a view writes with, for a model with fields a client must not set. */
function allFieldsSerializers(index: ProjectIndex, models: Map<string, DataModel>): Report[] {
  const reports: Report[] = [];
  const writers = writingSerializers(index);
  for (const mod of index.modules.values()) {
    for (const cls of mod.facts.classes) {
      if (!cls.bases.some((b) => b.qualified && WRITING_SERIALIZER.test(index.resolve(b.qualified, mod.name)))) continue;
      const meta = mod.facts.classes.find((c) => c.qualname === `${cls.qualname}.Meta`);
      const fields = meta?.assignments.find((a) => a.target === "fields");
      if (!meta || fields?.value !== "__all__") continue;
      const modelName = meta.assignments.find((a) => a.target === "model")?.text ?? "";
      const target = [...models.values()].find((m) => m.name.endsWith(`.${modelName.split(".").pop()}`));
      const readOnly = new Set(meta.assignments.find((a) => a.target === "read_only_fields")?.items ?? []);
      const exposed = (target?.fields ?? []).map((f) => f.name).filter((name) => SENSITIVE_FIELD.test(name) && !readOnly.has(name));
      const writer = writers.get(`${mod.name}.${cls.qualname}`);
      if (!exposed.length || !writer) continue;
      reports.push({
        message: `${cls.name} exposes every field of ${modelName} for writing (\`fields = "__all__"\`), including ${exposed.slice(0, 5).map((f) => `\`${f}\``).join(", ")}; ${writer} writes with it.`,
        evidence: [{ file: mod.file, line: fields.line, snippet: 'fields = "__all__"' }, { file: mod.file, line: cls.line, snippet: `class ${cls.name}` }],
      });
    }
  }
  return reports;
}

/** Serializer and form classes (by absolute name) that a writable view uses, with that view's name. */
function writingSerializers(index: ProjectIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const mod of index.modules.values()) {
    for (const cls of mod.facts.classes) {
      const writable = cls.bases.some((b) => WRITABLE_VIEW.test(b.qualified ?? b.text));
      if (!writable) continue;
      for (const a of cls.assignments) {
        if (a.target !== "serializer_class" && a.target !== "form_class") continue;
        const used = resolveName(index, mod, a.text);
        if (used) out.set(used, cls.name);
      }
    }
  }
  return out;
}

function resolveName(index: ProjectIndex, mod: ModuleInfo, text: string): string | null {
  if (!/^[A-Za-z_][\w.]*$/.test(text)) return null;
  return index.resolveSymbol(`#${text}`, mod.name);
}
