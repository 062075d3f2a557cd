import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { project, py } from "../helpers/project.js";

const byPath = <T extends { path: string }>(list: T[], path: string): T | undefined => list.find((e) => e.path === path);

describe("WebSocket endpoints in the model", () => {
  it("reads FastAPI websocket routes with router prefixes and dependency auth", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/deps.py": py(
        "import jwt",
        "from fastapi import Query, WebSocket, WebSocketException, status",
        "",
        "async def ws_user(websocket: WebSocket, token: str = Query(...)):",
        "    try:",
        '        return jwt.decode(token, "k", algorithms=["HS256"])',
        "    except jwt.PyJWTError:",
        "        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)",
      ),
      "app/ws.py": py(
        "from fastapi import APIRouter, Depends, WebSocket",
        "from app.deps import ws_user",
        "",
        'router = APIRouter(prefix="/ws")',
        "",
        '@router.websocket("/private")',
        "async def private(websocket: WebSocket, user=Depends(ws_user)):",
        "    await websocket.accept()",
        "",
        '@router.websocket("/public/{room}")',
        "async def public(websocket: WebSocket, room: str):",
        "    await websocket.accept()",
        "    while True:",
        "        await websocket.send_text(await websocket.receive_text())",
        "",
        '@router.websocket("/cookie")',
        "async def cookie(websocket: WebSocket):",
        '    session = websocket.cookies.get("session")',
        "    if not session or not valid(session):",
        "        await websocket.close(code=1008)",
        "        return",
        "    await websocket.accept()",
      ),
      "app/main.py": py("from fastapi import FastAPI", "from app import ws", "", "app = FastAPI()", 'app.include_router(ws.router, prefix="/api")'),
    });
    const ws = p.model.websockets;
    assert.equal(ws.length, 3);
    const priv = byPath(ws, "/api/ws/private");
    assert.equal(priv?.auth, true, priv?.authReason);
    assert.equal(priv?.framework, "fastapi");
    assert.equal(priv?.line, 7);
    const pub = byPath(ws, "/api/ws/public/{room}");
    assert.equal(pub?.auth, false);
    assert.equal(pub?.file, "app/ws.py");
    assert.equal(byPath(ws, "/api/ws/cookie")?.auth, true);
  });

  it("reads add_websocket_route and Starlette WebSocketRoute under Mount", async () => {
    const p = await project({
      "srv.py": py(
        "from starlette.applications import Starlette",
        "from starlette.authentication import requires",
        "from starlette.endpoints import WebSocketEndpoint",
        "from starlette.routing import Mount, WebSocketRoute",
        "",
        "async def feed(websocket):",
        "    await websocket.accept()",
        "",
        '@requires("authenticated")',
        "async def admin(websocket):",
        "    await websocket.accept()",
        "",
        "class Echo(WebSocketEndpoint):",
        "    async def on_receive(self, websocket, data):",
        "        await websocket.send_text(data)",
        "",
        "routes = [",
        '    Mount("/live", routes=[WebSocketRoute("/feed", feed), WebSocketRoute("/admin", admin)]),',
        '    WebSocketRoute("/echo", Echo),',
        "]",
        "app = Starlette(routes=routes)",
        'app.add_websocket_route("/raw", feed)',
      ),
    });
    const ws = p.model.websockets;
    assert.equal(byPath(ws, "/live/feed")?.auth, false);
    assert.equal(byPath(ws, "/live/admin")?.auth, true);
    assert.equal(byPath(ws, "/echo")?.auth, false);
    assert.equal(byPath(ws, "/echo")?.handler, "srv.Echo");
    assert.equal(byPath(ws, "/raw")?.line, 22);
  });

  it("reads Channels consumers behind AuthMiddlewareStack and decides by the consumer's connect", async () => {
    const p = await project({
      "manage.py": "",
      "chat/__init__.py": "",
      "chat/consumers.py": py(
        "from channels.generic.websocket import AsyncWebsocketConsumer, WebsocketConsumer",
        "",
        "class RoomConsumer(AsyncWebsocketConsumer):",
        "    async def connect(self):",
        '        if not self.scope["user"].is_authenticated:',
        "            await self.close()",
        "            return",
        "        await self.accept()",
        "",
        "class TickerConsumer(WebsocketConsumer):",
        "    def connect(self):",
        "        self.accept()",
      ),
      "chat/routing.py": py(
        "from django.urls import path, re_path",
        "from chat import consumers",
        "",
        "websocket_urlpatterns = [",
        '    path("ws/room/<name>/", consumers.RoomConsumer.as_asgi()),',
        '    re_path(r"^ws/ticker/$", consumers.TickerConsumer.as_asgi()),',
        "]",
      ),
      "proj/__init__.py": "",
      "proj/asgi.py": py(
        "from channels.auth import AuthMiddlewareStack",
        "from channels.routing import ProtocolTypeRouter, URLRouter",
        "from channels.security.websocket import AllowedHostsOriginValidator",
        "from chat.routing import websocket_urlpatterns",
        "",
        "application = ProtocolTypeRouter({",
        '    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),',
        "})",
      ),
    });
    const ws = p.model.websockets;
    const room = byPath(ws, "/ws/room/<name>");
    assert.equal(room?.auth, true, room?.authReason);
    assert.equal(room?.framework, "channels");
    const ticker = byPath(ws, "/ws/ticker");
    assert.equal(ticker?.auth, false);
    assert.equal(ticker?.line, 6);
    assert.match(ticker?.authReason ?? "", /AuthMiddlewareStack/);
  });

  it("leaves a Channels consumer behind a custom token middleware undecided", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/consumers.py": py("from channels.generic.websocket import JsonWebsocketConsumer", "", "class Feed(JsonWebsocketConsumer):", "    def connect(self):", "        self.accept()"),
      "app/asgi.py": py(
        "from channels.routing import URLRouter",
        "from django.urls import path",
        "from app.consumers import Feed",
        "from app.middleware import TokenAuthMiddleware",
        "",
        'patterns = [path("ws/feed/", Feed.as_asgi())]',
        "application = TokenAuthMiddleware(URLRouter(patterns))",
      ),
    });
    assert.equal(p.model.websockets[0]?.auth, null);
  });

  it("reads Flask-SocketIO handlers; a connect handler that refuses anonymous clients covers its namespace", async () => {
    const p = await project({
      "app.py": py(
        "from flask import Flask",
        "from flask_login import current_user",
        "from flask_socketio import SocketIO, emit",
        "",
        "app = Flask(__name__)",
        "socketio = SocketIO(app)",
        "",
        '@socketio.on("connect", namespace="/private")',
        "def private_connect():",
        "    if not current_user.is_authenticated:",
        '        raise ConnectionRefusedError("unauthorized")',
        "",
        '@socketio.on("message", namespace="/private")',
        "def private_message(data):",
        '    emit("reply", data)',
        "",
        '@socketio.on("message")',
        "def public_message(data):",
        '    emit("reply", data)',
      ),
    });
    const ws = p.model.websockets;
    const priv = ws.find((e) => e.path === "message" && e.namespace === "/private");
    assert.equal(priv?.auth, true, priv?.authReason);
    const pub = ws.find((e) => e.path === "message" && e.namespace === undefined);
    assert.equal(pub?.auth, false);
    assert.equal(pub?.line, 18);
    assert.equal(pub?.framework, "socketio");
  });

  it("does not take HTTP routes or non-socket decorators named websocket for sockets", async () => {
    const p = await project({
      "app.py": py(
        "from fastapi import FastAPI",
        "",
        "app = FastAPI()",
        "",
        '@app.get("/websocket-info")',
        "def info():",
        "    return {}",
        "",
        "class Hub:",
        "    def websocket(self, path):",
        "        return lambda f: f",
        "",
        "hub = Hub()",
        "",
        '@hub.websocket("/x")',
        "def handler(data):",
        "    return data",
      ),
    });
    assert.deepEqual(p.model.websockets, []);
  });
});
