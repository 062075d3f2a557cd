/**
 * Release series of the runtime and the core frameworks whose support has ended, as data: when it ended, what to
 * move to, and where the date comes from. Dates are `YYYY-MM-DD`, or `YYYY-MM` where the project announces a month
 * only (read as the month's last day). Series absent from a table are supported, or too new to be listed.
 */

export interface SupportEnd {
  /** `3.9`, `4.2`, `1` (a whole major version). */
  series: string;
  /** When security fixes stopped. */
  ended: string;
  /**
   * What `ended` is: the announced end of support; for projects that announce none, the last release of the series,
   * or the release of the series that superseded it (from which the project fixed only the new one).
   */
  basis: "end of support" | "last release" | "superseded";
  /** The supported series to move to. */
  moveTo: string;
  source: string;
}

export interface EndOfLifeProduct {
  /** What a message calls it: `Python`, `Django`. */
  name: string;
  /** Normalised PyPI name, or `python` for the interpreter. */
  package: string;
  /** Every release series known, oldest first, to tell which the newest a specifier admits is. */
  series: string[];
  ended: SupportEnd[];
}

const PYTHON_VERSIONS = "https://devguide.python.org/versions/";
const DJANGO_VERSIONS = "https://www.djangoproject.com/download/#supported-versions";
const SQLALCHEMY_STATUS = "https://www.sqlalchemy.org/download.html#relstatus";
const PALLETS_POLICY = "https://github.com/pallets/flask/discussions/5358";

const python = (series: string, ended: string, moveTo = "3.13"): SupportEnd => ({ series, ended, basis: "end of support", moveTo, source: PYTHON_VERSIONS });
const django = (series: string, ended: string, moveTo: string): SupportEnd => ({ series, ended, basis: "end of support", moveTo, source: DJANGO_VERSIONS });

export const END_OF_LIFE: EndOfLifeProduct[] = [
  {
    name: "Python",
    package: "python",
    series: ["2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"],
    ended: [
      python("2.7", "2020-01-01"), python("3.0", "2009-06-27"), python("3.1", "2012-04-09"), python("3.2", "2016-02-20"), python("3.3", "2017-09-29"),
      python("3.4", "2019-03-18"), python("3.5", "2020-09-30"), python("3.6", "2021-12-23"), python("3.7", "2023-06-27"), python("3.8", "2024-10-07"),
      python("3.9", "2025-10-31"), python("3.10", "2026-10"),
    ],
  },
  {
    name: "Django",
    package: "django",
    series: ["1.8", "1.9", "1.10", "1.11", "2.0", "2.1", "2.2", "3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1"],
    ended: [
      django("1.8", "2018-04-01", "5.2 LTS"), django("1.9", "2017-04-04", "5.2 LTS"), django("1.10", "2017-12-02", "5.2 LTS"), django("1.11", "2020-04-01", "5.2 LTS"),
      django("2.0", "2019-04-01", "5.2 LTS"), django("2.1", "2019-12-02", "5.2 LTS"), django("2.2", "2022-04", "5.2 LTS"), django("3.0", "2021-04-06", "5.2 LTS"),
      django("3.1", "2021-12-07", "5.2 LTS"), django("3.2", "2024-04-01", "5.2 LTS"), django("4.0", "2023-04-01", "5.2 LTS"), django("4.1", "2023-12-01", "5.2 LTS"),
      django("4.2", "2026-04", "5.2 LTS"), django("5.0", "2025-04-02", "5.2 LTS"), django("5.1", "2025-12", "5.2 LTS"),
    ],
  },
  {
    // Pallets support only the latest feature release; a superseded major version gets no fixes at all
    name: "Flask",
    package: "flask",
    series: ["0.12", "1.0", "1.1", "2.0", "2.1", "2.2", "2.3", "3.0", "3.1"],
    ended: [
      { series: "0.12", ended: "2018-04-26", basis: "end of support", moveTo: "3.1", source: PALLETS_POLICY },
      { series: "1", ended: "2021-05-11", basis: "end of support", moveTo: "3.1", source: PALLETS_POLICY },
      { series: "2", ended: "2023-09-30", basis: "end of support", moveTo: "3.1", source: PALLETS_POLICY },
    ],
  },
  {
    name: "Pydantic",
    package: "pydantic",
    series: ["1.8", "1.9", "1.10", "2.0", "2.5", "2.10", "2.11", "2.12"],
    ended: [{ series: "1", ended: "2024-06-30", basis: "end of support", moveTo: "2 (FastAPI 0.126 and later require it)", source: "https://docs.pydantic.dev/latest/version-policy/#pydantic-v1" }],
  },
  {
    name: "SQLAlchemy",
    package: "sqlalchemy",
    series: ["0.9", "1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.1"],
    ended: [
      { series: "0", ended: "2019-03-04", basis: "superseded", moveTo: "2.0", source: SQLALCHEMY_STATUS },
      { series: "1.0", ended: "2019-03-04", basis: "superseded", moveTo: "2.0", source: SQLALCHEMY_STATUS },
      { series: "1.1", ended: "2019-03-04", basis: "superseded", moveTo: "2.0", source: SQLALCHEMY_STATUS },
      { series: "1.2", ended: "2019-03-04", basis: "superseded", moveTo: "2.0", source: SQLALCHEMY_STATUS },
      { series: "1.3", ended: "2021-03", basis: "last release", moveTo: "2.0", source: SQLALCHEMY_STATUS },
      { series: "1.4", ended: "2024-09-05", basis: "last release", moveTo: "2.0", source: SQLALCHEMY_STATUS },
    ],
  },
  {
    name: "Celery",
    package: "celery",
    series: ["3.1", "4.0", "4.1", "4.2", "4.3", "4.4", "5.0", "5.3", "5.4", "5.5", "5.6"],
    ended: [
      { series: "3", ended: "2016-11-04", basis: "superseded", moveTo: "5.5", source: "https://docs.celeryq.dev/en/stable/history/index.html" },
      { series: "4", ended: "2020-09-24", basis: "superseded", moveTo: "5.5", source: "https://docs.celeryq.dev/en/stable/history/whatsnew-5.0.html" },
    ],
  },
];

/** The table entry of an ended series (`3.9` in `3.9`, `2.3` in Flask's `2`), or null while it is supported. */
export function supportEnd(product: EndOfLifeProduct, series: string): SupportEnd | null {
  return product.ended.find((e) => e.series === series || series.startsWith(`${e.series}.`)) ?? null;
}

/** Today as `YYYY-MM-DD` (UTC): what "ended" is measured against (the review cache keys reviews by it too). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `YYYY-MM` or `YYYY-MM-DD` as the last day it covers, compared with `today` (`YYYY-MM-DD`). */
export function hasEnded(end: SupportEnd, today: string): boolean {
  const last = /^\d{4}-\d{2}$/.test(end.ended) ? lastDayOfMonth(end.ended) : end.ended;
  return last < today;
}

function lastDayOfMonth(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

type Version = number[];

function parseVersion(text: string): Version | null {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(text.trim());
  return m?.[1] ? m[1].split(".").map(Number) : null;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether some release of `series` (`3.9` → 3.9.0 up to, not including, 3.10) satisfies one clause. */
function admits(series: Version, clause: string): boolean {
  const m = /^(===|==|!=|~=|>=|<=|>|<|\^|~)?\s*(.*)$/.exec(clause.trim());
  const op = m?.[1] ?? "==";
  const raw = (m?.[2] ?? "").trim();
  if (raw === "*" || raw === "") return true;
  const v = parseVersion(raw);
  if (!v) return true;
  const lowest = [...series, 0];
  const next = [...series.slice(0, -1), (series[series.length - 1] ?? 0) + 1];
  const within = (low: Version, high: Version) => compare(next, low) > 0 && compare(lowest, high) < 0;
  switch (op) {
    case "!=":
      return true;
    case ">=":
    case ">":
      return compare(next, v) > 0;
    case "<":
      return compare(lowest, v) < 0;
    case "<=":
      return compare(lowest, v) <= 0;
    case "~=": {
      const high = v.length > 1 ? [...v.slice(0, -2), (v[v.length - 2] ?? 0) + 1] : [(v[0] ?? 0) + 1];
      return within(v, high);
    }
    case "^": {
      const firstNonZero = v.findIndex((n) => n !== 0);
      const at = firstNonZero < 0 ? v.length - 1 : firstNonZero;
      return within(v, [...v.slice(0, at), (v[at] ?? 0) + 1]);
    }
    case "~":
      return within(v, v.length > 1 ? [v[0] ?? 0, (v[1] ?? 0) + 1] : [(v[0] ?? 0) + 1]);
    default: {
      // `==3.9.*`, `==4.2.11`, a bare `3.9` (Poetry, .python-version): the series the version belongs to
      const depth = Math.min(v.length, series.length);
      return compare(v.slice(0, depth), series.slice(0, depth)) === 0;
    }
  }
}

/**
 * The newest known series a version specifier admits (PEP 440 `>=3.8,<3.11`, `~=3.2`, `==4.2.*`; Poetry `^3.9`,
 * `~4.2`, `>=3.8 <3.11`, `||`; a bare version), or null when it admits none of them or cannot be read. A specifier
 * with no upper bound admits the newest series, so only a pin or a ceiling can make this an ended series.
 */
export function newestAdmitted(spec: string, series: string[]): string | null {
  const groups = spec.split("||").map((g) => g.split(/,|\s+(?=[<>=!~^])/).map((c) => c.trim()).filter(Boolean));
  if (groups.some((g) => g.some((c) => !/^(===|==|!=|~=|>=|<=|>|<|\^|~)?\s*(v?\d[\w.*+!-]*|\*)$/.test(c)))) return null;
  for (const name of [...series].reverse()) {
    const version = name.split(".").map(Number);
    if (groups.some((g) => g.every((c) => admits(version, c)))) return name;
  }
  return null;
}
