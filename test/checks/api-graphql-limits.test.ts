import assert from "node:assert/strict";
import { describe, it } from "node:test";
import graphqlLimits from "../../src/checks/api/graphql-limits.js";
import { locations, project, py } from "../helpers/project.js";

const STRAWBERRY_QUERY = ["import strawberry", "", "@strawberry.type", "class Query:", "    @strawberry.field", "    def hello(self) -> str:", '        return "hi"', ""];

describe("API010 GraphQL without query depth or complexity limits", () => {
  it("fires on a Strawberry schema without limiter extensions, at the schema definition", async () => {
    const p = await project({ "app/__init__.py": "", "app/schema.py": py(...STRAWBERRY_QUERY, "schema = strawberry.Schema(query=Query)") });
    const findings = p.run(graphqlLimits);
    assert.deepEqual(locations(findings), [["API010", "app/schema.py", 9]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /QueryDepthLimiter/);
  });

  it("fires on a Graphene schema served by graphene-django without validation rules", async () => {
    const p = await project({
      "manage.py": "",
      "proj/__init__.py": "",
      "proj/schema.py": py("import graphene", "", "class Query(graphene.ObjectType):", "    users = graphene.List(graphene.String)", "", "schema = graphene.Schema(query=Query)"),
      "proj/urls.py": py("from django.urls import path", "from graphene_django.views import GraphQLView", "from proj.schema import schema", "", 'urlpatterns = [path("graphql/", GraphQLView.as_view(schema=schema))]'),
    });
    assert.deepEqual(locations(p.run(graphqlLimits)), [["API010", "proj/schema.py", 6]]);
  });

  it("fires on an Ariadne schema", async () => {
    const p = await project({ "api.py": py("from ariadne import QueryType, make_executable_schema", "", "query = QueryType()", "schema = make_executable_schema(type_defs, query)") });
    assert.deepEqual(locations(p.run(graphqlLimits)), [["API010", "api.py", 4]]);
  });

  it("stays quiet with Strawberry QueryDepthLimiter, even built in a helper", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/schema.py": py(
        ...STRAWBERRY_QUERY,
        "from strawberry.extensions import QueryDepthLimiter",
        "",
        "def extensions():",
        "    return [lambda: QueryDepthLimiter(max_depth=8)]",
        "",
        "schema = strawberry.Schema(query=Query, extensions=extensions())",
      ),
    });
    assert.deepEqual(p.run(graphqlLimits), []);
  });

  it("stays quiet with graphene depth_limit_validator on the view, Ariadne cost_validator, or a custom cost map", async () => {
    const graphene = await project({
      "manage.py": "",
      "proj/__init__.py": "",
      "proj/schema.py": py("import graphene", "", "class Query(graphene.ObjectType):", "    users = graphene.List(graphene.String)", "", "schema = graphene.Schema(query=Query)"),
      "proj/urls.py": py(
        "from django.urls import path",
        "from graphene.validation import depth_limit_validator",
        "from graphene_django.views import GraphQLView",
        "from proj.schema import schema",
        "",
        'urlpatterns = [path("graphql/", GraphQLView.as_view(schema=schema, validation_rules=(depth_limit_validator(10),)))]',
      ),
    });
    assert.deepEqual(graphene.run(graphqlLimits), []);
    const ariadne = await project({
      "api.py": py(
        "from ariadne import QueryType, make_executable_schema",
        "from ariadne.asgi import GraphQL",
        "from ariadne.validation import cost_validator",
        "",
        "query = QueryType()",
        "schema = make_executable_schema(type_defs, query)",
        "app = GraphQL(schema, validation_rules=[cost_validator(maximum_cost=500)])",
      ),
    });
    assert.deepEqual(ariadne.run(graphqlLimits), []);
    const custom = await project({
      "gql/__init__.py": "",
      "gql/schema.py": py("import graphene", "", "class Query(graphene.ObjectType):", "    users = graphene.List(graphene.String)", "", "schema = graphene.Schema(query=Query)"),
      "gql/views.py": py("from gql.cost import COST_MAP, validate_query", "", "def execute(schema, document):", "    cost, errors = validate_query(schema, document, cost_map=COST_MAP)", "    return errors"),
    });
    assert.deepEqual(custom.run(graphqlLimits), []);
  });

  it("stays quiet on a schema in test code and on a helper building schemas from its parameters", async () => {
    const p = await project({
      "tests/test_schema.py": py(...STRAWBERRY_QUERY, "schema = strawberry.Schema(query=Query)"),
      "lib/__init__.py": "",
      "lib/build.py": py("import graphene", "", "def build(query, mutation=None):", "    return graphene.Schema(query=query, mutation=mutation)"),
    });
    assert.deepEqual(p.run(graphqlLimits), []);
  });
});
