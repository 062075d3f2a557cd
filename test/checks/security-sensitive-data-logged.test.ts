import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sensitiveDataLogged from "../../src/checks/security/sensitive-data-logged.js";
import { locations, project, py } from "../helpers/project.js";

const AUTH = py(
  "import logging", // 1
  "import structlog", // 2
  "from loguru import logger as loguru_logger", // 3
  "from fastapi import APIRouter, Request", // 4
  "logger = logging.getLogger(__name__)", // 5
  "log = structlog.get_logger()", // 6
  "router = APIRouter()", // 7
  "", // 8
  "@router.post('/login')", // 9
  "async def login(request: Request, username: str, password: str):", // 10
  "    logger.info(f'login attempt for {username} with {password}')", // 11
  "    logger.debug('issued %s for %s', access_token, username)", // 12
  "    log.info('login', user=username, api_key=user.api_key)", // 13
  "    loguru_logger.info('card {}', payment.card_number)", // 14
  "    logger.warning('bad header', extra={'auth': request.headers['Authorization']})", // 15
  "    print(settings.SECRET_KEY)", // 16
  "    logging.error('refresh failed: %r', refresh_token)", // 17
  "    return {}", // 18
);

describe("SEC024 sensitive data logged", () => {
  it("fires on passwords, tokens, API keys, card numbers, the Authorization header and secrets in log and print calls", async () => {
    const p = await project({ "app/api/auth.py": AUTH });
    const found = p.run(sensitiveDataLogged);
    assert.deepEqual(locations(found), [
      ["SEC024", "app/api/auth.py", 11],
      ["SEC024", "app/api/auth.py", 12],
      ["SEC024", "app/api/auth.py", 13],
      ["SEC024", "app/api/auth.py", 14],
      ["SEC024", "app/api/auth.py", 15],
      ["SEC024", "app/api/auth.py", 16],
      ["SEC024", "app/api/auth.py", 17],
    ]);
    assert.ok(found.every((f) => f.severity === "medium"));
    assert.match(found[0]?.message ?? "", /^`logger\.info\(\)` in login writes `password` in the f-string to the log/);
    assert.match(found[2]?.message ?? "", /`user\.api_key` as the field api_key=/);
  });

  it("is high when the context declares compliance, and says it was raised", async () => {
    const p = await project({ "app/api/auth.py": AUTH }, { context: { compliance: ["PCI-DSS"] } });
    const found = p.run(sensitiveDataLogged);
    assert.equal(found.length, 7);
    assert.ok(found.every((f) => f.severity === "high"));
    assert.match(found[3]?.message ?? "", /raised from medium: compliance declared: PCI-DSS/);
  });

  it("fires in Django and Flask views through self.logger and module loggers", async () => {
    const p = await project({
      "accounts/views.py": py(
        "import logging", // 1
        "from django.views import View", // 2
        "", // 3
        "class ResetView(View):", // 4
        "    logger = logging.getLogger('accounts')", // 5
        "    def post(self, request):", // 6
        "        reset_token = make_token(request.user)", // 7
        "        self.logger.info('reset link token=%s', reset_token)", // 8
        "        return None", // 9
      ),
      "shop/app.py": py(
        "from flask import Flask, request", // 1
        "app = Flask(__name__)", // 2
        "@app.post('/pay')", // 3
        "def pay():", // 4
        "    app.logger.info('charging card %s cvv %s', request.form['number'], cvv)", // 5
        "    app.logger.info('Environment with api_key %s does not exist' % api_key)", // 6
        "    return ''", // 7
      ),
    });
    assert.deepEqual(locations(p.run(sensitiveDataLogged)), [
      ["SEC024", "accounts/views.py", 8],
      ["SEC024", "shop/app.py", 5],
      ["SEC024", "shop/app.py", 6],
    ]);
  });

  it("stays quiet on message text, counts, flags, masked values, device tokens, UUID identifiers, tests and scripts", async () => {
    const p = await project({
      "app/models.py": py(
        "import uuid", // 1
        "from django.db import models", // 2
        "class Checkout(models.Model):", // 3
        "    token = models.UUIDField(primary_key=True, default=uuid.uuid4)", // 4
      ),
      "app/services.py": py(
        "import logging", // 1
        "logger = logging.getLogger(__name__)", // 2
        "from uuid import UUID, uuid4", // 3
        "def check(user, token, password, checkout, device, api_key):", // 4
        "    logger.warning('invalid password for %s', user.email)", // 5
        "    logger.info(f'token_type={token_type} token_count={token_count} num_tokens={num_tokens}')", // 6
        "    logger.info('password_changed=%s has_password=%s', password_changed, has_password)", // 7
        "    logger.info('token_expired=%s', token_expired)", // 8
        "    logger.debug('token length %d prefix %s', len(token), token[:4])", // 9
        "    logger.info('key %s pw %s', mask(api_key), redact(password))", // 10
        "    logger.info('checkout %s', checkout.token)", // 11
        "    logger.info('push to %s', device.token)", // 12
        "    logger.info(f'{user.id} refreshed a token')", // 13
        "    logger.exception('secret rotation failed', exc_info=True)", // 14
        "    logger.info('next page %s', next_page_token)", // 15
        "    return None", // 16
        "", // 17
        "def send_push_notification(token, message):", // 18
        "    logger.warning('device not registered: %s', token)", // 19
        "", // 20
        "def acquire(limiter, received_token):", // 21
        "    token = uuid4()", // 22
        "    logger.debug('slot acquired (token=%s)', token)", // 23
        "    logger.debug(f\"received: {'*' * len(received_token) if received_token else 'None'}\")", // 24
        "    logger.debug('duplicate delivery %s', payload.reservation_token)", // 25
        "", // 26
        "def release(token: UUID):", // 27
        "    logger.debug('slot released (token=%s)', token)", // 28
        "", // 29
        "def startup(settings):", // 30
        "    logger.info(settings.model_dump_json(indent=4, exclude={'LDAP_QUERY_PASSWORD', 'OPENAI_API_KEY', 'SECRET', 'SESSION_SECRET', 'SFTP_PASSWORD', 'SMTP_PASSWORD', 'OIDC_CLIENT_SECRET', 'DB_URL', 'DB_PROVIDER', 'SMTP_USER', 'SFTP_USERNAME'}))", // 31
      ),
      "tests/test_login.py": py("import logging", "def test_login(password):", "    logging.info('pw %s', password)"),
      "scripts/create_admin.py": py("def main(password):", "    print(f'admin password: {password}')"),
    });
    assert.deepEqual(locations(p.run(sensitiveDataLogged)), []);
  });
});
