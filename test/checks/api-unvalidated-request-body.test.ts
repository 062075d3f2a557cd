import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unvalidatedRequestBody from "../../src/checks/api/unvalidated-request-body.js";
import { locations, project, py } from "../helpers/project.js";

const FASTAPI_MAIN = py("from fastapi import FastAPI", "from app.routes import router", "app = FastAPI()", 'app.include_router(router, prefix="/api/v1")');

function fastapi(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": FASTAPI_MAIN,
    "app/schemas.py": py("from pydantic import BaseModel", "class ItemCreate(BaseModel):", "    name: str"),
    "app/routes.py": py(
      "from typing import Any", // 1
      "import httpx",
      "from fastapi import APIRouter, Body, Request",
      "from app.schemas import ItemCreate",
      'router = APIRouter(prefix="/items")', // 5
      "",
      ...lines, // from line 7
    ),
  };
}

const FLASK_APP = py("from flask import Flask", "from app.views import bp", "app = Flask(__name__)", "app.register_blueprint(bp)");

function flask(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": FLASK_APP,
    "app/views.py": py(
      "from flask import Blueprint, jsonify, request", // 1
      "from marshmallow import Schema, fields",
      "from app.models import Order, db",
      'bp = Blueprint("orders", __name__, url_prefix="/api/orders")',
      "class OrderSchema(Schema):", // 5
      "    sku = fields.Str(required=True)",
      "",
      ...lines, // from line 8
    ),
  };
}

function django(view: string[], url: string): Record<string, string> {
  return {
    "shop/__init__.py": "",
    "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
    "shop/urls.py": py("from django.urls import path", "from shop import views", `urlpatterns = [${url}]`),
    "shop/views.py": py(
      "import json", // 1
      "from django.http import JsonResponse",
      "from rest_framework.views import APIView",
      "from rest_framework.response import Response",
      "from shop.models import Order", // 5
      "from shop.serializers import OrderSerializer",
      "",
      ...view, // from line 8
    ),
  };
}

describe("API004 request body accepted without validation", () => {
  it("fires on a FastAPI handler that reads `await request.json()` and uses it, at the line of the read", async () => {
    const p = await project(fastapi('@router.post("/")', "async def create_item(request: Request):", "    data = await request.json()", "    return await repo.create(**data)"));
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(locations(findings), [["API004", "app/routes.py", 9]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /^POST \/api\/v1\/items reads `await request\.json\(\)` with no validation \(no Pydantic model parameter\)/);
  });

  it("fires on a FastAPI body parameter typed `dict` or `Dict[str, Any]`, at the def line", async () => {
    const p = await project(fastapi('@router.put("/{item_id}")', "def update_item(item_id: int, patch: dict[str, Any] = Body(...)):", "    return repo.update(item_id, patch)"));
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(locations(findings), [["API004", "app/routes.py", 8]]);
    assert.match(findings[0]?.message ?? "", /takes its body as `patch: dict\[str, Any\] = Body\(\.\.\.\)`/);
  });

  it("is quiet on a Pydantic body, a dict validated into a model, a `Query` dict, a GET, and a raw body only hashed", async () => {
    const p = await project(
      fastapi(
        '@router.post("/")',
        "def create_item(item: ItemCreate):", // 8
        "    return repo.create(item)",
        '@router.post("/bulk")',
        "async def bulk(request: Request):",
        "    data = await request.json()",
        "    items = [ItemCreate.model_validate(x) for x in data]",
        "    payload = ItemCreate(**data)",
        "    return payload",
        '@router.patch("/{item_id}")',
        "def patch_item(item_id: int, changes: dict):",
        "    return ItemCreate(**changes)",
        '@router.get("/search")',
        "async def search(request: Request):",
        "    data = await request.json()",
        "    return data",
        '@router.post("/signed")',
        "async def signed(request: Request):",
        "    raw = await request.body()",
        "    return {'digest': sha256(raw).hexdigest()}",
        '@router.post("/token")',
        "async def token(request: Request):",
        "    await request.form()",
        "    return server.create_token_response(request)",
      ),
    );
    assert.deepEqual(locations(p.run(unvalidatedRequestBody)), []);
  });

  it("is low on a webhook receiver and says why", async () => {
    const p = await project(fastapi('@router.post("/webhooks/stripe")', "async def stripe_webhook(request: Request):", "    event = await request.json()", "    handle(event['type'], event)"));
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(locations(findings), [["API004", "app/routes.py", 9]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /webhook receiver, whose sender defines the payload, so this is lower/);
  });

  it("is low on a handler that forwards the payload as it came", async () => {
    const p = await project(fastapi('@router.post("/relay")', "async def relay(request: Request):", "    payload = await request.json()", "    r = await httpx.AsyncClient().post(UPSTREAM, json=payload)", "    return r.json()"));
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(locations(findings), [["API004", "app/routes.py", 9]]);
    assert.equal(findings[0]?.severity, "low");
    assert.match(findings[0]?.message ?? "", /forwards the payload as it came/);
  });

  it("fires on a Flask view using `request.get_json()` with no schema, and is quiet when marshmallow loads it", async () => {
    const p = await project(
      flask(
        '@bp.route("/", methods=["POST"])',
        "def create_order():", // 9
        "    data = request.get_json()", // 10
        "    order = Order(**data)",
        "    db.session.add(order)",
        "    return jsonify(id=order.id), 201",
        '@bp.route("/<int:order_id>", methods=["PUT"])',
        "def update_order(order_id):",
        "    payload = OrderSchema().load(request.get_json())",
        "    return jsonify(payload)",
        '@bp.route("/<int:order_id>/note", methods=["POST"])',
        "def add_note(order_id):",
        "    note = request.form['note'].strip()", // one field, checked by hand: quiet
        "    return jsonify(note=note)",
      ),
    );
    assert.deepEqual(locations(p.run(unvalidatedRequestBody)), [["API004", "app/views.py", 10]]);
  });

  it("fires on a DRF view reading `request.data` directly, and is quiet with a serializer or `serializer_class`", async () => {
    const p = await project(
      django(
        [
          "class OrderList(APIView):",
          "    def post(self, request):", // 9
          "        data = request.data", // 10
          "        order = Order.objects.create(customer=data.get('customer'), total=data['total'])",
          "        return Response({'id': order.id}, status=201)",
          "class OrderDetail(APIView):",
          "    def put(self, request, pk):",
          "        serializer = OrderSerializer(Order.objects.get(pk=pk), data=request.data)",
          "        serializer.is_valid(raise_exception=True)",
          "        serializer.save()",
          "        return Response(serializer.data)",
        ],
        "path('orders/', views.OrderList.as_view()), path('orders/<int:pk>/', views.OrderDetail.as_view())",
      ),
    );
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(locations(findings), [["API004", "shop/views.py", 10]]);
    assert.match(findings[0]?.message ?? "", /reads `request\.data` with no validation \(no serializer\)/);
  });

  it("fires on a Django view parsing `json.loads(request.body)`, and is quiet on a body that is only stored or a form validated by `is_valid`", async () => {
    const p = await project(
      django(
        [
          "def create_order(request):",
          "    doc = json.loads(request.body)", // 9
          "    order = Order.objects.create(**doc)",
          "    return JsonResponse({'id': order.id}, status=201)",
          "def ping(request, code):",
          "    Ping.objects.create(code=code, body=request.body[:1000])",
          "    return JsonResponse({'ok': True})",
          "def contact(request):",
          "    form = ContactForm(request.POST)",
          "    if form.is_valid():",
          "        form.save()",
          "    return JsonResponse({'ok': True})",
        ],
        "path('api/orders/', views.create_order), path('api/ping/<code>/', views.ping), path('api/contact/', views.contact)",
      ),
    );
    assert.deepEqual(locations(p.run(unvalidatedRequestBody)), [["API004", "shop/views.py", 9]]);
  });

  it("is quiet on a view that copies one posted field into a context it built (zulip's login page)", async () => {
    const p = await project(
      django(
        [
          "def login_page(request, extra_context=None):",
          "    extra_context = extra_context or {}",
          "    if 'username' in request.POST:",
          "        extra_context['email'] = request.POST['username']",
          "    extra_context.update(login_context(request))",
          "    return JsonResponse(extra_context)",
        ],
        "path('api/login/', views.login_page)",
      ),
    );
    assert.deepEqual(locations(p.run(unvalidatedRequestBody)), []);
  });

  it("is low on a free-form map by design (`labels: Dict[str, Any] = Body(...)`, Prefect), and on a form post to a page", async () => {
    const p = await project(fastapi('@router.patch("/{item_id}/labels")', "def update_labels(item_id: int, labels: dict[str, Any] = Body(...)):", "    return repo.set_labels(item_id, labels)"));
    const findings = p.run(unvalidatedRequestBody);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[8, "low"]]);
    assert.match(findings[0]?.message ?? "", /may be a free-form map by design, so this is lower/);
    const page = await project(
      flask('@bp.route("/<int:order_id>/edit", methods=["POST"])', "def edit(order_id):", "    data = request.form", "    Order.update(order_id, data.to_dict())", '    return redirect(url_for("orders.show", order_id=order_id))'),
    );
    // under /api/orders it is an API route, so medium even though it redirects
    assert.deepEqual(page.run(unvalidatedRequestBody).map((f) => [f.evidence[0]?.line, f.severity]), [[10, "medium"]]);
  });
});
