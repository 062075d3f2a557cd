import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unauthenticatedWrite from "../../src/checks/api/unauthenticated-write.js";
import unpaginatedCollection from "../../src/checks/api/unpaginated-collection.js";
import noAuthentication from "../../src/checks/security/no-authentication.js";
import { locations, project, py } from "../helpers/project.js";

/** A Django project serving one graphene schema on /graphql/, with the mutations and queries given. */
function grapheneShop(schema: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "manage.py": "",
    "shop/__init__.py": "",
    "shop/settings.py": py("INSTALLED_APPS = ['django.contrib.auth', 'graphene_django', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
    "shop/schema.py": schema,
    "shop/urls.py": py(
      "from django.urls import path",
      "from graphene_django.views import GraphQLView",
      "from shop.schema import schema",
      "",
      'urlpatterns = [path("graphql/", GraphQLView.as_view(schema=schema))]',
    ),
    ...extra,
  };
}

describe("API002 on GraphQL mutations", () => {
  it("fires once per schema on the mutations no permission covers, next to ones that declare permissions", async () => {
    const p = await project(
      grapheneShop(
        py(
          "import graphene", // 1
          "",
          "class CreateOrder(graphene.Mutation):",
          "    class Meta:",
          '        permissions = ("orders.add",)',
          "    ok = graphene.Boolean()",
          "    def mutate(root, info):",
          "        return CreateOrder(ok=True)",
          "",
          "class DeleteProduct(graphene.Mutation):", // 10
          "    class Arguments:",
          "        id = graphene.ID(required=True)",
          "    ok = graphene.Boolean()",
          "    def mutate(root, info, id):", // 14
          "        Product.objects.filter(id=id).delete()",
          "        return DeleteProduct(ok=True)",
          "",
          "class UpdatePrice(graphene.Mutation):",
          "    ok = graphene.Boolean()",
          "    def mutate(root, info, id, price):", // 20
          "        Product.objects.filter(id=id).update(price=price)",
          "        return UpdatePrice(ok=True)",
          "",
          "class Mutation(graphene.ObjectType):",
          "    create_order = CreateOrder.Field()",
          "    delete_product = DeleteProduct.Field()",
          "    update_price = UpdatePrice.Field()",
          "",
          "class Query(graphene.ObjectType):",
          "    ping = graphene.String()",
          "",
          "schema = graphene.Schema(query=Query, mutation=Mutation)",
        ),
      ),
    );
    const findings = p.run(unauthenticatedWrite);
    assert.equal(findings.length, 1, findings.map((f) => f.message).join("\n"));
    const [f] = findings;
    assert.equal(f?.severity, "high");
    assert.equal(f?.confidence, "medium");
    assert.deepEqual(f?.evidence.map((e) => [e.file, e.line]), [["shop/schema.py", 14], ["shop/schema.py", 20]]);
    assert.match(f?.message ?? "", /^2 GraphQL mutations of schema shop\.schema\.schema \(served on \/graphql\) change state and no authentication covers them while 1 other operation of the schema is authenticated: delete_product and update_price/);
  });

  it("stays quiet on sign-up, token, password, guest-checkout and computing mutations, and on routes behind login_required", async () => {
    const mutations = ["AccountRegister", "TokenCreate", "RequestPasswordReset", "CheckoutLinesAdd", "PaymentInitialize", "DeliveryOptionsCalculate", "ExternalRefresh", "ConfirmAccount"];
    const schema = py(
      "import graphene",
      "",
      ...mutations.flatMap((m) => [`class ${m}(graphene.Mutation):`, "    ok = graphene.Boolean()", "    def mutate(root, info, **data):", "        Thing.objects.create(**data)", ""]),
      "class Mutation(graphene.ObjectType):",
      ...mutations.map((m) => `    ${m.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()} = ${m}.Field()`),
      "",
      "class Query(graphene.ObjectType):",
      "    ping = graphene.String()",
      "",
      "schema = graphene.Schema(query=Query, mutation=Mutation)",
    );
    const p = await project(grapheneShop(schema));
    assert.equal(p.model.graphqlOperations.filter((o) => o.kind === "mutation" && o.auth === false).length, mutations.length);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
    // the same open mutation is fine when the whole endpoint requires a login
    const open = schema.replace("class Mutation(graphene.ObjectType):", "class DeleteProduct(graphene.Mutation):\n    ok = graphene.Boolean()\n    def mutate(root, info, id):\n        Product.objects.filter(id=id).delete()\n\nclass Mutation(graphene.ObjectType):\n    delete_product = DeleteProduct.Field()");
    const fires = await project(grapheneShop(open));
    assert.deepEqual(locations(fires.run(unauthenticatedWrite)).map(([id]) => id), ["API002"]);
    const wrapped = await project(
      grapheneShop(open, {
        "shop/urls.py": py(
          "from django.contrib.auth.decorators import login_required",
          "from django.urls import path",
          "from graphene_django.views import GraphQLView",
          "from shop.schema import schema",
          "",
          'urlpatterns = [path("graphql/", login_required(GraphQLView.as_view(schema=schema)))]',
        ),
      }),
    );
    assert.deepEqual(locations(wrapped.run(unauthenticatedWrite)), []);
  });

  it("reads a check in a mutation's specific base class behind a mixin many mutations share (saleor's address update)", async () => {
    const others = ["AddressCreate", "OrderUpdate", "ShopAddressUpdate", "AccountUpdate"];
    const p = await project(
      grapheneShop(
        py(
          "import graphene",
          "from django.core.exceptions import PermissionDenied",
          "",
          "class AddressMetadataMixin:",
          "    @classmethod",
          "    def construct_instance(cls, instance, data):",
          "        return instance",
          "",
          "def check_can_edit_address(context, address):",
          "    if context.user and context.user.addresses.filter(pk=address.pk).exists():",
          "        return True",
          "    raise PermissionDenied()",
          "",
          "class BaseAddressUpdate(graphene.Mutation):",
          "    @classmethod",
          "    def clean_input(cls, info, instance, data):",
          "        check_can_edit_address(info.context, instance)",
          "        return data",
          "    @classmethod",
          "    def mutate(cls, root, info, **data):",
          "        instance = Address.objects.get(pk=data['id'])",
          "        cls.clean_input(info, instance, data)",
          "        instance.save()",
          "",
          "class AccountAddressUpdate(AddressMetadataMixin, BaseAddressUpdate):",
          "    ok = graphene.Boolean()",
          "",
          ...others.flatMap((m) => [`class ${m}(AddressMetadataMixin, graphene.Mutation):`, "    class Meta:", '        permissions = ("manage",)', "    def mutate(root, info, **data):", "        Thing.objects.create(**data)", ""]),
          "class Mutation(graphene.ObjectType):",
          "    account_address_update = AccountAddressUpdate.Field()",
          ...others.map((m, i) => `    m${i} = ${m}.Field()`),
          "",
          "class Query(graphene.ObjectType):",
          "    ping = graphene.String()",
          "",
          "schema = graphene.Schema(query=Query, mutation=Mutation)",
        ),
      ),
    );
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });

  it("is low when the mutation takes its own secret (a token or client secret argument)", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/gql.py": py(
        "import strawberry", // 1
        "from strawberry.fastapi import GraphQLRouter",
        "from strawberry.permission import BasePermission",
        "",
        "class IsAuthenticated(BasePermission):",
        "    def has_permission(self, source, info, **kwargs):",
        '        return info.context["request"].user is not None',
        "",
        "@strawberry.type",
        "class Query:", // 10
        "    @strawberry.field(permission_classes=[IsAuthenticated])",
        "    def me(self) -> str:",
        '        return "me"',
        "",
        "@strawberry.type",
        "class Mutation:",
        "    @strawberry.mutation",
        "    def accept_invitation(self, invitation_token: str) -> bool:", // 18
        "        return db.invitations.update_one({'token': invitation_token}, {'$set': {'accepted': True}})",
        "",
        "    @strawberry.mutation",
        "    def remove_book(self, id: int) -> bool:", // 22
        "        return db.books.delete_one({'id': id})",
        "",
        "schema = strawberry.Schema(query=Query, mutation=Mutation)",
        "graphql_app = GraphQLRouter(schema)",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.gql import graphql_app", "", "app = FastAPI()", 'app.include_router(graphql_app, prefix="/graphql")'),
    });
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence.map((e) => e.line)]), [["high", [22]], ["low", [18]]]);
    assert.match(findings[1]?.message ?? "", /accept_invitation\(invitation_token\)/);
  });

  it("skips operations of no schema and no route, and mutations that only read", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/types.py": py(
        "import graphene",
        "",
        "class DeleteUser(graphene.Mutation):",
        "    ok = graphene.Boolean()",
        "    def mutate(root, info, id):",
        "        User.objects.filter(id=id).delete()",
        "",
        "class Mutation(graphene.ObjectType):",
        "    delete_user = DeleteUser.Field()",
      ),
      "api/__init__.py": "",
      "api/gql.py": py(
        "import strawberry",
        "from strawberry.fastapi import GraphQLRouter",
        "",
        "def find_books(text):",
        "    return [b for b in BOOKS if text in b]",
        "",
        "@strawberry.type",
        "class Query:",
        "    @strawberry.field",
        "    def ping(self) -> str:",
        '        return "pong"',
        "",
        "@strawberry.type",
        "class Mutation:",
        "    @strawberry.mutation",
        "    def search_books(self, text: str) -> list[str]:",
        "        return find_books(text)",
        "",
        "schema = strawberry.Schema(query=Query, mutation=Mutation)",
        "graphql_app = GraphQLRouter(schema)",
      ),
    });
    const deleteUser = p.model.graphqlOperations.find((o) => o.name === "delete_user");
    assert.equal(deleteUser?.schema, null);
    assert.equal(p.model.graphqlOperations.find((o) => o.name === "search_books")?.auth, false);
    assert.deepEqual(locations(p.run(unauthenticatedWrite)), []);
  });
});

describe("API002 defers to SEC016 when nothing authenticates", () => {
  const app = (...extra: string[]) => ({
    "app/main.py": py(
      "from fastapi import FastAPI", // 1
      "app = FastAPI()",
      '@app.get("/orders")',
      "def list_orders(): ...",
      '@app.post("/orders")',
      "def create_order(order: dict):", // 6
      "    db.add(order)",
      '@app.delete("/orders/{order_id}")',
      "def delete_order(order_id: int):", // 9
      "    db.delete(order_id)",
      ...extra,
    ),
  });

  it("lists the open writes at low when SEC016 reports the missing mechanism", async () => {
    const p = await project(app());
    assert.deepEqual(locations(p.run(noAuthentication)).map(([id]) => id), ["SEC016"]);
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence.map((e) => e.line)]), [["low", [6, 9]]]);
    assert.match(findings[0]?.message ?? "", /which SEC016 reports/);
  });

  it("reports each open write at high once some route is authenticated", async () => {
    const p = await project(
      app(
        "from fastapi import Depends",
        "from fastapi.security import HTTPBearer",
        "bearer = HTTPBearer()",
        '@app.put("/orders/{order_id}")',
        "def update_order(order_id: int, credentials=Depends(bearer)):",
        "    db.merge(order_id)",
      ),
    );
    assert.deepEqual(p.run(noAuthentication), []);
    assert.deepEqual(p.run(unauthenticatedWrite).map((f) => [f.severity, f.evidence[0]?.line]), [["high", 6], ["high", 9]]);
  });
});

describe("API003 on GraphQL list queries", () => {
  it("fires once per schema on unpaged lists read from the database, and not on paged, scalar, scoped or computed lists", async () => {
    const p = await project(
      grapheneShop(
        py(
          "import graphene", // 1
          "from django.conf import settings",
          "from graphene import relay",
          "",
          "class Query(graphene.ObjectType):",
          "    products = graphene.List(ProductType)",
          "    customers = graphene.NonNull(graphene.List(graphene.NonNull(CustomerType)))",
          "    orders = graphene.List(OrderType, first=graphene.Int(), offset=graphene.Int())",
          "    invoices = relay.ConnectionField(InvoiceConnection)",
          "    currencies = graphene.List(graphene.String)", // 10
          "    variants = graphene.List(VariantType, product_id=graphene.ID(required=True))",
          "    tax_types = graphene.List(TaxType)",
          "    my_orders = graphene.List(OrderType)",
          "",
          "    def resolve_products(root, info):", // 15
          "        return Product.objects.all()",
          "",
          "    def resolve_customers(root, info):", // 18
          "        return Customer.objects.order_by('name')",
          "",
          "    def resolve_orders(root, info, first=None, offset=None):",
          "        return Order.objects.all()[offset:first]",
          "",
          "    def resolve_currencies(root, info):",
          "        return set(Product.objects.values_list('currency', flat=True))",
          "",
          "    def resolve_variants(root, info, product_id):",
          "        return Variant.objects.filter(product_id=product_id)",
          "",
          "    def resolve_tax_types(root, info):",
          "        return [TaxType(code=c) for c in settings.TAX_CODES]",
          "",
          "    def resolve_my_orders(root, info):", // 33
          "        return Order.objects.filter(user=info.context.user)",
          "",
          "schema = graphene.Schema(query=Query)",
        ),
      ),
    );
    const findings = p.run(unpaginatedCollection);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence.map((e) => [e.file, e.line])]), [
      ["medium", [["shop/schema.py", 15], ["shop/schema.py", 18]]],
      ["low", [["shop/schema.py", 33]]],
    ]);
    assert.match(findings[0]?.message ?? "", /^2 GraphQL query fields of schema shop\.schema\.schema \(served on \/graphql\) return a whole list read from the data store .*: products and customers\.$/);
    assert.match(findings[1]?.message ?? "", /my_orders.*belongs to the caller/);
  });

  it("is low where the schema pages most of its lists", async () => {
    const paged = ["a", "b"].flatMap((n) => [`    ${n}_list = graphene.List(ItemType, first=graphene.Int(), after=graphene.String())`, `    def resolve_${n}_list(root, info, first=None, after=None):`, "        return Item.objects.all()"]);
    const p = await project(
      grapheneShop(
        py(
          "import graphene",
          "",
          "class Query(graphene.ObjectType):",
          "    channels = graphene.List(ChannelType)",
          "    def resolve_channels(root, info):", // 5
          "        return Channel.objects.all()",
          ...paged,
          "",
          "schema = graphene.Schema(query=Query)",
        ),
      ),
    );
    const findings = p.run(unpaginatedCollection);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence[0]?.line]), [["low", 5]]);
    assert.match(findings[0]?.message ?? "", /the schema pages 2 other lists/);
  });

  it("reads Strawberry resolvers, strawberry_django fields with no resolver, and Ariadne resolvers", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/gql.py": py(
        "import strawberry", // 1
        "import strawberry_django",
        "from sqlalchemy import select",
        "from strawberry.fastapi import GraphQLRouter",
        "",
        "@strawberry.type",
        "class Query:",
        "    fruits: list[Fruit] = strawberry_django.field()", // 8
        "",
        "    @strawberry.field",
        "    def books(self, info) -> list[Book]:", // 11
        "        return info.context.session.scalars(select(BookModel)).all()",
        "",
        "    @strawberry.field",
        "    def tags(self) -> list[str]:",
        "        return info.context.session.scalars(select(Tag.name)).all()",
        "",
        "    @strawberry.field",
        "    def authors(self, book_id: int) -> list[Author]:",
        "        return info.context.session.scalars(select(AuthorModel).where(AuthorModel.book_id == book_id)).all()",
        "",
        "    @strawberry.field",
        "    def page(self, limit: int = 20, offset: int = 0) -> list[Book]:",
        "        return info.context.session.scalars(select(BookModel).limit(limit).offset(offset)).all()",
        "",
        "schema = strawberry.Schema(query=Query)",
        "graphql_app = GraphQLRouter(schema)",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.gql import graphql_app", "", "app = FastAPI()", 'app.include_router(graphql_app, prefix="/graphql")'),
      "svc/__init__.py": "",
      "svc/api.py": py(
        "from ariadne import QueryType, make_executable_schema",
        "from ariadne.asgi import GraphQL",
        "",
        "query = QueryType()",
        "",
        '@query.field("users")',
        "def resolve_users(_, info) -> list[dict]:", // 7
        "    return list(info.context['db'].users.find({}))",
        "",
        "schema = make_executable_schema(type_defs, query)",
        "app = GraphQL(schema)",
      ),
    });
    const findings = p.run(unpaginatedCollection);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence.map((e) => `${e.file}:${e.line}`)]), [
      ["medium", ["app/gql.py:8", "app/gql.py:11"]],
      ["medium", ["svc/api.py:7"]],
    ]);
  });

  it("stays quiet on lists narrowed by a required argument and on wrapped scalar lists (pycon's job board, saleor's currencies)", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/gql.py": py(
        "import graphene",
        "import strawberry",
        "import strawberry_django",
        "from strawberry.fastapi import GraphQLRouter",
        "",
        "@strawberry.type",
        "class Query:",
        "    @strawberry_django.field",
        "    def job_listings(self, conference: str) -> list[JobListing]:",
        '        return JobListing.objects.filter(conference__code=conference).order_by("order")',
        "",
        "    @strawberry.field",
        "    def voting_tags(self, info: Info, conference: str) -> list[Tag]:",
        "        return Tag.objects.filter(submission__conference__code=conference).distinct()",
        "",
        "schema = strawberry.Schema(query=Query)",
        "graphql_app = GraphQLRouter(schema)",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app.gql import graphql_app", "", "app = FastAPI()", 'app.include_router(graphql_app, prefix="/graphql")'),
    });
    assert.deepEqual(locations(p.run(unpaginatedCollection)), []);
    const saleor = await project(
      grapheneShop(
        py(
          "import graphene",
          "from shop.fields import PermissionsField, NonNullList",
          "",
          "class Query(graphene.ObjectType):",
          '    gift_card_currencies = PermissionsField(NonNullList(graphene.String), permissions=["gift_cards"])',
          "    def resolve_gift_card_currencies(root, info):",
          '        return set(GiftCard.objects.values_list("currency", flat=True))',
          "",
          "schema = graphene.Schema(query=Query)",
        ),
        { "shop/fields.py": py("import graphene", "class PermissionsField(graphene.Field): ...", "class NonNullList(graphene.List): ...") },
      ),
    );
    assert.equal(saleor.model.graphqlOperations[0]?.returnsList, true);
    assert.deepEqual(locations(saleor.run(unpaginatedCollection)), []);
  });
});

describe("API002 on GraphQL visitor forms", () => {
  it("is low on a mutation named like a public form (pycon's sponsor lead), with the schema's every route", async () => {
    const p = await project(
      grapheneShop(
        py(
          "import graphene",
          "",
          "class SendSponsorLead(graphene.Mutation):",
          "    ok = graphene.Boolean()",
          "    def mutate(root, info, email):", // 5
          "        SponsorLead.objects.update_or_create(email=email)",
          "        send_brochure.delay(email)",
          "",
          "class Mutation(graphene.ObjectType):",
          "    send_sponsor_lead = SendSponsorLead.Field()",
          "",
          "class Query(graphene.ObjectType):",
          "    ping = graphene.String()",
          "",
          "schema = graphene.Schema(query=Query, mutation=Mutation)",
        ),
        {
          "shop/urls.py": py(
            "from django.urls import path",
            "from graphene_django.views import GraphQLView",
            "from shop.schema import schema",
            "",
            "urlpatterns = [",
            '    path("graphql/", GraphQLView.as_view(schema=schema)),',
            '    path("admin/graphql/", GraphQLView.as_view(schema=schema)),',
            "]",
          ),
        },
      ),
    );
    const findings = p.run(unauthenticatedWrite);
    assert.deepEqual(findings.map((f) => [f.severity, f.evidence[0]?.file, f.evidence[0]?.line]), [["low", "shop/schema.py", 5]]);
    assert.match(findings[0]?.message ?? "", /served on \/admin\/graphql and \/graphql\) is open to anyone and named like a form for visitors \(send_sponsor_lead\)/);
  });
});
