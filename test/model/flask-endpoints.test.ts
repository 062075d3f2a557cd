import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flaskEndpoints } from "../../src/model/endpoints/flask.js";
import type { Endpoint } from "../../src/model/types.js";
import { byKey, rows } from "../helpers/endpoints.js";
import { project, py } from "../helpers/project.js";

async function flask(files: Record<string, string>): Promise<{ endpoints: Endpoint[]; appFiles: string[] }> {
  const p = await project(files);
  return flaskEndpoints(p.index, p.fileSet.files);
}



describe("Flask apps", () => {
  it("reads @app.route (GET by default, methods=), the Flask 2 shortcuts and add_url_rule in both forms", async () => {
    const { endpoints, appFiles } = await flask({
      "shop/__init__.py": "",
      "shop/app.py": py(
        "from flask import Flask", // 1
        "from shop import views",
        "app = Flask(__name__)",
        '@app.route("/")',
        "def index():", // 5
        "    return 'hi'",
        '@app.route("/items/<int:item_id>", methods=["GET", "POST"])',
        "def item(item_id):", // 8
        "    return ''",
        '@app.delete("/items/<item_id>")',
        "async def remove(item_id):", // 11
        "    return ''",
        'app.add_url_rule("/about", view_func=views.about)',
        'app.add_url_rule("/files/<path:name>", "files", views.files, methods=("PUT",))',
      ),
      "shop/views.py": py(
        "def about():", // 1
        "    return ''",
        "def files(name):", // 3
        "    return ''",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET / shop.app.index shop/app.py:5 false",
      "GET /about shop.views.about shop/views.py:1 false",
      "PUT /files/{name:path} shop.views.files shop/views.py:3 false",
      "DELETE /items/{item_id} shop.app.remove shop/app.py:11 false",
      "GET /items/{item_id} shop.app.item shop/app.py:8 false",
      "POST /items/{item_id} shop.app.item shop/app.py:8 false",
    ]);
    assert.equal(endpoints[0]?.framework, "flask");
    assert.equal(endpoints[0]?.authReason, "no authentication decorator");
    assert.equal(byKey(endpoints, "DELETE /items/{item_id}").isAsync, true);
    assert.deepEqual(appFiles, ["shop/app.py"]);
  });

  it("finds routes of an app built in a factory, blueprints registered through a helper taking the app, and `app = create_app()`", async () => {
    const { endpoints, appFiles } = await flask({
      "web/__init__.py": py(
        "from flask import Flask", // 1
        "from web.public import blueprint as public_bp",
        "",
        "def create_app(config=None):",
        "    app = Flask(__name__)",
        "    register_blueprints(app)",
        '    @app.route("/health")',
        "    def health():", // 8
        "        return 'ok'",
        '    app.add_url_rule("/version", view_func=version)',
        "    return app",
        "",
        "def register_blueprints(app):",
        '    app.register_blueprint(public_bp, url_prefix="/public")',
        "",
        "def version():", // 16
        "    return '1'",
      ),
      "web/public.py": py(
        "from flask import Blueprint", // 1
        'blueprint = Blueprint("public", __name__, url_prefix="/ignored")',
        '@blueprint.get("/home")',
        "def home():", // 4
        "    return ''",
      ),
      "wsgi.py": py(
        "from web import create_app", // 1
        "app = create_app()",
        '@app.route("/extra")',
        "def extra():", // 4
        "    return ''",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /extra wsgi.extra wsgi.py:4 false",
      "GET /health web.create_app.health web/__init__.py:8 false",
      "GET /public/home web.public.home web/public.py:4 false",
      "GET /version web.version web/__init__.py:16 false",
    ]);
    assert.deepEqual(appFiles, ["web/__init__.py"]);
  });
});

describe("Flask blueprints", () => {
  it("joins prefixes: the blueprint's own, the register prefix replacing it, nested blueprints, constants and f-strings from other modules", async () => {
    const { endpoints } = await flask({
      "api/__init__.py": "",
      "api/config.py": py('API_PREFIX = "/api"', "class Settings:", '    VERSION: str = "v2"', "settings = Settings()"),
      "api/users.py": py(
        "from flask import Blueprint", // 1
        'users = Blueprint("users", __name__, url_prefix="/users")',
        '@users.route("/<int:uid>")',
        "def get_user(uid):", // 4
        "    return ''",
      ),
      "api/orders.py": py(
        "from flask import Blueprint", // 1
        'orders = Blueprint("orders", __name__, url_prefix="/orders")',
        '@orders.post("/")',
        "def create_order():", // 4
        "    return ''",
      ),
      "api/app.py": py(
        "from flask import Blueprint, Flask",
        "from api.config import API_PREFIX, settings",
        "from api.orders import orders",
        "from api import users as users_module",
        "app = Flask(__name__)",
        'v1 = Blueprint("v1", __name__, url_prefix=API_PREFIX + "/v1")',
        "v1.register_blueprint(users_module.users)",
        'v1.register_blueprint(orders, url_prefix="/commands")',
        "app.register_blueprint(v1)",
        'app.register_blueprint(users_module.users, url_prefix=f"{API_PREFIX}/{settings.VERSION}/people")',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "POST /api/v1/commands api.orders.create_order api/orders.py:4 false",
      "GET /api/v1/users/{uid} api.users.get_user api/users.py:4 false",
      "GET /api/v2/people/{uid} api.users.get_user api/users.py:4 false",
    ]);
  });

  it("serves a blueprint nobody registers under its own prefix, and keeps the condition of a conditional registration", async () => {
    const { endpoints } = await flask({
      "svc/__init__.py": "",
      "svc/admin.py": py(
        "from flask import Blueprint",
        'admin = Blueprint("admin", __name__, url_prefix="/admin")',
        '@admin.route("/stats")',
        "def stats():",
        "    return ''",
      ),
      "svc/debug.py": py(
        "from flask import Blueprint",
        'debug = Blueprint("debug", __name__)',
        '@debug.route("/debug/env")',
        "def env():",
        "    return ''",
      ),
      "svc/app.py": py(
        "from flask import Flask",
        "from svc.debug import debug",
        "app = Flask(__name__)",
        "if app.debug:",
        "    app.register_blueprint(debug)",
      ),
    });
    assert.deepEqual(
      endpoints.map((e) => `${e.method} ${e.path} ${e.condition ?? "-"}`),
      ["GET /admin/stats -", "GET /debug/env app.debug"],
    );
  });
});

describe("Flask class-based views", () => {
  it("gives one endpoint per method a MethodView defines, at the method's def line, with class decorators as auth", async () => {
    const { endpoints } = await flask({
      "inv/__init__.py": "",
      "inv/views.py": py(
        "from flask.views import MethodView, View", // 1
        "from flask_login import login_required",
        "",
        "class BaseAPI(MethodView):",
        "    decorators = [login_required]",
        "    def get(self, id):", // 6
        "        return ''",
        "",
        "class ItemAPI(BaseAPI):",
        "    def put(self, id):", // 10
        "        return ''",
        "    def delete(self, id):", // 12
        "        return ''",
        "    def helper(self):",
        "        return ''",
        "",
        "class Report(View):",
        '    methods = ["GET", "POST"]',
        "    def dispatch_request(self):", // 19
        "        return ''",
        "",
        "class Open(MethodView):",
        "    def post(self):", // 23
        "        return ''",
      ),
      "inv/app.py": py(
        "from flask import Flask",
        "from flask_login import login_required",
        "from inv.views import ItemAPI, Open, Report",
        "app = Flask(__name__)",
        'app.add_url_rule("/items/<int:id>", view_func=ItemAPI.as_view("item"))',
        'report_view = Report.as_view("report")',
        'app.add_url_rule("/report", view_func=report_view)',
        'app.add_url_rule("/open", view_func=Open.as_view("open"))',
        'app.add_url_rule("/guarded", view_func=login_required(Open.as_view("guarded")))',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "POST /guarded inv.views.Open.post inv/views.py:23 true",
      "DELETE /items/{id} inv.views.ItemAPI.delete inv/views.py:12 true",
      "GET /items/{id} inv.views.BaseAPI.get inv/views.py:6 true",
      "PUT /items/{id} inv.views.ItemAPI.put inv/views.py:10 true",
      "POST /open inv.views.Open.post inv/views.py:23 false",
      "GET /report inv.views.Report.dispatch_request inv/views.py:19 false",
      "POST /report inv.views.Report.dispatch_request inv/views.py:19 false",
    ]);
    assert.equal(byKey(endpoints, "PUT /items/{id}").authReason, "view class decorators include login_required");
    assert.equal(byKey(endpoints, "POST /guarded").authReason, "view_func is wrapped in login_required");
  });
});

describe("Flask-RESTful, flask-smorest and Flask-RESTX", () => {
  it("reads add_resource with several URLs on an Api bound to a blueprint, with method_decorators as auth", async () => {
    const { endpoints } = await flask({
      "todo/__init__.py": "",
      "todo/auth.py": py(
        "from functools import wraps",
        "from flask import abort, request",
        "def token_required(f):",
        "    @wraps(f)",
        "    def wrapper(*args, **kwargs):",
        "        if not request.headers.get('X-Token'):",
        "            abort(401)",
        "        return f(*args, **kwargs)",
        "    return wrapper",
      ),
      "todo/resources.py": py(
        "from flask_restful import Resource", // 1
        "from todo.auth import token_required",
        "class TodoList(Resource):",
        "    method_decorators = {'post': [token_required]}",
        "    def get(self):", // 5
        "        return []",
        "    def post(self):", // 7
        "        return {}",
        "class Todo(Resource):",
        "    method_decorators = [token_required]",
        "    def get(self, todo_id):", // 11
        "        return {}",
      ),
      "todo/app.py": py(
        "from flask import Blueprint, Flask",
        "from flask_restful import Api",
        "from todo.resources import Todo, TodoList",
        'bp = Blueprint("api", __name__, url_prefix="/api")',
        'api = Api(bp, prefix="/v1")',
        'api.add_resource(TodoList, "/todos", "/tasks")',
        'api.add_resource(Todo, "/todos/<todo_id>", endpoint="todo")',
        "app = Flask(__name__)",
        "app.register_blueprint(bp)",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /api/v1/tasks todo.resources.TodoList.get todo/resources.py:5 false",
      "POST /api/v1/tasks todo.resources.TodoList.post todo/resources.py:7 true",
      "GET /api/v1/todos todo.resources.TodoList.get todo/resources.py:5 false",
      "POST /api/v1/todos todo.resources.TodoList.post todo/resources.py:7 true",
      "GET /api/v1/todos/{todo_id} todo.resources.Todo.get todo/resources.py:11 true",
    ]);
    assert.equal(byKey(endpoints, "POST /api/v1/todos").authReason, "method_decorators include token_required, which checks credentials (reads Token)");
  });

  it("reads Api() bound later with init_app, @api.resource, and Api(decorators=[...]) covering every resource", async () => {
    const { endpoints } = await flask({
      "r/__init__.py": "",
      "r/app.py": py(
        "from flask import Flask",
        "from flask_restful import Api, Resource",
        "from flask_httpauth import HTTPTokenAuth",
        "auth = HTTPTokenAuth()",
        "class Ping(Resource):",
        "    def get(self):",
        "        return {}",
        'api = Api(prefix="/r", decorators=[auth.login_required])',
        'api.add_resource(Ping, "/ping")',
        "def create_app():",
        "    app = Flask(__name__)",
        "    api.init_app(app)",
        "    return app",
        '@api.resource("/pong")',
        "class Pong(Resource):",
        "    def put(self):", // 16
        "        return {}",
      ),
    });
    assert.deepEqual(rows(endpoints), ["GET /r/ping r.app.Ping.get r/app.py:6 true", "PUT /r/pong r.app.Pong.put r/app.py:16 true"]);
    assert.equal(endpoints[0]?.authReason, "Api decorators include auth.login_required");
  });

  it("reads flask-smorest blueprints of MethodViews registered on the smorest Api", async () => {
    const { endpoints, appFiles } = await flask({
      "pets/__init__.py": "",
      "pets/resources.py": py(
        "from flask.views import MethodView", // 1
        "from flask_smorest import Blueprint",
        "from flask_jwt_extended import jwt_required",
        'blp = Blueprint("pets", __name__, url_prefix="/pets", description="Pets")',
        '@blp.route("/")',
        "class Pets(MethodView):",
        "    @blp.response(200)",
        "    def get(self):", // 8
        "        return []",
        "    @jwt_required()",
        "    @blp.arguments(dict)",
        "    def post(self, data):", // 12
        "        return data",
        '@blp.route("/<int:pet_id>")',
        "class PetById(MethodView):",
        "    def get(self, pet_id):", // 16
        "        return {}",
      ),
      "pets/app.py": py(
        "from flask import Flask",
        "from flask_smorest import Api",
        "from pets.resources import blp",
        "app = Flask(__name__)",
        "api = Api(app)",
        'api.register_blueprint(blp, url_prefix="/v1/pets")',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /v1/pets pets.resources.Pets.get pets/resources.py:8 false",
      "POST /v1/pets pets.resources.Pets.post pets/resources.py:12 true",
      "GET /v1/pets/{pet_id} pets.resources.PetById.get pets/resources.py:16 false",
    ]);
    assert.equal(byKey(endpoints, "POST /v1/pets").authReason, "decorated with jwt_required");
    assert.deepEqual(appFiles, ["pets/app.py"]);
  });

  it("reads Flask-RESTX namespaces, their default path and add_namespace(path=)", async () => {
    const { endpoints } = await flask({
      "x/__init__.py": "",
      "x/ns.py": py(
        "from flask_restx import Namespace, Resource", // 1
        'cats = Namespace("cats")',
        'dogs = Namespace("dogs", path="/hounds")',
        '@cats.route("/<id>")',
        "class Cat(Resource):",
        "    def get(self, id):", // 6
        "        return {}",
        '@dogs.route("/")',
        "class Dogs(Resource):",
        "    def post(self):", // 10
        "        return {}",
      ),
      "x/app.py": py(
        "from flask import Flask",
        "from flask_restx import Api",
        "from x.ns import cats, dogs",
        "app = Flask(__name__)",
        'api = Api(app, prefix="/api")',
        "api.add_namespace(cats)",
        'api.add_namespace(dogs, path="/canines")',
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "POST /api/canines x.ns.Dogs.post x/ns.py:10 false",
      "GET /api/cats/{id} x.ns.Cat.get x/ns.py:6 false",
    ]);
  });
});

describe("Connexion", () => {
  const handlers = py(
    "from flask_login import login_required", // 1
    "def list_pets():", // 2
    "    return []",
    "def get_pet(pet_id):", // 4
    "    return {}",
    "def delete_pet(pet_id):", // 6
    "    return None",
    "@login_required",
    "def adopt(pet_id):", // 9
    "    return None",
  );

  it("reads an OpenAPI YAML spec beside the app: operationId to the project function, security per operation or global", async () => {
    const { endpoints, appFiles } = await flask({
      "petstore/__init__.py": "",
      "petstore/api/__init__.py": "",
      "petstore/api/pets.py": handlers,
      "petstore/app.py": py("import connexion", 'app = connexion.App(__name__, specification_dir="spec/")', 'app.add_api("openapi.yaml")'),
      "petstore/spec/openapi.yaml": [
        "openapi: 3.0.0",
        "servers:",
        "  - url: https://pets.example/api/v1",
        "security:",
        "  - bearerAuth: []",
        "components:",
        "  securitySchemes:",
        "    bearerAuth:",
        "      type: http",
        "      scheme: bearer",
        "      x-bearerInfoFunc: petstore.api.pets.decode",
        "    apiKey:",
        "      type: apiKey",
        "      name: X-Key",
        "      in: header",
        "paths:",
        "  /pets:",
        "    get:",
        "      operationId: petstore.api.pets.list_pets",
        "      security: []",
        "  /pets/{pet_id}:",
        "    x-openapi-router-controller: petstore.api.pets",
        "    get:",
        "      operationId: get_pet",
        "      security:",
        "        - {}",
        "        - bearerAuth: []",
        "    delete:",
        "      operationId: delete_pet",
        "  /pets/{pet_id}/adopt:",
        "    post:",
        "      operationId: petstore.api.missing",
        "      security:",
        "        - apiKey: []",
        "",
      ].join("\n"),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /api/v1/pets petstore.api.pets.list_pets petstore/api/pets.py:2 false",
      "DELETE /api/v1/pets/{pet_id} petstore.api.pets.delete_pet petstore/api/pets.py:6 true",
      "GET /api/v1/pets/{pet_id} petstore.api.pets.get_pet petstore/api/pets.py:4 null",
      "POST /api/v1/pets/{pet_id}/adopt petstore.api.missing petstore/spec/openapi.yaml:31 null",
    ]);
    assert.equal(byKey(endpoints, "DELETE /api/v1/pets/{pet_id}").authReason, "spec security requires bearerAuth");
    assert.match(byKey(endpoints, "POST /api/v1/pets/{pet_id}/adopt").authReason, /apiKey names no x-\*InfoFunc/);
    assert.deepEqual(appFiles, ["petstore/app.py"]);
  });

  it("reads a JSON Swagger 2 spec with basePath, add_api(base_path=) overriding it, and handler decorators when the spec is silent", async () => {
    const { endpoints } = await flask({
      "zoo/__init__.py": "",
      "zoo/pets.py": handlers,
      "zoo/main.py": py("from connexion import FlaskApp", "def create_app():", "    app = FlaskApp(__name__)", '    app.add_api("swagger.json", base_path="/zoo")', "    return app"),
      "zoo/swagger.json": JSON.stringify({
        swagger: "2.0",
        basePath: "/ignored",
        paths: { "/pets/{pet_id}/adopt": { post: { operationId: "zoo.pets.adopt" } }, "/pets": { get: { operationId: "zoo.pets.list_pets" } } },
      }),
    });
    assert.deepEqual(rows(endpoints), ["GET /zoo/pets zoo.pets.list_pets zoo/pets.py:2 false", "POST /zoo/pets/{pet_id}/adopt zoo.pets.adopt zoo/pets.py:9 true"]);
  });
});

describe("Flask auth", () => {
  const authApp = (...lines: string[]) => ({
    "acme/__init__.py": "",
    "acme/decorators.py": py(
      "from functools import wraps",
      "from flask_jwt_extended import verify_jwt_in_request",
      "def staff_only(fn):",
      "    @wraps(fn)",
      "    def wrapper(*args, **kwargs):",
      "        verify_jwt_in_request()",
      "        return fn(*args, **kwargs)",
      "    return wrapper",
      "def cached(fn):",
      "    return fn",
    ),
    "acme/app.py": py(
      "from flask import Flask", // 1
      "from flask_login import login_required",
      "from flask_jwt_extended import jwt_required",
      "from flask_httpauth import HTTPBasicAuth",
      "from flask_security import roles_required, permission_required",
      "from acme.decorators import cached, staff_only",
      "app = Flask(__name__)",
      "auth = HTTPBasicAuth()",
      ...lines, // from line 9
    ),
  });

  it("recognises the usual decorators and a project decorator that checks credentials", async () => {
    const { endpoints } = await flask(
      authApp(
        '@app.post("/a")',
        "@login_required",
        "def a(): ...",
        '@app.post("/b")',
        "@jwt_required()",
        "def b(): ...",
        '@app.post("/c")',
        "@auth.login_required",
        "def c(): ...",
        '@app.post("/d")',
        '@roles_required("admin")',
        "def d(): ...",
        '@app.post("/e")',
        '@permission_required("write")',
        "def e(): ...",
        '@app.post("/f")',
        "@staff_only",
        "def f(): ...",
        '@app.post("/g")',
        "@cached",
        "def g(): ...",
        '@app.get("/h")',
        "@jwt_required(optional=True)",
        "def h(): ...",
      ),
    );
    assert.deepEqual(
      endpoints.map((e) => `${e.path} ${e.auth} ${e.authReason}`),
      [
        "/a true decorated with login_required",
        "/b true decorated with jwt_required",
        "/c true decorated with auth.login_required",
        "/d true decorated with roles_required",
        "/e true decorated with permission_required",
        "/f true decorated with staff_only, which checks credentials (calls verify_jwt_in_request)",
        "/g false no authentication decorator",
        "/h null authentication is optional (jwt_required(optional=True) lets anonymous requests through)",
      ],
    );
  });

  it("does not count an auth decorator written above the route decorator: Flask registered the bare view", async () => {
    const { endpoints } = await flask(authApp("@login_required", '@app.post("/late")', "def late(): ..."));
    assert.equal(endpoints[0]?.auth, false);
    assert.match(endpoints[0]?.authReason ?? "", /login_required sits above the route decorator/);
  });

  it("leaves auth undecided under a before_request hook that reads credentials, unless the route has its own decorator", async () => {
    const { endpoints } = await flask(
      authApp(
        "from flask import request, abort",
        "@app.before_request",
        "def require_token():", // 11
        '    if not request.headers.get("Authorization"):',
        "        abort(401)",
        '@app.post("/orders")',
        "def create_order(): ...",
        '@app.post("/admin")',
        "@login_required",
        "def admin(): ...",
      ),
    );
    assert.equal(byKey(endpoints, "POST /orders").auth, null);
    assert.equal(byKey(endpoints, "POST /orders").authReason, "no authentication decorator, but before_request hook require_token (acme/app.py:11) may authenticate");
    assert.equal(byKey(endpoints, "POST /admin").auth, true);
  });

  it("scopes a blueprint's before_request hook to that blueprint, and ignores hooks that only read the user", async () => {
    const { endpoints } = await flask({
      "b/__init__.py": "",
      "b/app.py": py(
        "from flask import Blueprint, Flask, g",
        "from flask_login import current_user",
        "import time",
        "app = Flask(__name__)",
        'private = Blueprint("private", __name__, url_prefix="/private")',
        'public = Blueprint("public", __name__)',
        "@private.before_request",
        "def gate():",
        "    if not current_user.is_authenticated:",
        "        return redirect('/login')",
        "@app.before_request",
        "def timer():",
        "    g.start = time.time()",
        "    if current_user.is_authenticated:",
        "        current_user.touch()",
        '@private.post("/notes")',
        "def add_note(): ...",
        '@public.post("/feedback")',
        "def feedback(): ...",
        "app.register_blueprint(private)",
        "app.register_blueprint(public)",
      ),
    });
    assert.deepEqual(
      endpoints.map((e) => `${e.path} ${e.auth}`),
      ["/feedback false", "/private/notes null"],
    );
  });
});

describe("Flask near-misses", () => {
  it("takes no endpoint from route on a non-Flask object, errorhandler, before_request, cli commands or test files", async () => {
    const { endpoints, appFiles } = await flask({
      "m/__init__.py": "",
      "m/app.py": py(
        "from flask import Flask",
        "from m.router import Router",
        "app = Flask(__name__)",
        "router = Router()",
        '@router.route("/not-flask")',
        "def not_flask(): ...",
        "@app.errorhandler(404)",
        "def not_found(e): ...",
        "@app.before_request",
        "def before(): ...",
        '@app.cli.command("seed")',
        "def seed(): ...",
        '@app.template_filter("money")',
        "def money(v): ...",
        "class Form:",
        "    def get(self): ...",
      ),
      "m/router.py": py("class Router:", "    def route(self, path):", "        return lambda f: f"),
      "tests/test_app.py": py("from flask import Flask", "app = Flask(__name__)", '@app.route("/test-only")', "def t(): ..."),
    });
    assert.deepEqual(endpoints, []);
    assert.deepEqual(appFiles, ["m/app.py"]);
  });

  it("returns nothing for a project without Flask", async () => {
    const { endpoints, appFiles } = await flask({
      "svc/main.py": py("from fastapi import FastAPI", "app = FastAPI()", '@app.get("/")', "def root(): ..."),
    });
    assert.deepEqual({ endpoints, appFiles }, { endpoints: [], appFiles: [] });
  });
});

describe("Flask on real-world shapes", () => {
  it("reads the flask-restplus boilerplate: namespaces as class attributes, Api on a blueprint, the app from create_app() in manage.py", async () => {
    const { endpoints, appFiles } = await flask({
      "app/__init__.py": py(
        "from flask_restplus import Api",
        "from flask import Blueprint",
        "from .main.controller.user_controller import api as user_ns",
        "blueprint = Blueprint('api', __name__)",
        "api = Api(blueprint, title='API')",
        "api.add_namespace(user_ns, path='/user')",
      ),
      "app/main/__init__.py": py("from flask import Flask", "def create_app(config_name):", "    app = Flask(__name__)", "    return app"),
      "app/main/util/__init__.py": "",
      "app/main/util/dto.py": py("from flask_restplus import Namespace", "class UserDto:", "    api = Namespace('user', description='users')"),
      "app/main/controller/__init__.py": "",
      "app/main/controller/user_controller.py": py(
        "from flask_restplus import Resource", // 1
        "from ..util.dto import UserDto",
        "api = UserDto.api",
        "@api.route('/<public_id>')",
        "class User(Resource):",
        "    def get(self, public_id):", // 6
        "        return {}",
      ),
      "manage.py": py("from app import blueprint", "from app.main import create_app", "app = create_app('dev')", "app.register_blueprint(blueprint)"),
    });
    assert.deepEqual(rows(endpoints), ["GET /user/{public_id} app.main.controller.user_controller.User.get app/main/controller/user_controller.py:6 false"]);
    assert.deepEqual(appFiles, ["app/main/__init__.py"]);
  });

  it("reads the microblog layout: blueprints imported inside the factory, stacked routes, a before_app_request hook that only touches the user", async () => {
    const { endpoints } = await flask({
      "app/__init__.py": py(
        "from flask import Flask",
        "def create_app():",
        "    app = Flask(__name__)",
        "    from app.main import bp as main_bp",
        "    app.register_blueprint(main_bp)",
        "    from app.auth import bp as auth_bp",
        "    app.register_blueprint(auth_bp, url_prefix='/auth')",
        "    return app",
      ),
      "app/main/__init__.py": py("from flask import Blueprint", "bp = Blueprint('main', __name__)", "from app.main import routes"),
      "app/main/routes.py": py(
        "from flask import g", // 1
        "from flask_login import current_user, login_required",
        "from app import db",
        "from app.main import bp",
        "@bp.before_app_request",
        "def before_request():",
        "    if current_user.is_authenticated:",
        "        db.session.commit()",
        "@bp.route('/', methods=['GET', 'POST'])",
        "@bp.route('/index', methods=['GET', 'POST'])",
        "@login_required",
        "def index():", // 12
        "    return ''",
        "@bp.route('/explore')",
        "def explore():", // 15
        "    return ''",
      ),
      "app/auth/__init__.py": py("from flask import Blueprint", "bp = Blueprint('auth', __name__)", "from app.auth import routes"),
      "app/auth/routes.py": py("from app.auth import bp", "@bp.route('/login', methods=['GET', 'POST'])", "def login():", "    return ''"),
    });
    assert.deepEqual(rows(endpoints), [
      "GET / app.main.routes.index app/main/routes.py:12 true",
      "POST / app.main.routes.index app/main/routes.py:12 true",
      "GET /auth/login app.auth.routes.login app/auth/routes.py:3 false",
      "POST /auth/login app.auth.routes.login app/auth/routes.py:3 false",
      "GET /explore app.main.routes.explore app/main/routes.py:15 false",
      "GET /index app.main.routes.index app/main/routes.py:12 true",
      "POST /index app.main.routes.index app/main/routes.py:12 true",
    ]);
  });

  it("handles a Flask subclass, before_request(f) from another module, a blueprint registered twice, routes on an app parameter and a second app's own blueprint", async () => {
    const { endpoints } = await flask({
      "k/__init__.py": "",
      "k/auth.py": py(
        "from flask import request, abort",
        "def check_auth():", // 2
        '    if request.headers.get("X-Api-Key") != "s3cret":',
        "        abort(401)",
      ),
      "k/app.py": py(
        "from flask import Blueprint, Flask", // 1
        "from k.auth import check_auth",
        'METHODS = ["GET", "PATCH"]',
        "class MyFlask(Flask):",
        "    pass",
        "app = MyFlask(__name__)",
        "app.before_request(check_auth)",
        'shared = Blueprint("shared", __name__, url_prefix="/s")',
        '@shared.route("/thing", methods=METHODS)',
        "def thing(): ...", // 10
        "app.register_blueprint(shared)",
        'app.register_blueprint(shared, url_prefix="/again", name="again")',
        "def init_routes(app):",
        '    @app.route("/ping")',
        "    def ping(): ...", // 15
        "def make_admin():",
        '    admin = Flask("admin")',
        '    bp = Blueprint("local", __name__, url_prefix="/local")',
        '    @bp.post("/x")',
        "    def lx(): ...", // 20
        "    admin.register_blueprint(bp)",
        "    return admin",
      ),
    });
    assert.deepEqual(rows(endpoints), [
      "GET /again/thing k.app.thing k/app.py:10 null",
      "PATCH /again/thing k.app.thing k/app.py:10 null",
      "POST /local/x k.app.make_admin.lx k/app.py:20 false",
      "GET /ping k.app.init_routes.ping k/app.py:15 null",
      "GET /s/thing k.app.thing k/app.py:10 null",
      "PATCH /s/thing k.app.thing k/app.py:10 null",
    ]);
    assert.equal(byKey(endpoints, "GET /s/thing").authReason, "no authentication decorator, but before_request hook check_auth (k/auth.py:2) may authenticate");
  });

  it("skips Connexion operations without operationId and specs it cannot find", async () => {
    const { endpoints } = await flask({
      "c/__init__.py": "",
      "c/api.py": py("def ping(): ..."),
      "c/app.py": py("import connexion", "app = connexion.App(__name__)", 'app.add_api("openapi.yaml")', 'app.add_api("missing.yaml")'),
      "c/openapi.yaml": ["openapi: 3.0.0", "paths:", "  /ping:", "    get:", "      operationId: c.api.ping", "  /anon:", "    get:", "      responses: {}", ""].join("\n"),
    });
    assert.deepEqual(rows(endpoints), ["GET /ping c.api.ping c/api.py:1 false"]);
  });
});

/** `METHOD path | pagination | requestSchema | responseSchema | rateLimit`, absent ones as `-`. */
function detailRows(endpoints: Endpoint[]): string[] {
  return endpoints.map((e) => [`${e.method} ${e.path}`, e.pagination ?? "-", e.requestSchema ?? "-", e.responseSchema ?? "-", e.rateLimit ?? "-"].join(" | "));
}

describe("Flask endpoint details: schemas and pagination", () => {
  it("reads flask-smorest arguments/response/paginate, Flask-RESTX expect/marshal_with, webargs and request.args page arguments", async () => {
    const { endpoints } = await flask({
      "shop/__init__.py": "",
      "shop/schemas.py": py("from marshmallow import Schema", "class PetQuery(Schema): ...", "class PetSchema(Schema): ..."),
      "shop/pets.py": py(
        "from flask.views import MethodView",
        "from flask_smorest import Blueprint",
        "from shop.schemas import PetQuery, PetSchema",
        'blp = Blueprint("pets", __name__, url_prefix="/pets")',
        '@blp.route("/")',
        "class Pets(MethodView):",
        '    @blp.arguments(PetQuery, location="query")',
        "    @blp.response(200, PetSchema(many=True))",
        "    @blp.paginate()",
        "    def get(self, args, pagination_parameters): ...",
        "    @blp.arguments(PetSchema)",
        "    @blp.response(201, PetSchema)",
        "    def post(self, data): ...",
        '@blp.route("/<int:pet_id>")',
        "class PetById(MethodView):",
        "    @blp.response(204)",
        "    def delete(self, pet_id): ...",
      ),
      "shop/app.py": py(
        "from flask import Flask, request",
        "from flask_restx import Api, Namespace, Resource, fields",
        "from webargs import fields as wf",
        "from webargs.flaskparser import use_args, use_kwargs",
        "from shop.pets import blp",
        "from shop.schemas import PetSchema",
        "app = Flask(__name__)",
        "app.register_blueprint(blp)",
        'api = Api(app, prefix="/x")',
        'ns = Namespace("todos")',
        "api.add_namespace(ns)",
        'todo = ns.model("Todo", {"task": fields.String})',
        '@ns.route("/")',
        "class Todos(Resource):",
        "    @ns.marshal_list_with(todo)",
        "    def get(self): ...",
        "    @ns.expect(todo)",
        "    @ns.marshal_with(todo, code=201)",
        "    def post(self): ...",
        '@app.get("/search")',
        '@use_args(PetSchema, location="query")',
        "def search(args): ...",
        '@app.get("/feed")',
        '@use_kwargs({"page": wf.Int(), "per_page": wf.Int()}, location="query")',
        "def feed(page, per_page): ...",
        "def page_number():",
        '    return request.args.get("page", 1, type=int)',
        '@app.get("/items")',
        "def items():",
        "    page = page_number()",
        '    size = request.args.get("per_page", 20, type=int)',
        "    return []",
        '@app.get("/plain")',
        "def plain():",
        '    return request.args.get("q")',
      ),
    });
    assert.deepEqual(detailRows(endpoints), [
      "GET /feed | page/per_page webargs arguments | {page, per_page} (query) | - | -",
      "GET /items | page/per_page query arguments | - | - | -",
      "GET /pets | flask-smorest paginate (page/page_size query arguments) | PetQuery (query) | PetSchema(many=True) | -",
      "POST /pets | - | PetSchema | PetSchema | -",
      "DELETE /pets/{pet_id} | - | - | - | -",
      "GET /plain | - | - | - | -",
      "GET /search | - | PetSchema (query) | - | -",
      "GET /x/todos | - | - | list[todo] | -",
      "POST /x/todos | - | todo | todo | -",
    ]);
  });
});

describe("Flask endpoint details: APIFlask and Flask-RESTful", () => {
  it("reads APIFlask input/output and Flask-RESTful marshal_with", async () => {
    const { endpoints } = await flask({
      "af/__init__.py": "",
      "af/app.py": py(
        "from apiflask import APIFlask, Schema",
        "from flask_restful import Api, Resource, fields, marshal_with",
        "class PetIn(Schema): ...",
        "class PetOut(Schema): ...",
        "app = APIFlask(__name__)",
        "api = Api(app)",
        '@app.post("/pets")',
        "@app.input(PetIn)",
        "@app.output(PetOut, status_code=201)",
        "def create_pet(json_data): ...",
        "class Todo(Resource):",
        '    @marshal_with({"task": fields.String})',
        "    def get(self): ...",
        'api.add_resource(Todo, "/todo")',
      ),
    });
    assert.deepEqual(detailRows(endpoints), ["POST /pets | - | PetIn | PetOut | -", 'GET /todo | - | - | {"task": fields.String} | -']);
  });
});

describe("Flask endpoint details: Flask-Limiter", () => {
  it("takes @limiter.limit, the default limits of a limiter attached with init_app, and @limiter.exempt / limiter.exempt(bp)", async () => {
    const { endpoints } = await flask({
      "lim/__init__.py": "",
      "lim/ext.py": py(
        "from flask_limiter import Limiter",
        "from flask_limiter.util import get_remote_address",
        'limiter = Limiter(get_remote_address, default_limits=["200 per day", "50 per hour"])',
      ),
      "lim/app.py": py(
        "from flask import Blueprint, Flask",
        "from lim.ext import limiter",
        'bp = Blueprint("internal", __name__, url_prefix="/internal")',
        '@bp.get("/metrics")',
        "def metrics(): ...",
        "def create_app():",
        "    app = Flask(__name__)",
        "    limiter.init_app(app)",
        "    limiter.exempt(bp)",
        "    app.register_blueprint(bp)",
        '    @app.post("/login")',
        '    @limiter.limit("5/minute")',
        "    def login(): ...",
        '    @app.get("/health")',
        "    @limiter.exempt",
        "    def health(): ...",
        '    @app.get("/")',
        "    def index(): ...",
        "    return app",
      ),
    });
    assert.deepEqual(detailRows(endpoints), [
      "GET / | - | - | - | default: 200 per day, 50 per hour (Limiter at lim/ext.py:3)",
      "GET /health | - | - | - | -",
      "GET /internal/metrics | - | - | - | -",
      'POST /login | - | - | - | limiter.limit("5/minute")',
    ]);
  });

  it("ignores default limits of a limiter attached to no app, and limit decorators of other objects", async () => {
    const { endpoints } = await flask({
      "lim/__init__.py": "",
      "lim/throttle.py": py("class Throttle:", "    def limit(self, rate):", "        return lambda f: f"),
      "lim/app.py": py(
        "from flask import Flask",
        "from flask_limiter import Limiter",
        "from lim.throttle import Throttle",
        "app = Flask(__name__)",
        'limiter = Limiter(key_func=lambda: "x", default_limits=["1 per second"])',
        "throttle = Throttle()",
        '@app.get("/")',
        '@throttle.limit("5/minute")',
        "def index(): ...",
      ),
    });
    assert.deepEqual(detailRows(endpoints), ["GET / | - | - | - | -"]);
  });
});
