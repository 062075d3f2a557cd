import { review } from "./src/index.ts";
const r = await review("examples/shop-api");
console.log(JSON.stringify({ findings: r.findings.map(f => [f.id, f.severity, f.evidence[0]?.file, f.evidence[0]?.line, f.message]), endpoints: r.model.endpoints.map(e => [e.method, e.path, e.auth, e.authReason]), diag: r.diagnostics, ctx: r.context, tech: r.model.technologies.map(t=>t.name) }, null, 1));
