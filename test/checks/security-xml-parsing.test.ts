import assert from "node:assert/strict";
import { describe, it } from "node:test";
import xmlParsing from "../../src/checks/security/xml-parsing.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC023 XML parsed without defusedxml", () => {
  it("fires on the standard library's parsers and lxml's default parser in Django, Flask and FastAPI code", async () => {
    const p = await project({
      "billing/views.py": py(
        "import xml.etree.ElementTree as ET", // 1
        "from xml.dom import minidom", // 2
        "from django.http import JsonResponse", // 3
        "", // 4
        "def invoice_webhook(request):", // 5
        "    root = ET.fromstring(request.body)", // 6
        "    doc = minidom.parseString(request.body)", // 7
        "    return JsonResponse({'id': root.get('id')})", // 8
      ),
      "feeds/api.py": py(
        "import xml.sax", // 1
        "from lxml import etree", // 2
        "from fastapi import APIRouter, UploadFile", // 3
        "router = APIRouter()", // 4
        "", // 5
        "@router.post('/feeds')", // 6
        "async def import_feed(file: UploadFile):", // 7
        "    tree = etree.parse(file.file)", // 8
        "    xml.sax.parse(file.file, Handler())", // 9
        "    parser = etree.XMLParser(resolve_entities=True)", // 10
        "    return {}", // 11
      ),
      "sitemap/app.py": py(
        "from xml.etree.ElementTree import iterparse", // 1
        "from flask import Flask, request", // 2
        "app = Flask(__name__)", // 3
        "", // 4
        "@app.post('/sitemap')", // 5
        "def sitemap():", // 6
        "    for event, el in iterparse(request.stream):", // 7
        "        pass", // 8
        "    return ''", // 9
      ),
    });
    const found = p.run(xmlParsing);
    assert.deepEqual(locations(found), [
      ["SEC023", "billing/views.py", 6],
      ["SEC023", "billing/views.py", 7],
      ["SEC023", "feeds/api.py", 8],
      ["SEC023", "feeds/api.py", 9],
      ["SEC023", "feeds/api.py", 10],
      ["SEC023", "sitemap/app.py", 7],
    ]);
    assert.ok(found.every((f) => f.severity === "medium"));
    assert.match(found[0]?.message ?? "", /^`ET\.fromstring\(\)` in invoice_webhook parses request\.body with the standard library's parser/);
    assert.match(found[2]?.message ?? "", /lxml's default parser.*XXE/);
  });

  it("is low for a file that ships with the project", async () => {
    const p = await project({
      "app/schema.py": py(
        "import os", // 1
        "import xml.etree.ElementTree as ET", // 2
        "SCHEMA = ET.parse('app/data/countries.xml')", // 3
        "def load():", // 4
        "    return ET.parse(os.path.join(os.path.dirname(__file__), 'codes.xml'))", // 5
      ),
    });
    const found = p.run(xmlParsing);
    assert.deepEqual(
      found.map((f) => [f.evidence[0]?.line, f.severity]),
      [
        [3, "low"],
        [5, "low"],
      ],
    );
    assert.match(found[0]?.message ?? "", /low: a local file/);
  });

  it("stays quiet with defusedxml, a safe lxml parser, lxml.html, constant XML and documents that open with a literal element", async () => {
    const p = await project({
      "app/safe.py": py(
        "from defusedxml.ElementTree import fromstring", // 1
        "import xml.etree.ElementTree as ET", // 2
        "def parse(body):", // 3
        "    return fromstring(body), ET.fromstring(body)", // 4
      ),
      "app/lxml_safe.py": py(
        "import lxml.html", // 1
        "from lxml import etree", // 2
        "import xml.etree.ElementTree as ET", // 3
        "def parse(body, upload, rendered):", // 4
        "    parser = etree.XMLParser(resolve_entities=False, no_network=True)", // 5
        "    a = etree.fromstring(body, parser)", // 6
        "    b = etree.parse(upload, parser=parser)", // 7
        "    c = lxml.html.fromstring(body)", // 8
        "    d = ET.fromstring('<config><debug>false</debug></config>')", // 9
        "    e = ET.fromstring(f'<root>{rendered}</root>')", // 10
        "    f = etree.iterparse(upload, resolve_entities=False)", // 11
        "    return a, b, c, d, e, f", // 12
      ),
      "tests/test_feed.py": py("import xml.etree.ElementTree as ET", "def test_feed(body):", "    ET.fromstring(body)"),
    });
    assert.deepEqual(locations(p.run(xmlParsing)), []);
  });

  it("stays quiet everywhere once defusedxml.defuse_stdlib() is called in the project", async () => {
    const p = await project({
      "app/__init__.py": py("import defusedxml", "defusedxml.defuse_stdlib()"),
      "app/views.py": py("import xml.etree.ElementTree as ET", "def webhook(request):", "    return ET.fromstring(request.body)"),
    });
    assert.deepEqual(locations(p.run(xmlParsing)), []);
  });
});
