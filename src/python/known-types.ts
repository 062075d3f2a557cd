/**
 * What a few well-known factory calls return, so that `engine = create_engine(...)`,
 * `SessionLocal = sessionmaker(...)`, `db = SessionLocal()` and `r = redis.from_url(...)`
 * give their variables a type whose methods can be named (`sqlalchemy.orm.Session.execute`).
 * Keys are qualified callees; a trailing `()` means "the result of calling that value".
 */
export const FACTORY_RESULTS: Readonly<Record<string, string>> = {
  "sqlalchemy.create_engine": "sqlalchemy.Engine",
  "sqlalchemy.engine.create_engine": "sqlalchemy.Engine",
  "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.ext.asyncio.AsyncEngine",
  "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.sessionmaker()",
  "sqlalchemy.orm.sessionmaker()": "sqlalchemy.orm.Session",
  "sqlalchemy.orm.scoped_session()": "sqlalchemy.orm.Session",
  "sqlalchemy.ext.asyncio.async_sessionmaker": "sqlalchemy.ext.asyncio.async_sessionmaker()",
  "sqlalchemy.ext.asyncio.async_sessionmaker()": "sqlalchemy.ext.asyncio.AsyncSession",
  "sqlalchemy.Engine.connect": "sqlalchemy.Connection",
  "sqlalchemy.Engine.begin": "sqlalchemy.Connection",
  "sqlmodel.create_engine": "sqlalchemy.Engine",
  "redis.from_url": "redis.Redis",
  "redis.Redis.from_url": "redis.Redis",
  "redis.StrictRedis": "redis.Redis",
  "redis.asyncio.from_url": "redis.asyncio.Redis",
  "redis.asyncio.Redis.from_url": "redis.asyncio.Redis",
  "boto3.client": "boto3.client",
  "boto3.resource": "boto3.resource",
  "boto3.session.Session": "boto3.Session",
  "psycopg2.connect": "psycopg2.connection",
  "psycopg2.connection.cursor": "psycopg2.cursor",
  "pymysql.connect": "pymysql.connection",
  "pymysql.connection.cursor": "pymysql.cursor",
  "sqlite3.connect": "sqlite3.Connection",
  "sqlite3.Connection.cursor": "sqlite3.Cursor",
  "pymongo.MongoClient": "pymongo.MongoClient",
  "requests.session": "requests.Session",
};

/** Names Python provides without an import; calls to them keep their bare name as qualified name. */
export const BUILTINS = new Set([
  "abs", "all", "any", "bool", "bytes", "callable", "compile", "dict", "dir", "enumerate", "eval",
  "exec", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "input",
  "int", "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "min", "next",
  "object", "open", "print", "range", "repr", "reversed", "round", "set", "setattr", "sorted", "str",
  "sum", "super", "tuple", "type", "vars", "zip", "__import__", "breakpoint", "delattr", "id",
]);

/** Method names that mutate a list, dict, set or deque in place. */
export const MUTATING_METHODS = new Set([
  "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault",
  "add", "discard", "appendleft", "popleft", "extendleft",
]);
