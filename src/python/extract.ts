import type { Node, Tree } from "web-tree-sitter";
import type {
  ArgumentFact,
  AssignmentFact,
  CallFact,
  ClassFact,
  DecoratorFact,
  DependencyFact,
  ExceptFact,
  FileFacts,
  FlowFact,
  FunctionFact,
  ImportFact,
  MutationFact,
  ParameterFact,
} from "./facts.js";
import { emptyFacts } from "./facts.js";
import { MUTATING_METHODS } from "./known-types.js";
import { leadingPart, namesRead, requestSources } from "./names-read.js";
import { type FunctionScope, FileScope, } from "./scope.js";
import { parseErrors } from "./syntax-errors.js";
import { scanLinterWaivers, scanSuppressions } from "./suppressions.js";
import { cut, firstLine, leadingStringText, literalValue, looksLikeSql, valueKind } from "./values.js";

const SQL_WORD = /\b(select|insert|update|delete|with|create|drop|alter|truncate)\b/i;
/** `if TYPE_CHECKING:`, `if typing.TYPE_CHECKING:`, `if t.TYPE_CHECKING is True:`, `if TYPE_CHECKING == True:`. */
const TYPE_CHECKING = /^\(?\s*([A-Za-z_]\w*\.)?TYPE_CHECKING\s*((is|==)\s*True\s*)?\)?$/;
const DOTTED_NAME = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/;
const MAIN_GUARD = /__name__\s*==\s*['"]__main__['"]/;
const LITERAL_KINDS = new Set(["string", "number", "bool", "none"]);
const DEPENDS_NAMES = new Set(["fastapi.Depends", "fastapi.params.Depends", "fastapi.Security", "fastapi.params.Security", "Depends", "Security"]);
const LOG_METHODS = /\b(log|logger|logging|_logger|LOGGER|LOG|structlog|sentry_sdk)\b.*\.(exception|error|warning|warn|info|debug|critical|capture_exception|log)\s*\(|\b(logger|log)\.(exception|error|warning|info|debug|critical)\b|capture_exception\(/;
/** Nodes with nothing inside that any fact needs: not walked into. */
const LEAF_TYPES = new Set(["identifier", "integer", "float", "true", "false", "none", "comment", "string_content", "escape_sequence", "pass_statement", "break_statement", "continue_statement", "ellipsis"]);
const BRANCH_TYPES = new Set([
  "if_statement", "elif_clause", "for_statement", "while_statement", "except_clause", "with_statement",
  "boolean_operator", "conditional_expression", "case_clause", "for_in_clause", "if_clause",
]);

/** Extracts `FileFacts` from a parsed tree. Pure: the same tree always gives the same facts. */
export function extractFacts(tree: Tree, source: string, path: string): FileFacts {
  return new Extractor(source, path).run(tree.rootNode);
}

class Extractor {
  private readonly scope = new FileScope();
  private readonly facts: FileFacts;
  private loopDepth = 0;
  private typeChecking = false;
  /** Inside `if __name__ == "__main__":` at module level. */
  private inMainGuard = false;
  /** Condition of the innermost enclosing `if` (for `else`: `not (...)`), null outside any. */
  private guard: string | null = null;

  constructor(
    private readonly source: string,
    path: string,
  ) {
    const lines = source.split("\n");
    const codeLines = lines.filter((l) => {
      const t = l.trim();
      return t !== "" && !t.startsWith("#");
    }).length;
    this.facts = { ...emptyFacts(path, lines.length), codeLines, suppressions: scanSuppressions(source), linterWaivers: scanLinterWaivers(source) };
  }

  run(root: Node): FileFacts {
    this.bindModuleNames(root);
    const tooDeep: number[] = [];
    for (const child of root.namedChildren) {
      if (!child) continue;
      try {
        this.visit(child, null);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        // an expression nested thousands deep overflows the walk: that statement is lost, the rest of the file is not
        tooDeep.push(child.startPosition.row + 1);
        this.resetState();
      }
    }
    if (root.hasError) this.facts.errors = parseErrors(root);
    for (const line of tooDeep) this.facts.errors.push({ line, column: 1, message: "statement nested too deeply to analyse: skipped" });
    return this.facts;
  }

  /** Back to module level after a statement's walk was abandoned part way. */
  private resetState(): void {
    this.loopDepth = 0;
    this.typeChecking = false;
    this.inMainGuard = false;
    this.guard = null;
    this.currentClass = null;
    this.currentFunction = null;
  }

  /** Pass 1: module-level imports, definitions and assignments, so later code can resolve names used before their definition. */
  private bindModuleNames(node: Node): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case "import_statement":
        case "import_from_statement":
          for (const imp of this.readImport(child, false)) this.scope.bindImport(imp.module, imp.level, imp.names, imp.alias, null);
          break;
        case "function_definition":
        case "class_definition": {
          const name = child.childForFieldName("name")?.text;
          if (name) this.scope.bindings.set(name, `#${name}`);
          if (name && child.type === "class_definition") this.scope.localClasses.add(name);
          break;
        }
        case "decorated_definition": {
          const definition = child.childForFieldName("definition");
          const name = definition?.childForFieldName("name")?.text;
          if (name) this.scope.bindings.set(name, `#${name}`);
          if (name && definition?.type === "class_definition") this.scope.localClasses.add(name);
          break;
        }
        case "expression_statement": {
          const assign = child.namedChildren[0];
          if (assign?.type === "assignment") {
            const left = assign.childForFieldName("left");
            // module variables keep their identity (`#router`); the index knows their types
            if (left?.type === "identifier") this.scope.bindings.set(left.text, `#${left.text}`);
          }
          break;
        }
        case "if_statement":
        case "try_statement":
        case "with_statement":
        case "block":
        case "else_clause":
        case "except_clause":
        case "finally_clause":
          this.bindModuleNames(child);
          break;
      }
    }
  }

  private visit(node: Node, fn: FunctionScope | null): void {
    const type = node.type;
    if (this.currentFunction && BRANCH_TYPES.has(type)) this.currentFunction.complexity++;
    if (LEAF_TYPES.has(type)) return;
    switch (type) {
      case "import_statement":
      case "import_from_statement": {
        const imports = this.readImport(node, fn !== null);
        this.facts.imports.push(...imports);
        if (fn) for (const imp of imports) this.scope.bindImport(imp.module, imp.level, imp.names, imp.alias, fn.locals);
        return;
      }
      case "decorated_definition": {
        const def = node.childForFieldName("definition");
        const decorators = node.namedChildren.filter((c): c is Node => c?.type === "decorator").map((d) => this.readDecorator(d, fn));
        if (def?.type === "function_definition") this.visitFunction(def, fn, decorators, node);
        else if (def?.type === "class_definition") this.visitClass(def, fn, decorators, node);
        return;
      }
      case "function_definition":
        this.visitFunction(node, fn, [], node);
        return;
      case "class_definition":
        this.visitClass(node, fn, [], node);
        return;
      case "if_statement":
        this.visitIf(node, fn);
        return;
      case "for_statement":
      case "while_statement":
        this.visitLoop(node, fn);
        return;
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression":
        this.visitComprehension(node, fn);
        return;
      case "future_import_statement":
        this.facts.imports.push({ module: "__future__", level: 0, names: node.namedChildren.filter((c): c is Node => c !== null).map((c) => ({ name: c.text, alias: null })), alias: null, line: node.startPosition.row + 1, insideFunction: fn !== null, typeCheckingOnly: false });
        return;
      case "except_clause":
        this.visitExcept(node, fn);
        break;
      case "raise_statement":
        this.recordRaise(node, fn);
        break;
      case "assert_statement": {
        const test = node.namedChildren[0];
        if (test) {
          this.facts.asserts ??= [];
          this.facts.asserts.push({ line: node.startPosition.row + 1, test: cut(test.text.replace(/\s+/g, " ")), enclosing: fn?.qualname ?? null });
        }
        break;
      }
      case "return_statement":
        this.recordFlow(fn, ["return"], node.namedChildren.find((c) => c !== null && c.type !== "comment") ?? null, node);
        break;
      case "call":
        this.visitCall(node, fn);
        break;
      case "assignment":
      case "augmented_assignment":
        this.visitAssignment(node, fn);
        break;
      case "global_statement":
        if (fn) for (const id of node.namedChildren) if (id) fn.locals.set(`global:${id.text}`, null);
        break;
      case "delete_statement":
        if (fn) this.recordSubscriptMutation(node.namedChildren[0] ?? null, fn, "del", node);
        break;
      case "with_statement":
        this.visitWith(node, fn);
        break;
      case "lambda": {
        // a lambda's body runs when the lambda is called (often in a thread: run_in_threadpool(lambda: ...)),
        // not where it is written: its calls belong to the lambda, not to the enclosing function
        const scope: FunctionScope = { qualname: `${fn?.qualname ?? "<module>"}.<lambda>`, className: fn?.className ?? null, isMethod: false, params: new Set(), locals: new Map(), parent: fn };
        for (const p of node.childForFieldName("parameters")?.descendantsOfType("identifier") ?? []) if (p) scope.params.add(p.text);
        const body = node.childForFieldName("body");
        if (body) this.visit(body, scope);
        return;
      }
      case "string":
        this.recordDottedString(node);
        this.recordSqlString(node, fn);
        break;
      case "concatenated_string":
      case "binary_operator":
        this.recordSqlString(node, fn);
        break;
    }
    for (const child of node.namedChildren) if (child) this.visit(child, fn);
  }

  private readImport(node: Node, insideFunction: boolean): ImportFact[] {
    const line = node.startPosition.row + 1;
    // imports under `if __name__ == "__main__":` run only when the file is executed as a script: not at import time
    const base = { line, insideFunction: insideFunction || this.inMainGuard, typeCheckingOnly: this.typeChecking };
    if (node.type === "import_statement") {
      return node.namedChildren.filter((c): c is Node => c !== null).map((c) => {
        if (c.type === "aliased_import") {
          return { ...base, module: c.childForFieldName("name")?.text ?? "", level: 0, names: null, alias: c.childForFieldName("alias")?.text ?? null };
        }
        return { ...base, module: c.text, level: 0, names: null, alias: null };
      });
    }
    const moduleNode = node.childForFieldName("module_name");
    let module = moduleNode?.text ?? "";
    let level = 0;
    if (moduleNode?.type === "relative_import") {
      const prefix = moduleNode.namedChildren.find((c) => c?.type === "import_prefix")?.text ?? "";
      level = prefix.length;
      module = moduleNode.namedChildren.find((c) => c?.type === "dotted_name")?.text ?? "";
    }
    const names: Array<{ name: string; alias: string | null }> = [];
    for (const child of node.namedChildren) {
      if (!child || sameNode(child, moduleNode)) continue;
      if (child.type === "wildcard_import") names.push({ name: "*", alias: null });
      else if (child.type === "aliased_import") names.push({ name: child.childForFieldName("name")?.text ?? "", alias: child.childForFieldName("alias")?.text ?? null });
      else if (child.type === "dotted_name") names.push({ name: child.text, alias: null });
    }
    return [{ ...base, module, level, names, alias: null }];
  }

  private readDecorator(node: Node, fn: FunctionScope | null): DecoratorFact {
    const expr = node.namedChildren[0];
    const line = node.startPosition.row + 1;
    if (expr?.type === "call") {
      const callee = expr.childForFieldName("function");
      return { name: callee?.text ?? "", qualified: this.scope.qualify(callee, fn), args: this.readArgs(expr, fn), line };
    }
    return { name: expr?.text ?? "", qualified: this.scope.qualify(expr ?? null, fn), args: [], line };
  }

  private visitFunction(node: Node, outer: FunctionScope | null, decorators: DecoratorFact[], span: Node): void {
    const name = node.childForFieldName("name")?.text ?? "<anonymous>";
    const className = this.currentClass;
    const qualname = outer ? `${outer.qualname}.${name}` : className ? `${className}.${name}` : name;
    const fnScope: FunctionScope = {
      qualname,
      className: outer ? outer.className : className,
      isMethod: !outer && className !== null,
      params: new Set(),
      locals: new Map(),
      parent: outer,
    };
    if (outer) outer.locals.set(name, `#${qualname}`);
    const params = this.readParams(node.childForFieldName("parameters"), fnScope, outer);
    const body = node.childForFieldName("body");
    const isAsync = node.children.some((c) => c?.type === "async");
    const fact: FunctionFact = {
      name,
      qualname,
      className: fnScope.className,
      line: span.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      isAsync,
      decorators,
      params,
      returns: node.childForFieldName("return_type")?.text ?? null,
      codeLines: body ? this.countCodeLines(body.startPosition.row, body.endPosition.row) : 0,
      complexity: 1,
    };
    // the def line itself, not the decorator line, is where a reader looks for the function
    fact.line = node.startPosition.row + 1;
    this.facts.functions.push(fact);
    const savedClass = this.currentClass;
    const savedLoop = this.loopDepth;
    const savedFunction = this.currentFunction;
    this.currentClass = null;
    this.loopDepth = 0;
    this.currentFunction = fact;
    if (body) for (const child of body.namedChildren) if (child) this.visit(child, fnScope);
    this.currentClass = savedClass;
    this.loopDepth = savedLoop;
    this.currentFunction = savedFunction;
  }

  private currentClass: string | null = null;
  /** The function whose body is being walked, for its complexity count. */
  private currentFunction: FunctionFact | null = null;

  private countCodeLines(fromRow: number, toRow: number): number {
    this.lineCache ??= this.source.split("\n");
    let n = 0;
    for (let row = fromRow; row <= toRow; row++) {
      const t = (this.lineCache[row] ?? "").trim();
      if (t !== "" && !t.startsWith("#")) n++;
    }
    return n;
  }

  private visitClass(node: Node, fn: FunctionScope | null, decorators: DecoratorFact[], span: Node): void {
    const name = node.childForFieldName("name")?.text ?? "<anonymous>";
    const qualname = this.currentClass ? `${this.currentClass}.${name}` : name;
    const superclasses = node.childForFieldName("superclasses");
    const bases = (superclasses?.namedChildren ?? [])
      .filter((c): c is Node => c !== null && c.type !== "keyword_argument")
      .map((c) => {
        // `ModelViewSet[Tag]`, `GenericAPIView[Any]`, `Generic[T]`: the class is the subscripted name
        const head = c.type === "subscript" || c.type === "generic_type" ? (c.childForFieldName("value") ?? c.namedChildren[0] ?? c) : c;
        return { text: head.text, qualified: this.scope.qualify(head, fn) };
      });
    const fact: ClassFact = { name, qualname, line: node.startPosition.row + 1, endLine: span.endPosition.row + 1, bases, decorators, assignments: [] };
    // class keywords: `class Hero(SQLModel, table=True)`, `metaclass=ABCMeta`
    const keywords = (superclasses?.namedChildren ?? []).filter((c): c is Node => c?.type === "keyword_argument");
    if (keywords.length) {
      fact.keywords = keywords.map((k) => {
        const value = k.childForFieldName("value");
        const literal = value ? literalValue(value) : undefined;
        return { name: k.childForFieldName("name")?.text ?? "", text: cut(value?.text ?? ""), ...(literal !== undefined ? { value: literal } : {}) };
      });
    }
    this.facts.classes.push(fact);
    const saved = this.currentClass;
    this.currentClass = qualname;
    const body = node.childForFieldName("body");
    for (const stmt of body?.namedChildren ?? []) {
      if (!stmt) continue;
      const inner = stmt.type === "expression_statement" ? stmt.namedChildren[0] : null;
      if (inner?.type === "assignment") {
        const assignment = this.readAssignment(inner, fn);
        if (assignment) fact.assignments.push(assignment);
      }
      this.visit(stmt, fn);
    }
    this.currentClass = saved;
  }

  private readParams(node: Node | null, fnScope: FunctionScope, outer: FunctionScope | null): ParameterFact[] {
    const out: ParameterFact[] = [];
    for (const p of node?.namedChildren ?? []) {
      if (!p) continue;
      let nameNode: Node | null = null;
      let typeNode: Node | null = null;
      let defaultNode: Node | null = null;
      switch (p.type) {
        case "identifier":
          nameNode = p;
          break;
        case "typed_parameter":
          nameNode = p.namedChildren.find((c) => c?.type === "identifier") ?? null;
          typeNode = p.childForFieldName("type");
          break;
        case "default_parameter":
          nameNode = p.childForFieldName("name");
          defaultNode = p.childForFieldName("value");
          break;
        case "typed_default_parameter":
          nameNode = p.childForFieldName("name");
          typeNode = p.childForFieldName("type");
          defaultNode = p.childForFieldName("value");
          break;
        case "list_splat_pattern":
        case "dictionary_splat_pattern":
          nameNode = p.namedChildren[0] ?? null;
          break;
        default:
          continue;
      }
      if (!nameNode) continue;
      const name = nameNode.text;
      fnScope.params.add(name);
      const annotation = typeNode ? this.readAnnotation(typeNode, outer) : { text: null, qualified: null, dependency: null };
      let dependency = annotation.dependency;
      if (defaultNode?.type === "call") dependency = this.readDependency(defaultNode, outer) ?? dependency;
      if (annotation.qualified) {
        fnScope.params.delete(name);
        fnScope.params.add(name);
        fnScope.locals.set(name, annotation.qualified);
      }
      out.push({ name, annotation: annotation.text, annotationQualified: annotation.qualified, default: defaultNode ? cut(defaultNode.text) : null, dependency });
    }
    return out;
  }

  /** The main type of an annotation (`Session`, `Annotated[Session, Depends(f)]`, `Optional[X]`, `X | None`). */
  private readAnnotation(typeNode: Node, fn: FunctionScope | null): { text: string; qualified: string | null; dependency: DependencyFact | null } {
    const text = cut(typeNode.text);
    let expr: Node | null = typeNode.type === "type" ? (typeNode.namedChildren[0] ?? null) : typeNode;
    let dependency: DependencyFact | null = null;
    for (let guard = 0; expr && guard < 4; guard++) {
      if (expr.type === "generic_type" || expr.type === "subscript") {
        const head = expr.type === "subscript" ? expr.childForFieldName("value") : expr.namedChildren[0];
        const headName = this.scope.qualify(head ?? null, fn) ?? head?.text ?? "";
        const args = expr.type === "subscript" ? expr.namedChildren.slice(1) : (expr.namedChildren[1]?.namedChildren ?? []);
        if (/(^|\.)(Annotated|Optional)$/.test(headName)) {
          if (/Annotated$/.test(headName)) {
            for (const extra of args.slice(1)) {
              const call = extra?.type === "type" ? extra.namedChildren[0] : extra;
              if (call?.type === "call") dependency = this.readDependency(call, fn) ?? dependency;
            }
          }
          const first = args[0] ?? null;
          expr = first?.type === "type" ? (first.namedChildren[0] ?? null) : first;
          continue;
        }
        return { text, qualified: this.scope.qualify(head ?? null, fn), dependency };
      }
      if (expr.type === "binary_operator") {
        const left = expr.childForFieldName("left");
        expr = left?.type === "none" ? expr.childForFieldName("right") : left;
        continue;
      }
      break;
    }
    return { text, qualified: expr ? this.scope.qualify(expr, fn) : null, dependency };
  }

  private readDependency(call: Node, fn: FunctionScope | null): DependencyFact | null {
    const callee = call.childForFieldName("function");
    const q = this.scope.qualify(callee, fn) ?? callee?.text ?? "";
    if (!DEPENDS_NAMES.has(q)) return null;
    const args = call.childForFieldName("arguments");
    const target = args?.namedChildren.find((a) => a && a.type !== "keyword_argument" && a.type !== "comment") ?? null;
    return {
      kind: q.endsWith("Security") ? "Security" : "Depends",
      target: target ? target.text : null,
      qualified: target ? this.scope.qualify(target, fn) : null,
    };
  }

  private visitIf(node: Node, fn: FunctionScope | null): void {
    const condition = node.childForFieldName("condition")?.text ?? "";
    if (!fn && MAIN_GUARD.test(condition)) this.facts.hasMainGuard = true;
    const consequence = node.childForFieldName("consequence");
    const savedTypeChecking = this.typeChecking;
    const savedGuard = this.guard;
    for (const child of node.namedChildren) {
      if (!child) continue;
      const isConsequence = sameNode(child, consequence);
      const isAlternative = child.type === "elif_clause" || child.type === "else_clause";
      this.guard = isConsequence ? cut(condition, 120) : isAlternative ? cut(`not (${condition})`, 120) : savedGuard;
      if (isConsequence && TYPE_CHECKING.test(condition.trim())) this.typeChecking = true;
      const savedMain = this.inMainGuard;
      if (isConsequence && !fn && MAIN_GUARD.test(condition)) this.inMainGuard = true;
      this.visit(child, fn);
      this.typeChecking = savedTypeChecking;
      this.inMainGuard = savedMain;
    }
    this.guard = savedGuard;
  }

  private visitLoop(node: Node, fn: FunctionScope | null): void {
    const condition = node.childForFieldName("condition")?.text ?? "";
    this.facts.loops.push({
      line: node.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      enclosing: fn?.qualname ?? null,
      isWhileTrue: node.type === "while_statement" && /^(True|1)$/.test(condition.trim()),
      header: firstLine(this.lineText(node.startPosition.row)),
    });
    if (fn && node.type === "for_statement") {
      const left = node.childForFieldName("left");
      if (left?.type === "identifier") fn.locals.set(left.text, null);
      if (left) this.recordFlow(fn, boundNames(left).map((id) => id.text), node.childForFieldName("right"), node);
    }
    // the iterable is evaluated once, outside the loop
    const iterable = node.childForFieldName("right");
    if (iterable) this.visit(iterable, fn);
    for (const child of node.namedChildren) {
      if (!child || sameNode(child, iterable)) continue;
      // a loop's `else:` runs once, after the loop
      const inBody = child.type !== "else_clause";
      if (inBody) this.loopDepth++;
      this.visit(child, fn);
      if (inBody) this.loopDepth--;
    }
  }

  /** A comprehension runs its element expression once per item: a loop in all but syntax. */
  private visitComprehension(node: Node, fn: FunctionScope | null): void {
    this.facts.loops.push({ line: node.startPosition.row + 1, endLine: node.endPosition.row + 1, enclosing: fn?.qualname ?? null, isWhileTrue: false });
    this.loopDepth++;
    for (const child of node.namedChildren) if (child) this.visit(child, fn);
    this.loopDepth--;
  }

  private visitExcept(node: Node, fn: FunctionScope | null): void {
    const block = node.namedChildren.find((c) => c?.type === "block") ?? null;
    const types: string[] = [];
    for (const c of node.namedChildren) {
      if (!c || c.type === "block" || c.type === "comment") continue;
      const typeNode = c.type === "as_pattern" ? c.namedChildren[0] : c;
      if (!typeNode) continue;
      if (typeNode.type === "tuple") for (const t of typeNode.namedChildren) t && types.push(t.text);
      else types.push(typeNode.text);
    }
    const fact: ExceptFact = { line: node.startPosition.row + 1, types, body: classifyHandlerBody(block), enclosing: fn?.qualname ?? null };
    if (fact.body === "pass" || fact.body === "continue" || fact.body === "return") {
      // what the author left beside a silent handler: a comment saying why, and what the `try` was doing
      if (node.descendantsOfType("comment").length > 0 || /#/.test(this.lineText(node.startPosition.row))) fact.explained = true;
      const tryBody = node.parent?.type === "try_statement" ? node.parent.childForFieldName("body") : null;
      if (tryBody) {
        const statements = tryBody.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
        fact.tryAssignsOnly = statements.length > 0 && statements.every((st) => st.type === "expression_statement" && (st.namedChildren[0]?.type === "assignment" || st.namedChildren[0]?.type === "augmented_assignment"));
        fact.tryCalls = [...new Set(tryBody.descendantsOfType("call").map((c) => c?.childForFieldName("function")?.text.split(".").pop() ?? "").filter(Boolean))].slice(0, 12);
      }
      if (this.guard) fact.guard = this.guard;
      // `try: ... except Exception: pass` followed by `return default`: the except falls back on purpose
      let next = node.parent?.type === "try_statement" ? node.parent.nextNamedSibling : null;
      while (next?.type === "comment") next = next.nextNamedSibling;
      if (next?.type === "return_statement") fact.fallbackReturn = true;
    }
    this.facts.excepts.push(fact);
  }

  private recordRaise(node: Node, fn: FunctionScope | null): void {
    const expr = node.namedChildren.find((c) => c !== null && c.type !== "comment") ?? null;
    if (!expr) return;
    const head = expr.type === "call" ? expr.childForFieldName("function") : expr;
    this.facts.raises.push({ line: node.startPosition.row + 1, text: cut(expr.text), qualified: this.scope.qualify(head, fn), enclosing: fn?.qualname ?? null, guard: this.guard });
  }

  private visitWith(node: Node, fn: FunctionScope | null): void {
    if (!fn) return;
    for (const item of node.descendantsOfType("as_pattern")) {
      if (!item) continue;
      const value = item.namedChildren[0];
      const target = item.childForFieldName("alias") ?? item.namedChildren[1];
      const name = target?.type === "as_pattern_target" ? target.namedChildren[0]?.text : target?.text;
      if (!name || !value) continue;
      const q = value.type === "call" ? this.scope.qualify(value, fn) : null;
      fn.locals.set(name, q ? contextResult(q) : null);
      this.recordFlow(fn, [name], value, item);
    }
  }

  private visitAssignment(node: Node, fn: FunctionScope | null): void {
    const left = node.childForFieldName("left");
    if (!left) return;
    if (node.type === "assignment" && (left.type === "subscript" || left.type === "attribute")) this.recordLiteralStore(left, node.childForFieldName("right"), node);
    if (!fn) {
      if (node.type === "assignment" && this.currentClass === null) {
        const fact = this.readAssignment(node, null);
        if (fact) this.facts.assignments.push(fact);
      }
      return;
    }
    const flowTarget = left.type === "subscript" ? containerName(left) : null;
    const targets = flowTarget ? [flowTarget] : boundNames(left).map((id) => id.text);
    this.recordFlow(fn, targets, node.childForFieldName("right"), node);
    if (node.type === "augmented_assignment") {
      if (left.type === "identifier" && fn.locals.has(`global:${left.text}`)) this.recordMutation(left.text, fn, "augmented", node);
      else this.recordSubscriptMutation(left, fn, "augmented", node);
      return;
    }
    if (left.type === "subscript") {
      this.recordSubscriptMutation(left, fn, "subscript", node);
      return;
    }
    // `obj.attr = v` sets an attribute: it binds no name (and must not forget what `obj` is)
    if (left.type === "attribute") return;
    for (const id of boundNames(left)) {
      if (!id) continue;
      if (fn.locals.has(`global:${id.text}`)) {
        this.recordMutation(id.text, fn, "global", node);
        continue;
      }
      const right = node.childForFieldName("right");
      const typeNode = node.childForFieldName("type");
      let value: string | null = null;
      if (typeNode) value = this.readAnnotation(typeNode, fn).qualified;
      else if (left.type === "identifier" && right?.type === "call") value = this.scope.qualify(right, fn);
      else if (left.type === "identifier" && right?.type === "await") value = this.scope.qualify(right, fn);
      fn.locals.set(id.text, value);
    }
  }

  private readAssignment(node: Node, fn: FunctionScope | null): AssignmentFact | null {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (left?.type !== "identifier") return null;
    const typeNode = node.childForFieldName("type");
    const line = node.startPosition.row + 1;
    if (!right) {
      const bare: AssignmentFact = { target: left.text, line, kind: "other", text: "", annotation: typeNode ? cut(typeNode.text) : null };
      // `user: Annotated[User, Depends(get_current_user)]` on a class-based view
      const dependency = typeNode ? this.readAnnotation(typeNode, fn).dependency : null;
      if (dependency) bare.dependency = dependency;
      return bare;
    }
    const kind = valueKind(right);
    // collections keep more of their text: settings such as DATABASES or MIDDLEWARE are read from it
    const fact: AssignmentFact = { target: left.text, line, kind, text: cut(right.text, COLLECTION_KINDS.has(kind) ? 2000 : 200), annotation: typeNode ? cut(typeNode.text) : null };
    const items = collectionItems(right);
    if (items) fact.items = items;
    const literal = literalValue(right);
    if (literal !== undefined) fact.value = literal;
    if (right.type === "call") {
      fact.callee = this.scope.qualify(right.childForFieldName("function"), fn);
      fact.args = this.readArgs(right, fn);
      // `user: User = Depends(get_current_user)` on a class-based view
      const dependency = this.readDependency(right, fn) ?? (typeNode ? this.readAnnotation(typeNode, fn).dependency : null);
      if (dependency) fact.dependency = dependency;
    }
    if (right.type === "subscript" || right.type === "generic_type") {
      const annotated = this.readAnnotation(right, fn);
      if (annotated.dependency) {
        fact.dependency = annotated.dependency;
        fact.annotatedType = annotated.qualified;
      }
    }
    return fact;
  }

  private recordSubscriptMutation(target: Node | null, fn: FunctionScope, how: "subscript" | "augmented" | "del", node: Node): void {
    if (target?.type !== "subscript") return;
    const container = containerName(target);
    if (container) this.recordMutation(container, fn, how, node);
  }

  /** A write to `name` (or `module.NAME`) from inside `fn`, when it names module-level state rather than a local. */
  private recordMutation(name: string, fn: FunctionScope, how: "subscript" | "method" | "augmented" | "global" | "del", node: Node): void {
    const dot = name.indexOf(".");
    const head = dot < 0 ? name : name.slice(0, dot);
    const rest = dot < 0 ? "" : name.slice(dot);
    const isGlobal = fn.locals.has(`global:${head}`);
    if (!isGlobal) {
      for (let s: FunctionScope | null = fn; s; s = s.parent) if (s.locals.has(head) || s.params.has(head)) return;
    }
    const bound = this.scope.bindings.get(head) ?? null;
    if (!bound && !isGlobal) return;
    // `module.NAME[...] = v` only counts through an imported module, not through an object's attribute
    if (rest && (!bound || bound.startsWith("#"))) return;
    const mutation: MutationFact = {
      name,
      qualified: `${bound ?? `#${head}`}${rest}`,
      how,
      line: node.startPosition.row + 1,
      enclosing: fn.qualname,
      snippet: firstLine(node.text),
    };
    if (this.guard) mutation.guard = this.guard;
    this.facts.mutations.push(mutation);
  }

  private visitCall(node: Node, fn: FunctionScope | null): void {
    const callee = node.childForFieldName("function");
    if (!callee) return;
    const qualifiedCallee = this.scope.qualify(callee, fn);
    const call: CallFact = {
      callee: cut(callee.text.replace(/\s+/g, ""), 120),
      qualified: qualifiedCallee,
      args: this.readArgs(node, fn),
      hasStarArgs: (node.childForFieldName("arguments")?.namedChildren ?? []).some((a) => a?.type === "list_splat" || a?.type === "dictionary_splat"),
      enclosing: fn?.qualname ?? null,
      awaited: node.parent?.type === "await",
      inLoop: this.loopDepth > 0,
      guard: this.guard,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
      snippet: firstLine(this.lineText(node.startPosition.row)),
    };
    if (call.hasStarArgs) {
      const unpacked = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a?.type === "dictionary_splat").map((a) => cut(a?.namedChildren[0]?.text ?? "", 120));
      if (unpacked.length) call.unpacked = unpacked;
    }
    this.facts.calls.push(call);
    if (fn && callee.type === "attribute") {
      const method = callee.childForFieldName("attribute")?.text ?? "";
      const object = callee.childForFieldName("object");
      const container = object ? containerName(object) : null;
      if (MUTATING_METHODS.has(method) && container) {
        this.recordMutation(container, fn, "method", node);
        if (!container.includes(".")) this.recordFlow(fn, [container], node.childForFieldName("arguments"), node);
      }
    }
  }

  private readArgs(call: Node, fn: FunctionScope | null): ArgumentFact[] {
    const args = call.childForFieldName("arguments");
    const out: ArgumentFact[] = [];
    for (const a of args?.namedChildren ?? []) {
      if (!a || a.type === "comment" || a.type === "list_splat" || a.type === "dictionary_splat") continue;
      const isKeyword = a.type === "keyword_argument";
      const value = isKeyword ? a.childForFieldName("value") : a;
      if (!value) continue;
      const fact: ArgumentFact = { name: isKeyword ? (a.childForFieldName("name")?.text ?? null) : null, text: cut(value.text), kind: valueKind(value) };
      const items = collectionItems(value);
      if (items) fact.items = items;
      const literal = literalValue(value);
      if (literal !== undefined) fact.value = literal;
      if (value.type === "identifier" || value.type === "attribute") {
        const q = this.scope.qualify(value, fn);
        if (q) fact.qualified = q;
      }
      if (fn && !LITERAL_KINDS.has(fact.kind)) {
        const used = paramsUsedIn(fact.text, fn);
        if (used.length) fact.usesParams = used;
        const full = value.text.length > MAX_FLOW_TEXT ? value.text.slice(0, MAX_FLOW_TEXT) : value.text;
        const reads = namesRead(full);
        if (reads.length) fact.reads = reads;
        const sources = requestSources(full);
        if (sources.length) fact.sources = sources;
        if (BUILT_STRINGS.has(fact.kind)) Object.assign(fact, leading(full));
      }
      // only FastAPI dependency markers need a walk inside the argument
      const deps: DependencyFact[] = [];
      if (fact.text.includes("Depends") || fact.text.includes("Security")) {
        for (const call of value.type === "call" ? [value] : value.descendantsOfType("call")) {
          const dep = call ? this.readDependency(call, fn) : null;
          if (dep) deps.push(dep);
        }
      }
      if (deps.length) fact.dependencies = deps;
      out.push(fact);
    }
    return out;
  }

  /** `app.config["SECRET_KEY"] = "…"`, `app.secret_key = "…"`: a string literal stored into an item or an attribute. */
  private recordLiteralStore(left: Node, right: Node | null, node: Node): void {
    // `app.config["WTF_CSRF_ENABLED"] = False`: switches are kept apart from strings
    const isSwitch = right?.type === "true" || right?.type === "false";
    if (right?.type !== "string" && !isSwitch) return;
    const value = isSwitch ? right?.type === "true" : literalValue(right as Node);
    if (typeof value !== "string" && typeof value !== "boolean") return;
    let target: Node | null;
    let key: unknown;
    if (left.type === "subscript") {
      target = left.childForFieldName("value");
      const index = left.childForFieldName("subscript");
      key = index?.type === "string" ? literalValue(index) : undefined;
    } else {
      target = left.childForFieldName("object");
      key = left.childForFieldName("attribute")?.text;
    }
    if (!target || typeof key !== "string" || !/^[\w.]+$/.test(target.text)) return;
    if (typeof value === "boolean") {
      this.facts.switchStores ??= [];
      this.facts.switchStores.push({ target: target.text, key, value, line: node.startPosition.row + 1 });
      return;
    }
    this.facts.literalStores ??= [];
    this.facts.literalStores.push({ target: target.text, key, value, line: node.startPosition.row + 1 });
  }

  /** A value moving into names inside a function, for taint tracking; constants move nothing and are not recorded. */
  private recordFlow(fn: FunctionScope | null, targets: string[], value: Node | null, at: Node): void {
    if (!fn || !value || !targets.length) return;
    const text = value.text.length > MAX_FLOW_TEXT ? value.text.slice(0, MAX_FLOW_TEXT) : value.text;
    const reads = namesRead(text);
    const sources = requestSources(text);
    const callNode = value.type === "await" ? value.namedChildren[0] : value;
    const calleeNode = callNode?.type === "call" ? callNode.childForFieldName("function") : null;
    const call = calleeNode ? this.scope.qualify(calleeNode, fn) : null;
    if (!reads.length && !sources.length && !call) return;
    const flow: FlowFact = { enclosing: fn.qualname, line: at.startPosition.row + 1, targets, reads };
    if (sources.length) flow.sources = sources;
    if (call) flow.call = call;
    if (calleeNode) flow.callee = cut(calleeNode.text.replace(/\s+/g, ""), 120);
    const kind = valueKind(value);
    if (BUILT_STRINGS.has(kind)) Object.assign(flow, leading(text));
    // `[f for f in names if f in ALLOWED]`, `... if self.fields and f in self.fields`: a filter that keeps members
    if (kind === "comprehension" && /\bif\b[\s\S]*?\b[\w.]+\s+in\s+[\w.]+/.test(text.slice(text.search(/\bif\b/) < 0 ? text.length : text.search(/\bif\b/)))) flow.allowListed = true;
    this.facts.flows.push(flow);
  }

  private recordSqlString(node: Node, fn: FunctionScope | null): void {
    // most strings are docstrings and messages: a cheap look at the text first
    if (!SQL_WORD.test(node.text.slice(0, 200))) return;
    if (node.type === "binary_operator" && node.parent?.type === "binary_operator") return;
    if (node.type === "string" && (node.parent?.type === "concatenated_string" || node.parent?.type === "binary_operator")) return;
    const kind = valueKind(node);
    if (node.type === "binary_operator" && kind !== "concat" && kind !== "percent") return;
    const text = leadingStringText(node);
    if (text === null || !looksLikeSql(text.slice(0, 400))) return;
    this.facts.sqlStrings.push({ line: node.startPosition.row + 1, kind, text: cut(node.text), enclosing: fn?.qualname ?? null });
  }

  private readonly dotted = new Set<string>();

  /** `"app.tasks.send_invoice"`: dotted names written as strings (task names in schedules, import strings in settings). */
  private recordDottedString(node: Node): void {
    const text = node.text;
    if (text.length > 130 || !text.includes(".") || /\s/.test(text)) return;
    const value = literalValue(node);
    if (typeof value !== "string" || !DOTTED_NAME.test(value) || this.dotted.has(value)) return;
    this.dotted.add(value);
    this.facts.dottedStrings.push(value);
  }

  private lineCache: string[] | null = null;
  private lineText(row: number): string {
    this.lineCache ??= this.source.split("\n");
    return this.lineCache[row] ?? "";
  }
}

/** Names a target binds: `a`, `a, b`, `(a, [b, *c])`; attributes and subscripts inside patterns bind none. */
function boundNames(target: Node): Node[] {
  if (target.type === "identifier") return [target];
  if (target.type === "pattern_list" || target.type === "tuple_pattern" || target.type === "list_pattern" || target.type === "list_splat_pattern" || target.type === "tuple" || target.type === "list" || target.type === "parenthesized_expression") {
    return target.namedChildren.flatMap((c) => (c ? boundNames(c) : []));
  }
  return [];
}

/** The container a subscript or method call changes: `cache` in `cache[k]`, `state.CACHE` in `state.CACHE[k][j]`. */
function containerName(node: Node): string | null {
  let container: Node | null = node;
  while (container?.type === "subscript") container = container.childForFieldName("value");
  if (!container) return null;
  if (container.type === "identifier") return container.text;
  if (container.type === "attribute" && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(container.text)) return container.text;
  return null;
}

const COLLECTION_KINDS = new Set(["list", "tuple", "set", "dict"]);
const BUILT_STRINGS = new Set(["fstring", "concat", "format", "percent"]);

/** `prefix` or `leadingReads` of a string built from parts, as fact fields. */
function leading(text: string): { prefix?: string; leadingReads?: string[] } {
  const part = leadingPart(text);
  if (!part) return {};
  return part.reads.length ? { prefix: part.prefix, leadingReads: part.reads } : { prefix: part.prefix };
}

/** Expressions longer than this are read for names only this far: a generated literal must not cost a full scan. */
const MAX_FLOW_TEXT = 4000;
const MAX_ITEMS = 500;

/** Elements of a list, tuple or set literal: string values as such, names and other expressions as their text. */
function collectionItems(node: Node): string[] | null {
  if (node.type !== "list" && node.type !== "tuple" && node.type !== "set") return null;
  const out: string[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === "comment") continue;
    if (out.length >= MAX_ITEMS) break;
    const value = literalValue(child);
    out.push(typeof value === "string" ? value : cut(child.text.replace(/\s+/g, " ")));
  }
  return out;
}

function sameNode(a: Node | null, b: Node | null): boolean {
  return a !== null && b !== null && a.id === b.id;
}

/** Parameters of `fn` (and enclosing functions) named in an expression's text, as identifiers. */
function paramsUsedIn(text: string, fn: FunctionScope): string[] {
  const used = new Set<string>();
  for (let s: FunctionScope | null = fn; s; s = s.parent) {
    for (const name of s.params) {
      if (name === "self" || name === "cls" || !text.includes(name)) continue;
      if (parameterUse(name).test(text)) used.add(name);
    }
  }
  return [...used].sort();
}

/** `name` read as a value (not `x.name`, not `name=` as a keyword); compiled once per name. */
function parameterUse(name: string): RegExp {
  let pattern = PARAMETER_USES.get(name);
  if (!pattern) {
    pattern = new RegExp(`(^|[^\\w.])${name}(?![\\w]|\\s*=[^=])`);
    if (PARAMETER_USES.size > 10_000) PARAMETER_USES.clear();
    PARAMETER_USES.set(name, pattern);
  }
  return pattern;
}

const PARAMETER_USES = new Map<string, RegExp>();


/** `with X() as x`: sessions, clients and connections return themselves from `__enter__`. */
function contextResult(q: string): string {
  return q;
}

function classifyHandlerBody(block: Node | null): ExceptFact["body"] {
  if (!block) return "other";
  const statements = block.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
  const text = block.text;
  if (statements.some((s) => s.type === "raise_statement") || /\braise\b/.test(text)) return "reraise";
  if (LOG_METHODS.test(text) || /\bprint\s*\(/.test(text) || /\btraceback\.print_exc\(/.test(text)) return "log";
  if (statements.length === 1) {
    const only = statements[0] as Node;
    if (only.type === "pass_statement") return "pass";
    if (only.type === "continue_statement") return "continue";
    if (only.type === "return_statement") return "return";
    if (only.type === "expression_statement" && only.text.trim() === "...") return "pass";
  }
  return "other";
}
