import assert from "node:assert/strict";
import { describe, it } from "node:test";
import inconsistentErrors from "../../src/checks/api/inconsistent-errors.js";
import { locations, project, py } from "../helpers/project.js";

function flask(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py("from flask import Flask", "from app.views import bp", "app = Flask(__name__)", "app.register_blueprint(bp)"),
    "app/views.py": py("from flask import Blueprint, jsonify, make_response", 'bp = Blueprint("orders", __name__, url_prefix="/api/orders")', ...lines),
  };
}

function fastapi(...lines: string[]): Record<string, string> {
  return {
    "app/__init__.py": "",
    "app/main.py": py("from fastapi import FastAPI, HTTPException", "from fastapi.responses import JSONResponse", "app = FastAPI()", ...lines),
  };
}

describe("API008 inconsistent error responses", () => {
  it("fires on a Flask view returning `jsonify({\"error\": ...})` with no status, at the call", async () => {
    const p = await project(
      flask(
        '@bp.route("/<int:order_id>")', // 3
        "def get_order(order_id):",
        "    order = find(order_id)",
        "    if order is None:",
        '        return jsonify({"error": "not found"})', // 7
        "    return jsonify(order)",
        '@bp.route("/<int:order_id>", methods=["DELETE"])',
        "def delete_order(order_id):",
        "    if not allowed(order_id):",
        '        return jsonify({"error": "forbidden"}), 403', // a status in the tuple: quiet
        '    return make_response(jsonify({"error": "gone"}), 410)', // a status given to make_response: quiet
      ),
    );
    const findings = p.run(inconsistentErrors);
    assert.deepEqual(locations(findings), [["API008", "app/views.py", 7]]);
    assert.match(findings[0]?.message ?? "", /^A handler returns an error payload with status 200: `return jsonify\(\{"error": "not found"\}\)` \(app\/views\.py:7\)/);
  });

  it("fires on DRF `Response({\"error\": ...})` and Django `JsonResponse({\"error\": ...})` without a status, quiet with one and on a validation result", async () => {
    const p = await project({
      "shop/__init__.py": "",
      "shop/settings.py": py("INSTALLED_APPS = ['rest_framework', 'shop']", "ROOT_URLCONF = 'shop.urls'"),
      "shop/urls.py": py("from django.urls import path", "from shop import views", "urlpatterns = [path('api/notes/<int:pk>/', views.NoteView.as_view()), path('api/check/', views.check), path('api/uei/', views.UeiView.as_view())]"),
      "shop/views.py": py(
        "from django.http import JsonResponse", // 1
        "from rest_framework import status",
        "from rest_framework.response import Response",
        "from rest_framework.views import APIView",
        "class NoteView(APIView):", // 5
        "    def get(self, request, pk):",
        "        try:",
        "            return Response(load(pk))",
        "        except Exception:",
        '            return Response({"error": "could not load notes"})', // 10
        "    def delete(self, request, pk):",
        '        return Response({"error": "locked"}, status=status.HTTP_409_CONFLICT)',
        "def check(request):",
        '    if not request.user.is_authenticated:',
        '        return JsonResponse({"error": "login required"})', // 15
        '    return JsonResponse({"error": "bad input"}, status=400)',
        "class UeiView(APIView):",
        "    def post(self, request):",
        '        return Response({"valid": False, "errors": ["invalid-year"]})',
      ),
    });
    const findings = p.run(inconsistentErrors);
    assert.deepEqual(findings.map((f) => f.evidence.map((e) => e.line)), [[10, 15]]);
    assert.match(findings[0]?.message ?? "", /^2 handlers return error payloads with status 200/);
  });

  it("fires on several error shapes with no global exception handler, and is quiet once one exists", async () => {
    const lines = [
      '@app.get("/items/{item_id}")', // 4
      "def read_item(item_id: int):",
      "    if item_id < 0:",
      '        raise HTTPException(status_code=404, detail="not found")', // 7
      "    if item_id == 0:",
      '        raise HTTPException(status_code=400, detail="zero")', // 9
      '    return JSONResponse(status_code=409, content={"error": "conflict", "code": 1})', // 10
      '@app.post("/items")',
      "def create_item():",
      '    return JSONResponse({"error": "invalid"}, 422)', // 13
    ];
    const p = await project(fastapi(...lines));
    const findings = p.run(inconsistentErrors);
    assert.deepEqual(locations(findings), [["API008", "app/main.py", 7]]);
    assert.match(findings[0]?.message ?? "", /^Error responses come in 2 shapes with no global exception handler to unify them: `\{"detail": \.\.\.\}` 2 times \(e\.g\. app\/main\.py:7\) and `\{"error": \.\.\.\}` 2 times \(e\.g\. app\/main\.py:10\)\.$/);
    const handled = await project(fastapi(...lines, "@app.exception_handler(AppError)", "async def app_error(request, exc):", '    return JSONResponse(status_code=exc.status, content={"detail": exc.message})'));
    assert.deepEqual(locations(handled.run(inconsistentErrors)), []);
  });
});
