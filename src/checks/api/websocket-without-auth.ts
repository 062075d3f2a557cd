import { fileRole, runsInProduction } from "../../core/file-roles.js";
import type { WebSocketEndpoint } from "../../model/types.js";
import { defineCheck } from "../define.js";
import type { Report } from "../types.js";

const LABEL: Record<WebSocketEndpoint["framework"], string> = { fastapi: "FastAPI", starlette: "Starlette", channels: "Django Channels", socketio: "Socket.IO" };

export default defineCheck({
  id: "API012",
  area: "api",
  title: "WebSocket endpoint without authentication",
  severity: "medium",
  kind: "concern",
  confidence: "medium",
  why: "A WebSocket stays open and streams data both ways; one that accepts every connection lets anyone who can reach the server read the events it pushes or send messages as if they were a user. Browsers also send cookies on cross-site WebSocket handshakes without a CORS check, so a socket that trusts the session without checking the origin can be hijacked from another site.",
  recommendation: "Authenticate the handshake before accepting: a FastAPI dependency that validates a token (query parameter, `Sec-WebSocket-Protocol` or cookie) and closes with 1008 otherwise; in Django Channels wrap the router in `AuthMiddlewareStack` (and `AllowedHostsOriginValidator`) and close in `connect()` when `self.scope[\"user\"]` is anonymous; in Flask-SocketIO refuse in the `connect` handler (`raise ConnectionRefusedError` unless `current_user.is_authenticated`).",
  example: {
    bad: '@router.websocket("/ws/orders")\nasync def orders(websocket: WebSocket):\n    await websocket.accept()\n    ...',
    good: '@router.websocket("/ws/orders")\nasync def orders(websocket: WebSocket, user: User = Depends(user_from_ws_token)):\n    await websocket.accept()\n    ...',
  },
  references: [
    "https://fastapi.tiangolo.com/advanced/websockets/#using-depends-and-others",
    "https://channels.readthedocs.io/en/stable/topics/authentication.html",
    "https://flask-socketio.readthedocs.io/en/latest/implementation_notes.html#authentication",
    "https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html",
    "https://cwe.mitre.org/data/definitions/306.html",
  ],
  effort: "S",
  libraries: ["fastapi", "channels", "flask-socketio"],
  cwe: "CWE-306",
  owasp: "API2:2023",
  run({ model }) {
    const reports: Report[] = [];
    const open = model.websockets.filter((w) => w.auth === false && runsInProduction(fileRole(w.file)));
    // Socket.IO handlers share one connection per namespace: one finding per namespace, at its first handler
    const namespaces = new Map<string, WebSocketEndpoint[]>();
    for (const w of open) {
      if (w.framework !== "socketio") {
        reports.push({
          message: `${LABEL[w.framework]} WebSocket ${w.path} (${w.handler.slice(w.handler.lastIndexOf(".") + 1)}) accepts connections without authentication: ${w.authReason}.`,
          evidence: [{ file: w.file, line: w.line, snippet: `websocket ${w.path} → ${w.handler}` }],
        });
        continue;
      }
      const key = `${w.file} ${w.namespace ?? "/"}`;
      namespaces.set(key, [...(namespaces.get(key) ?? []), w]);
    }
    for (const handlers of namespaces.values()) {
      const first = handlers[0] as WebSocketEndpoint;
      const events = handlers.map((h) => `\`${h.path}\``).join(", ");
      reports.push({
        message: `Socket.IO namespace ${first.namespace ?? "/"} handles ${events} without authentication: ${first.authReason}.`,
        evidence: handlers.slice(0, 5).map((h) => ({ file: h.file, line: h.line, snippet: `socketio.on(${JSON.stringify(h.path)}) → ${h.handler}` })),
      });
    }
    return reports;
  },
});
