import assert from "node:assert/strict";
import { describe, it } from "node:test";
import unsafeDeserialization from "../../src/checks/security/unsafe-deserialization.js";
import { locations, project, py } from "../helpers/project.js";

describe("SEC006 unsafe deserialization", () => {
  it("fires on pickle, dill, jsonpickle, marshal and unsafe YAML loads in a Flask app, through aliases", async () => {
    const p = await project({
      "app/views.py": py(
        "import pickle as pk", // 1
        "import dill", // 2
        "import jsonpickle", // 3
        "import marshal", // 4
        "import yaml", // 5
        "from flask import Flask, request", // 6
        "app = Flask(__name__)", // 7
        "", // 8
        "@app.post('/import')", // 9
        "def import_state():", // 10
        "    state = pk.loads(request.data)", // 11
        "    return state", // 12
        "", // 13
        "def restore(blob):", // 14
        "    return dill.loads(blob)", // 15
        "", // 16
        "def decode(payload):", // 17
        "    return jsonpickle.decode(payload)", // 18
        "", // 19
        "def code(blob):", // 20
        "    return marshal.loads(blob)", // 21
        "", // 22
        "def read_config(text):", // 23
        "    a = yaml.load(text)", // 24
        "    b = yaml.load(text, Loader=yaml.FullLoader)", // 25
        "    c = yaml.unsafe_load(text)", // 26
        "    return a, b, c", // 27
      ),
    });
    const found = p.run(unsafeDeserialization);
    assert.deepEqual(locations(found), [
      ["SEC006", "app/views.py", 11],
      ["SEC006", "app/views.py", 15],
      ["SEC006", "app/views.py", 18],
      ["SEC006", "app/views.py", 21],
      ["SEC006", "app/views.py", 24],
      ["SEC006", "app/views.py", 25],
      ["SEC006", "app/views.py", 26],
    ]);
    assert.ok(found.every((f) => f.severity === "high"));
    assert.match(found[0]?.message ?? "", /^`pk\.loads\(\)` in import_state deserialises request data \(request\.data\)/);
    assert.match(found[5]?.message ?? "", /Loader=yaml\.FullLoader/);
  });

  it("fires on torch.load without weights_only, numpy.load(allow_pickle=True), pandas.read_pickle and shelve in a FastAPI service", async () => {
    const p = await project({
      "app/ml.py": py(
        "import numpy as np", // 1
        "import pandas as pd", // 2
        "import shelve", // 3
        "import torch", // 4
        "from fastapi import APIRouter, UploadFile", // 5
        "router = APIRouter()", // 6
        "", // 7
        "@router.post('/models')", // 8
        "async def upload_model(file: UploadFile):", // 9
        "    model = torch.load(file.file)", // 10
        "    arr = np.load(file.file, allow_pickle=True)", // 11
        "    df = pd.read_pickle(file.file)", // 12
        "    db = shelve.open(file.filename)", // 13
        "    return {}", // 14
        "", // 15
        "def safe(path):", // 16
        "    weights = torch.load(path, weights_only=True)", // 17
        "    arr = np.load(path)", // 18
        "    arr2 = np.load(path, allow_pickle=False)", // 19
        "    return weights, arr, arr2", // 20
      ),
    });
    assert.deepEqual(locations(p.run(unsafeDeserialization)), [
      ["SEC006", "app/ml.py", 10],
      ["SEC006", "app/ml.py", 11],
      ["SEC006", "app/ml.py", 12],
      ["SEC006", "app/ml.py", 13],
    ]);
    assert.match(p.run(unsafeDeserialization)[0]?.message ?? "", /torch\.load\(\)` without weights_only=True/);
  });

  it("is medium, and says why, when the data comes from the project's own Django cache or its own files", async () => {
    const p = await project({
      "shop/caching.py": py(
        "import pickle", // 1
        "from django.core.cache import cache", // 2
        "from django.conf import settings", // 3
        "", // 4
        "def cached_report(key):", // 5
        "    raw = cache.get(key)", // 6
        "    return pickle.loads(raw)", // 7
        "", // 8
        "def load_classifier():", // 9
        "    with open(settings.MODEL_FILE, 'rb') as f:", // 10
        "        return pickle.load(f)", // 11
        "", // 12
        "def load_fixture():", // 13
        "    return pickle.load(open('data/model.pkl', 'rb'))", // 14
      ),
    });
    const found = p.run(unsafeDeserialization);
    assert.deepEqual(
      found.map((f) => [f.evidence[0]?.line, f.severity]),
      [
        [7, "medium"],
        [11, "medium"],
        [14, "medium"],
      ],
    );
    assert.match(found[0]?.message ?? "", /medium: the data comes from the project's own cache/);
    assert.match(found[1]?.message ?? "", /medium: the file is one the project keeps/);
  });

  it("is low for a round trip inside the service: bytes the module pickles itself, a worker process's result", async () => {
    const p = await project({
      "app/singleton.py": py(
        "import pickle", // 1
        "from functools import lru_cache", // 2
        "", // 3
        "@lru_cache(None)", // 4
        "def _client(location, params):", // 5
        "    return Client(location, pickle.loads(params))", // 6
        "", // 7
        "def client(location, params):", // 8
        "    return _client(location, pickle.dumps(params))", // 9
      ),
      "app/runner.py": py(
        "import cloudpickle", // 1
        "class Unpickling:", // 2
        "    def result(self, timeout=None):", // 3
        "        pickled = self.wrapped_future.result(timeout)", // 4
        "        return cloudpickle.loads(pickled)", // 5
      ),
    });
    const found = p.run(unsafeDeserialization);
    assert.deepEqual(
      found.map((f) => [f.evidence[0]?.file, f.evidence[0]?.line, f.severity]),
      [
        ["app/runner.py", 5, "low"],
        ["app/singleton.py", 6, "low"],
      ],
    );
  });

  it("stays quiet on safe loaders, constant data, signed pickles, ruamel.yaml, tests and scripts", async () => {
    const p = await project({
      "app/config.py": py(
        "import hmac", // 1
        "import pickle", // 2
        "import yaml", // 3
        "from ruamel.yaml import YAML", // 4
        "", // 5
        "class IncludeLoader(yaml.SafeLoader):", // 6
        "    pass", // 7
        "", // 8
        "def read(text, stream):", // 9
        "    a = yaml.safe_load(text)", // 10
        "    b = yaml.load(text, Loader=yaml.SafeLoader)", // 11
        "    c = yaml.load(text, yaml.CSafeLoader)", // 12
        "    d = yaml.load_all(stream, Loader=yaml.BaseLoader)", // 13
        "    e = yaml.load(stream, Loader=IncludeLoader)", // 14
        "    f = YAML(typ='safe').load(stream)", // 15
        "    g = pickle.loads(b'\\x80\\x04K\\x01.')", // 16
        "    h = yaml.load('a: 1')", // 17
        "    return a, b, c, d, e, f, g, h", // 18
        "", // 19
        "def signed_loads(payload, key):", // 20
        "    signature, data = payload[:32], payload[32:]", // 21
        "    if not hmac.compare_digest(signature, hmac.new(key, data, 'sha256').digest()):", // 22
        "        raise ValueError('tampered')", // 23
        "    return pickle.loads(data)", // 24
      ),
      "tests/test_state.py": py("import pickle", "def test_roundtrip(blob):", "    assert pickle.loads(blob)"),
      "scripts/migrate_cache.py": py("import pickle", "def main(blob):", "    return pickle.loads(blob)"),
    });
    assert.deepEqual(locations(p.run(unsafeDeserialization)), []);
  });
});
