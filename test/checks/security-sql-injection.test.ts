import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sqlInjection from "../../src/checks/security/sql-injection.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC003 SQL built from strings", () => {
  it("fires on an f-string passed to text() and on a %-formatted query", async () => {
    const p = await project({
      "app/reports.py": py(
        "from sqlalchemy import text", // 1
        "",
        "def sales(db, since: str):", // 3
        "    return db.execute(text(f\"SELECT * FROM orders WHERE created_at >= '{since}'\"))", // 4
        "",
        "def legacy(cursor, name):",
        "    cursor.execute(\"SELECT id FROM users WHERE name = '%s'\" % name)", // 7
      ),
    });
    assert.deepEqual(locations(p.run(sqlInjection)), [
      ["SEC003", "app/reports.py", 4],
      ["SEC003", "app/reports.py", 7],
    ]);
  });

  it("fires when the query is built in a variable first, citing both lines", async () => {
    const p = await project({
      "app/repo.py": py(
        "def find(cursor, email):",
        "    query = \"SELECT * FROM users WHERE email = '\" + email + \"'\"", // 2
        "    cursor.execute(query)", // 3
      ),
    });
    const findings = p.run(sqlInjection);
    assert.deepEqual(locations(findings), [["SEC003", "app/repo.py", 3]]);
    assert.equal(findings[0]?.evidence[1]?.line, 2);
  });

  it("stays quiet on bound parameters and on f-strings that are not SQL", async () => {
    const p = await project({
      "app/ok.py": py(
        "from sqlalchemy import text",
        "def top(db, limit: int):",
        "    db.execute(text(\"SELECT * FROM products ORDER BY sold DESC LIMIT :n\"), {\"n\": limit})",
        "    cursor.execute(\"SELECT id FROM users WHERE name = %s\", (limit,))",
        "    executor.execute(f\"job-{limit}\")",
        "    log.info(f\"Select from {limit} where x\")",
      ),
    });
    assert.deepEqual(locations(p.run(sqlInjection)), []);
  });

  it("is suppressed by an inline comment with a reason, unless isolated", async () => {
    const files = {
      "app/q.py": py(
        "def q(cursor, t):",
        "    # archscope: ignore[SEC003] table name comes from a fixed allow-list",
        "    cursor.execute(f\"SELECT * FROM {t} WHERE 1=1\")",
      ),
    };
    const suppressed = (await project(files)).run(sqlInjection);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0]?.suppressed, true);
    assert.equal(suppressed[0]?.suppressionReason, "table name comes from a fixed allow-list");
    const isolated = (await project(files, { isolated: true })).run(sqlInjection);
    assert.equal(isolated[0]?.suppressed, undefined);
  });
});

describe("SEC003 when values are bound separately", () => {
  it("says 'review' at low severity when only a fragment is formatted in and parameters are passed", async () => {
    const p = await project({
      "app/search.py": py(
        "def search(queryset, Model, columns):",
        "    sql = ', '.join(columns)",
        "    return Model.objects.raw(f\"SELECT {sql} FROM t WHERE id = %s\", [1])", // 3
      ),
    });
    const findings = p.run(sqlInjection);
    assert.deepEqual(locations(findings), [["SEC003", "app/search.py", 3]]);
    assert.equal(findings[0]?.severity, "low");
    assert.equal(findings[0]?.confidence, "low");
    assert.match(findings[0]?.message ?? "", /^Review:/);
  });
});

describe("SEC003 reads what is formatted in", () => {
  it("stays quiet when every interpolated value is a constant, a number, a quoted identifier, an ORM table name, or a parameter given constants at every call", async () => {
    const p = await project({
      "app/store.py": py(
        "TABLE = 'documents'",
        "def drop(conn):",
        "    conn.execute('DROP TABLE IF EXISTS ' + TABLE)",
        "def series(cursor, quantity):",
        "    cursor.execute(f'SELECT generate_series(1, {quantity})')",
        "def fill(cursor, rules):",
        "    series(cursor, len(rules))",
        "def clone(cursor, connection, name):",
        "    cursor.execute(f'CREATE DATABASE {connection.ops.quote_name(name)}')",
        "def count(cursor, ids):",
        "    cursor.execute(f'SELECT count(*) FROM t WHERE n > {len(ids)}')",
        "class ApproxCount:",
        "    def count(self, cursor):",
        "        cursor.execute(\"SELECT reltuples FROM pg_class WHERE relname = '%s';\" % self.model._meta.db_table)",
        "        cursor.execute(f'SELECT count(*) FROM {Order.__tablename__}')",
      ),
    });
    assert.deepEqual(locations(p.run(sqlInjection)), []);
  });

  it("is high for a parameter that some caller fills from a variable, a medium review for other values, low where a linter waiver records a review", async () => {
    const p = await project({
      "app/store.py": py(
        "def find(cursor, name):",
        "    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")", // 2
        "def handler(cursor, request):",
        "    find(cursor, request.args['q'])",
        "def purge(cursor, db):",
        "    cursor.execute(f'DELETE FROM audit WHERE at < {db.timestamp_now}')", // 6
        "def waived(cursor, db):",
        "    cursor.execute(",
        "        f'DELETE FROM audit WHERE at < {db.now}'  # noqa: S608",
        "    )", // call at 8
      ),
    });
    const findings = p.run(sqlInjection);
    assert.deepEqual(findings.map((f) => [f.evidence[0]?.line, f.severity]), [[2, "high"], [6, "medium"], [8, "low"]]);
    assert.match(findings[1]?.message ?? "", /`db\.timestamp_now`/);
    assert.match(findings[2]?.message ?? "", /S608/);
  });

  it("reads SQLAlchemy query clauses given SQL text and pg8000's run, not Django's order_by of a field name", async () => {
    const p = await project({
      "app/q.py": py(
        "from sqlalchemy.orm import Session",
        "import pg8000",
        "def bad(session: Session, var):",
        "    return session.query(User).filter('id = {}'.format(var)).all()",
        "def bad2(var):",
        "    conn = pg8000.connect(user='x')",
        "    return conn.run(f'SELECT * FROM t WHERE id = {var}')",
      ),
      "shop/views.py": py("from shop.models import Order", "def listing(request, field):", "    return Order.objects.order_by(f'-{field}')"),
    });
    assert.deepEqual(locations(p.run(sqlInjection)), [["SEC003", "app/q.py", 4], ["SEC003", "app/q.py", 7]]);
  });

  it("trusts SQL the ORM compiled (NetBox's search backend wraps sql_with_params())", async () => {
    const p = await project({
      "search/backends.py": py(
        "from django.db import connection",
        "def search(queryset, limit):",
        "    sql, params = queryset.query.sql_with_params()",
        "    with connection.cursor() as cursor:",
        "        cursor.execute(f'SELECT * FROM ({sql}) AS q LIMIT {int(limit)}', params)",
        "        return cursor.fetchall()",
      ),
    });
    assert.deepEqual(p.run(sqlInjection), []);
  });

  it("reads Django's extra() fragments, a SQL template formatted through a name, and cites where the request data entered", async () => {
    const p = await project({
      "shop/views.py": py(
        "from django.db import connection", // 1
        "from shop.models import Person",
        "def by_name(request):", // 3
        "    name = request.GET.get('name')", // 4
        "    return Person.objects.extra(where=['name = %s' % name, 'id IS NOT NULL'])", // 5
        "def by_age(request):", // 6
        "    age = request.POST['age']", // 7
        "    query = 'SELECT * FROM person WHERE age = %s'",
        "    return Person.objects.raw(query % age)", // 9
        "def by_city(request):",
        "    sql = 'SELECT * FROM person WHERE city = {}'.format(request.GET['city'])", // 11
        "    with connection.cursor() as cursor:",
        "        cursor.execute(sql)", // 13
      ),
    });
    const findings = p.run(sqlInjection);
    assert.deepEqual(locations(findings), [
      ["SEC003", "shop/views.py", 5],
      ["SEC003", "shop/views.py", 9],
      ["SEC003", "shop/views.py", 13],
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ["high", "high", "high"]);
    assert.ok(findings[0]?.evidence.some((e) => e.line === 4 && /request data enters/.test(e.snippet ?? "")), "the line where request data enters is evidence");
    assert.ok(findings[2]?.evidence.some((e) => e.line === 11), "the line that formats the SQL is evidence");
  });

  it("stays quiet on extra() with bound params or an ORM subquery (AWX), a template given by the caller and a text() of SQL not from the request", async () => {
    const p = await project({
      "shop/views.py": py(
        "from sqlalchemy import text",
        "from shop.models import Person",
        "def by_name(request):",
        "    name = request.GET.get('name')",
        "    people = Person.objects.extra(where=['name = %s'], params=[name])",
        "    q = Person.objects.filter(team__in=request.user.teams.all()).values_list('id').query",
        "    people = people.extra(where=[f'id IN ({q})'])",
        "    return people",
        "def run(cursor, fmt, name):",
        "    cursor.execute('SELECT 1')",
        "    cursor.execute(fmt % name)",
        "def report(db, clause):",
        "    q = build_report_sql(clause)",
        "    return db.execute(text(q))",
      ),
    });
    assert.deepEqual(locations(p.run(sqlInjection)), []);
  });

  it("fires on text() given request data through a name, and reads Pyramid's request.params", async () => {
    const p = await project({
      "app/views.py": py(
        "from pyramid.view import view_config",
        "from sqlalchemy import text",
        "@view_config(route_name='search')",
        "def search(request):",
        "    clause = request.params.get('where')", // 5
        "    return request.dbsession.execute(text(clause)).all()", // 6
      ),
    });
    const findings = p.run(sqlInjection);
    assert.deepEqual(locations(findings), [["SEC003", "app/views.py", 6]]);
    assert.match(findings[0]?.message ?? "", /request\.params/);
  });
});
