import assert from "node:assert/strict";
import { describe, it } from "node:test";
import websocketWithoutAuth from "../../src/checks/api/websocket-without-auth.js";
import { locations, project, py } from "../helpers/project.js";

describe("API012 WebSocket endpoint without authentication", () => {
  it("fires per unauthenticated FastAPI websocket, at its handler, and not on the authenticated one", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/main.py": py(
        "import jwt",
        "from fastapi import FastAPI, WebSocket, status",
        "",
        "app = FastAPI()",
        "",
        '@app.websocket("/ws/feed")',
        "async def feed(websocket: WebSocket):",
        "    await websocket.accept()",
        "",
        '@app.websocket("/ws/private")',
        "async def private(websocket: WebSocket, token: str):",
        "    try:",
        '        jwt.decode(token, "k", algorithms=["HS256"])',
        "    except jwt.PyJWTError:",
        "        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)",
        "        return",
        "    await websocket.accept()",
      ),
    });
    const findings = p.run(websocketWithoutAuth);
    assert.deepEqual(locations(findings), [["API012", "app/main.py", 7]]);
    assert.equal(findings[0]?.severity, "medium");
    assert.match(findings[0]?.message ?? "", /\/ws\/feed/);
  });

  it("fires on a Channels consumer that never checks scope user, behind AuthMiddlewareStack", async () => {
    const p = await project({
      "manage.py": "",
      "live/__init__.py": "",
      "live/consumers.py": py("from channels.generic.websocket import AsyncJsonWebsocketConsumer", "", "class Prices(AsyncJsonWebsocketConsumer):", "    async def connect(self):", "        await self.accept()"),
      "live/routing.py": py(
        "from channels.auth import AuthMiddlewareStack",
        "from channels.routing import ProtocolTypeRouter, URLRouter",
        "from django.urls import path",
        "from live.consumers import Prices",
        "",
        'ws = [path("ws/prices/", Prices.as_asgi())]',
        'application = ProtocolTypeRouter({"websocket": AuthMiddlewareStack(URLRouter(ws))})',
      ),
    });
    assert.deepEqual(locations(p.run(websocketWithoutAuth)), [["API012", "live/routing.py", 6]]);
  });

  it("groups Socket.IO handlers of one namespace into one finding", async () => {
    const p = await project({
      "chat.py": py(
        "from flask import Flask",
        "from flask_socketio import SocketIO, emit",
        "",
        "app = Flask(__name__)",
        "socketio = SocketIO(app)",
        "",
        '@socketio.on("join")',
        "def join(data):",
        '    emit("joined", data)',
        "",
        '@socketio.on("say")',
        "def say(data):",
        '    emit("said", data, broadcast=True)',
      ),
    });
    const findings = p.run(websocketWithoutAuth);
    assert.deepEqual(locations(findings), [["API012", "chat.py", 8]]);
    assert.equal(findings[0]?.evidence.length, 2);
  });

  it("stays quiet when a consumer rejects anonymous users, a SocketIO connect handler refuses, or a helper authenticates", async () => {
    const p = await project({
      "manage.py": "",
      "live/__init__.py": "",
      "live/consumers.py": py(
        "from channels.exceptions import DenyConnection",
        "from channels.generic.websocket import WebsocketConsumer",
        "",
        "class Orders(WebsocketConsumer):",
        "    def connect(self):",
        '        if self.scope["user"].is_anonymous:',
        "            raise DenyConnection()",
        "        self.accept()",
      ),
      "live/routing.py": py("from django.urls import path", "from live.consumers import Orders", "", 'websocket_urlpatterns = [path("ws/orders/", Orders.as_asgi())]'),
      "chat.py": py(
        "from flask import Flask",
        "from flask_login import current_user",
        "from flask_socketio import SocketIO, disconnect, emit",
        "",
        "app = Flask(__name__)",
        "socketio = SocketIO(app)",
        "",
        '@socketio.on("connect")',
        "def on_connect():",
        "    if not current_user.is_authenticated:",
        "        disconnect()",
        "",
        '@socketio.on("say")',
        "def say(data):",
        '    emit("said", data)',
      ),
      "app/__init__.py": "",
      "app/ws.py": py(
        "from fastapi import APIRouter, WebSocket",
        "from app.security import authenticate_socket",
        "",
        "router = APIRouter()",
        "",
        '@router.websocket("/ws")',
        "async def stream(websocket: WebSocket):",
        "    user = await authenticate_socket(websocket)",
        "    await websocket.accept()",
      ),
      "app/security.py": py(
        "async def authenticate_socket(websocket):",
        '    token = websocket.query_params.get("token")',
        "    if not token or not valid_token(token):",
        "        await websocket.close(code=1008)",
        "        return None",
        "    return token",
      ),
    });
    assert.deepEqual(p.run(websocketWithoutAuth), []);
  });

  it("stays quiet behind an undecided JWT middleware and in test code", async () => {
    const p = await project({
      "app/__init__.py": "",
      "app/consumers.py": py("from channels.generic.websocket import JsonWebsocketConsumer", "", "class Feed(JsonWebsocketConsumer):", "    def connect(self):", "        self.accept()"),
      "app/asgi.py": py(
        "from channels.routing import URLRouter",
        "from django.urls import path",
        "from app.consumers import Feed",
        "from app.middleware import JWTAuthMiddleware",
        "",
        'patterns = [path("ws/feed/", Feed.as_asgi())]',
        "application = JWTAuthMiddleware(URLRouter(patterns))",
      ),
      "tests/test_ws.py": py("from fastapi import FastAPI, WebSocket", "app = FastAPI()", '@app.websocket("/ws")', "async def ws(websocket: WebSocket):", "    await websocket.accept()"),
    });
    assert.deepEqual(p.run(websocketWithoutAuth), []);
  });
});
