import { fileRole, runsInProduction } from "../../core/file-roles.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const FIX: Record<string, string> = {
  graphene: "`validation_rules=[depth_limit_validator(max_depth=10)]` (graphene.validation) on the view or `schema.execute`",
  strawberry: "`extensions=[QueryDepthLimiter(max_depth=10), MaxTokensLimiter(max_token_count=1000), MaxAliasesLimiter(max_alias_count=15)]`",
  ariadne: "`GraphQL(schema, validation_rules=[cost_validator(maximum_cost=1000)])` and a depth rule",
  "graphql-core": "`validate(schema, document, rules=[*specified_rules, DepthLimitRule])`",
};

export default defineCheck({
  id: "API010",
  area: "api",
  title: "GraphQL without query depth or complexity limits",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A GraphQL endpoint executes whatever query the client writes: nested relations (`user { friends { friends { ... } } }`), hundreds of aliases or huge batched documents make one request cost thousands of resolver calls and database queries, an easy denial of service that rate limits per request do not stop.",
  recommendation: "Bound every query before it runs: a depth limit, a complexity or cost limit, and token/alias limits (graphene `depth_limit_validator`, Strawberry `QueryDepthLimiter`/`MaxTokensLimiter`/`MaxAliasesLimiter`, Ariadne `cost_validator`, graphql-core validation rules); page list fields; consider persisted queries for public clients.",
  example: {
    bad: "schema = strawberry.Schema(query=Query, mutation=Mutation)",
    good: "schema = strawberry.Schema(\n    query=Query,\n    mutation=Mutation,\n    extensions=[QueryDepthLimiter(max_depth=10), MaxAliasesLimiter(max_alias_count=15)],\n)",
  },
  references: [
    "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
    "https://cheatsheetseries.owasp.org/cheatsheets/GraphQL_Cheat_Sheet.html",
    "https://strawberry.rocks/docs/extensions/query-depth-limiter",
    "https://docs.graphene-python.org/en/latest/execution/queryvalidation/",
    "https://ariadnegraphql.org/docs/query-cost",
  ],
  effort: "S",
  libraries: ["graphene", "strawberry-graphql", "ariadne"],
  cwe: "CWE-770",
  owasp: "API4:2023",
  run({ model }) {
    const reports: Report[] = [];
    const served = model.graphqlSchemas.filter((s) => runsInProduction(fileRole(s.file)) && s.limits.length === 0);
    // one schema per library and file is enough: the helpers that build several from one definition share a cause
    const seen = new Set<string>();
    for (const s of served) {
      const key = `${s.library} ${s.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ops = model.graphqlOperations.filter((o) => o.schema === s.name).length;
      const where = s.routes.length ? ` served on ${s.routes.join(", ")}` : "";
      reports.push({
        message: `${s.library} schema \`${s.name.slice(s.name.lastIndexOf(".") + 1)}\`${where}${ops ? ` (${ops} root field${ops === 1 ? "" : "s"})` : ""} runs queries with no depth, complexity, token or alias limit; add ${FIX[s.library] ?? "a depth and cost validation rule"}.`,
        evidence: [{ file: s.file, line: s.line, snippet: `${s.library} schema ${s.name}` }],
      });
    }
    return reports;
  },
});
