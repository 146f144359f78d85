/**
 * Static checks of the project's shape, read from the TypeScript sources with the compiler's own
 * parser (no execution): the import graph between folders and the length of every function.
 * Used by __tests__/architecture.test.ts (`npm run check:architecture`).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.join(__dirname, "..");

/** Packages that are the CDKTF framework: pure code must not load them. */
export const CDKTF_PACKAGES = /^(cdktf|cdktn|constructs|@cdktf\/provider-aws)(\/|$)/;

const parsed = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

/** Every .ts file under the given root-relative files or folders (absolute paths, sorted). */
export function tsFiles(...roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) out.push(p);
  };
  for (const r of roots) walk(path.join(ROOT, r));
  return out;
}

/**
 * The module specifiers a file loads at run time: `import ... from`, `export ... from`,
 * `import x = require()`, `require()` and `import()`. Imports marked `type` are left out.
 */
export function runtimeImports(file: string): string[] {
  const specs: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
        !clause.name &&
        clause.namedBindings &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.namedBindings.elements.length > 0
          ? clause.namedBindings.elements.every((e) => e.isTypeOnly)
          : false);
      if (!typeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) specs.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e) && !node.isTypeOnly) specs.push(e.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceOf(file));
  return specs;
}

/** A relative specifier resolved to a project file (absolute), or undefined for a package. */
export function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Root-relative path with forward slashes. */
export const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join("/");

/**
 * Import chains from `entry` that reach a package matching `forbidden`, following project files
 * (.ts only; JSON data and plain JS stay leaves). Each chain reads `a.ts -> b.ts -> package`.
 */
export function chainsToPackage(entry: string, forbidden: RegExp): string[] {
  const chains: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) {
        if (local.endsWith(".ts")) walk(local, [...trail, rel(local)]);
      } else if (forbidden.test(spec)) chains.push([...trail, spec].join(" -> "));
    }
  };
  walk(entry, [rel(entry)]);
  return chains;
}

/** Imports from files under `fromDir` into files under one of `intoDirs` ("lib/x.ts imports modules/y.ts"). */
export function folderImports(fromDir: string, intoDirs: string[]): string[] {
  const out: string[] = [];
  for (const file of tsFiles(fromDir))
    for (const spec of runtimeImportsAndTypes(file)) {
      const local = resolveLocal(file, spec);
      if (local && intoDirs.some((d) => rel(local) === d || rel(local).startsWith(`${d}/`))) out.push(`${rel(file)} imports ${rel(local)}`);
    }
  return out;
}

/** Every module specifier of a file, type-only imports included (a folder dependency either way). */
function runtimeImportsAndTypes(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

export interface LongFunction {
  /** `file: Class.method` (no line number, which would change with every edit above it). */
  readonly id: string;
  readonly lines: number;
}

function functionName(node: ts.Node, sf: ts.SourceFile): string {
  const cls = (n: ts.Node) => (n.parent && ts.isClassLike(n.parent) && n.parent.name ? `${n.parent.name.text}.` : "");
  if (ts.isConstructorDeclaration(node)) return `${cls(node)}constructor`;
  if ((ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isFunctionDeclaration(node)) && node.name)
    return `${cls(node)}${node.name.getText(sf)}`;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name)
    return `${ts.isPropertyDeclaration(parent) ? cls(parent) : ""}${parent.name.getText(sf)}`;
  return `<anonymous at line ${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}>`;
}

/** Functions (declarations, methods, constructors, arrows, expressions) longer than `max` lines. */
export function longFunctions(files: string[], max: number): LongFunction[] {
  const out: LongFunction[] = [];
  for (const file of files) {
    const sf = sourceOf(file);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > max) out.push({ id: `${rel(file)}: ${functionName(node, sf)}`, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Numeric literals with one of `values` (the AWS quotas), as `file:line value`, outside `except`. */
export function numberLiterals(files: string[], values: readonly number[], except: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const file of files) {
    if (except.includes(rel(file))) continue;
    const sf = sourceOf(file);
    const visit = (node: ts.Node) => {
      if (ts.isNumericLiteral(node) && values.includes(Number(node.text)))
        out.push(`${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${node.text}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Calls that cut a string by position. */
const CUTS = new Set(["slice", "substring", "substr"]);
/** Names of what holds rendered Terraform or JSON text: its structure is not a cutting matter. */
const RENDERED = /jsonencode|hcl|json|render|template/i;

/**
 * Positional cuts of rendered text, as `file:line text`: `.slice()`, `.substring()` or `.substr()`
 * on a template literal, or on a call or variable whose name says it holds rendered Terraform or
 * JSON (`jsonencodePolicy(doc).slice(2, -1)`, `apHcl.slice(1, -1)`). Cutting a rendering by
 * position silently breaks when the renderer changes; the expression toolkit returns each form
 * that is needed instead.
 */
export function renderedCuts(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const sf = sourceOf(file);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && CUTS.has(node.expression.name.text)) {
        const receiver = node.expression.expression;
        const named = ts.isCallExpression(receiver) ? receiver.expression : receiver;
        const name = ts.isPropertyAccessExpression(named) ? named.name.text : ts.isIdentifier(named) ? named.text : "";
        if (ts.isTemplateExpression(receiver) || ts.isNoSubstitutionTemplateLiteral(receiver) || RENDERED.test(name))
          out.push(`${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${node.getText(sf).slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * Hand-written printers of HCL string lists, as `file:line text`: a template that joins quoted
 * strings into `[...]` (`[${xs.map((x) => JSON.stringify(x)).join(", ")}]`, or with `"${x}"`).
 * Such a printer forgets to escape `${` and `%{` sooner or later; `hclStrings` of
 * lib/policy/render.ts escapes as every other rendered string does. A list of expressions
 * (`flatten([${parts.join(", ")}])`) is not a string list and is not matched.
 */
export function handPrintedStringLists(files: string[]): string[] {
  const out: string[] = [];
  const quoted = /\.map\(\s*\(?\w+\)?\s*=>\s*(JSON\.stringify\(|`"\$\{)[^]*?\.join\(\s*", "\s*\)/;
  for (const file of files) {
    const sf = sourceOf(file);
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node)) {
        const text = node.getText(sf);
        if (/\[\$\{/.test(text) && quoted.test(text))
          out.push(`${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${text.slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
