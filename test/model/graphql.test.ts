import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

describe("GraphQL operations in the model", () => {
  it("reads Graphene root types, mutations with Meta permissions, resolvers with login_required, lists and pagination", async () => {
    const p = await project({
      "manage.py": "",
      "shop/__init__.py": "",
      "shop/schema.py": py(
        "import graphene",
        "from graphql_jwt.decorators import login_required",
        "from graphene import relay",
        "",
        "class CreateOrder(graphene.Mutation):",
        "    class Meta:",
        '        permissions = ("orders.add",)',
        "    ok = graphene.Boolean()",
        "    def mutate(root, info):",
        "        return CreateOrder(ok=True)",
        "",
        "class DeleteProduct(graphene.Mutation):",
        "    ok = graphene.Boolean()",
        "    def mutate(root, info, id):",
        "        Product.objects.filter(id=id).delete()",
        "",
        "class Query(graphene.ObjectType):",
        "    products = graphene.List(ProductType)",
        "    orders = graphene.List(OrderType, first=graphene.Int(), offset=graphene.Int())",
        "    customers = relay.ConnectionField(CustomerConnection)",
        "    me = graphene.Field(UserType)",
        "",
        "    def resolve_products(root, info):",
        "        return Product.objects.all()",
        "",
        "    @login_required",
        "    def resolve_me(root, info):",
        "        return info.context.user",
        "",
        "    def resolve_orders(root, info, first=None, offset=None):",
        "        if not info.context.user.is_authenticated:",
        '            raise GraphQLError("login required")',
        "        return Order.objects.all()",
        "",
        "class Mutation(graphene.ObjectType):",
        "    create_order = CreateOrder.Field()",
        "    delete_product = DeleteProduct.Field()",
        "",
        "schema = graphene.Schema(query=Query, mutation=Mutation)",
      ),
      "shop/urls.py": py(
        "from django.urls import path",
        "from django.views.decorators.csrf import csrf_exempt",
        "from graphene_django.views import GraphQLView",
        "from shop.schema import schema",
        "",
        'urlpatterns = [path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True, schema=schema)))]',
      ),
    });
    const ops = new Map(p.model.graphqlOperations.map((o) => [o.name, o]));
    assert.equal(p.model.graphqlSchemas.length, 1);
    assert.deepEqual(p.model.graphqlSchemas[0]?.routes, ["/graphql"]);
    const products = ops.get("products");
    assert.equal(products?.kind, "query");
    assert.equal(products?.returnsList, true);
    assert.equal(products?.pagination, undefined);
    assert.equal(products?.auth, false);
    assert.equal(products?.line, 23);
    assert.equal(products?.route, "/graphql");
    assert.equal(ops.get("orders")?.pagination, "first/offset arguments");
    assert.equal(ops.get("orders")?.auth, true, ops.get("orders")?.authReason);
    assert.match(ops.get("customers")?.pagination ?? "", /Relay connection/);
    assert.equal(ops.get("me")?.auth, true);
    assert.equal(ops.get("me")?.returnsList, false);
    assert.equal(ops.get("create_order")?.kind, "mutation");
    assert.equal(ops.get("create_order")?.auth, true);
    assert.match(ops.get("create_order")?.authReason ?? "", /Meta\.permissions/);
    assert.equal(ops.get("delete_product")?.auth, false);
    assert.equal(ops.get("delete_product")?.line, 14);
  });

  it("reads Strawberry types with permission_classes, list annotations and a GraphQLRouter mount", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/gql.py": py(
        "import strawberry",
        "from strawberry.fastapi import GraphQLRouter",
        "from strawberry.permission import BasePermission",
        "",
        "class IsAuthenticated(BasePermission):",
        "    def has_permission(self, source, info, **kwargs):",
        '        return info.context["request"].user is not None',
        "",
        "@strawberry.type",
        "class Query:",
        "    @strawberry.field",
        "    def books(self) -> list[Book]:",
        "        return load_books()",
        "",
        "    @strawberry.field",
        "    def page(self, limit: int = 20, offset: int = 0) -> list[Book]:",
        "        return load_books()[offset:offset + limit]",
        "",
        "@strawberry.type",
        "class Mutation:",
        "    @strawberry.mutation(permission_classes=[IsAuthenticated])",
        "    def add_book(self, title: str) -> Book:",
        "        return save(title)",
        "",
        "    @strawberry.mutation",
        "    def remove_book(self, id: int) -> bool:",
        "        return delete(id)",
        "",
        "schema = strawberry.Schema(query=Query, mutation=Mutation)",
        "graphql_app = GraphQLRouter(schema)",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.gql import graphql_app", "", "app = FastAPI()", 'app.include_router(graphql_app, prefix="/graphql")'),
    });
    const ops = new Map(p.model.graphqlOperations.map((o) => [o.name, o]));
    assert.equal(ops.get("books")?.returnsList, true);
    assert.equal(ops.get("books")?.pagination, undefined);
    assert.equal(ops.get("books")?.library, "strawberry");
    assert.equal(ops.get("page")?.pagination, "limit/offset arguments");
    assert.equal(ops.get("add_book")?.kind, "mutation");
    assert.equal(ops.get("add_book")?.auth, true);
    assert.equal(ops.get("remove_book")?.auth, false);
    assert.equal(ops.get("remove_book")?.line, 26);
    assert.equal(ops.get("remove_book")?.route, "/graphql");
  });

  it("reads Ariadne QueryType/MutationType resolvers bound to make_executable_schema", async () => {
    const p = await project({
      "api.py": py(
        "from ariadne import MutationType, QueryType, make_executable_schema",
        "from ariadne.asgi import GraphQL",
        "",
        "query = QueryType()",
        "mutation = MutationType()",
        "",
        '@query.field("users")',
        "def resolve_users(_, info, limit: int = 10):",
        "    return []",
        "",
        '@mutation.field("deleteUser")',
        "def resolve_delete_user(_, info, id):",
        "    return True",
        "",
        'schema = make_executable_schema(type_defs, query, mutation)',
        "app = GraphQL(schema)",
      ),
    });
    const ops = new Map(p.model.graphqlOperations.map((o) => [o.name, o]));
    assert.equal(ops.get("users")?.kind, "query");
    assert.equal(ops.get("users")?.pagination, "limit arguments");
    assert.equal(ops.get("deleteUser")?.kind, "mutation");
    assert.equal(ops.get("deleteUser")?.line, 12);
    assert.equal(ops.get("deleteUser")?.schema, "api.schema");
    assert.equal(ops.get("deleteUser")?.auth, false);
  });

  it("gives a route-level login wrapper to every operation and ignores non-GraphQL classes named Query", async () => {
    const p = await project({
      "manage.py": "",
      "site1/__init__.py": "",
      "site1/schema.py": py("import graphene", "", "class Query(graphene.ObjectType):", "    items = graphene.List(graphene.String)", "", "schema = graphene.Schema(query=Query)"),
      "site1/search.py": py("class Query:", "    text = str", "    def run(self):", "        return []"),
      "site1/urls.py": py(
        "from django.contrib.auth.decorators import login_required",
        "from django.urls import path",
        "from graphene_django.views import GraphQLView",
        "",
        'urlpatterns = [path("api/graphql", login_required(GraphQLView.as_view()))]',
      ),
    });
    assert.equal(p.model.graphqlOperations.length, 1);
    assert.equal(p.model.graphqlOperations[0]?.auth, true);
    assert.match(p.model.graphqlOperations[0]?.authReason ?? "", /login_required/);
  });
});
