/**
 * Finds code that reads `openapi/versions.json` itself instead of asking its owner
 * (server/versions/registry.ts). Parsed with the TypeScript compiler, so a mention of the file in
 * a message or a comment is not a read, and a write (a test fixture, the maintainer commands'
 * writer) is allowed; what counts is the registry's path reaching a read, directly or through a
 * variable, or a second VERSIONS_FILE constant.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface RegistryRead {
  file: string;
  line: number;
  what: string;
}

/** Calls that look at a file's content or existence: answering those is the owner's job. */
const READS =
  /^(readFile|readFileSync|createReadStream|existsSync|exists|statSync|stat|access|accessSync|open|openSync|readJson|require)$/;
/** Calls that build a path from parts. */
const PATH_BUILDERS = /^(join|resolve)$/;

function calleeName(call: ts.CallExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return "";
}

function isRegistryPart(node: ts.Node): boolean {
  if (ts.isStringLiteralLike(node)) return node.text.endsWith("versions.json");
  if (ts.isIdentifier(node)) return node.text === "VERSIONS_FILE";
  return false;
}

/** The expression the registry path ends up as: the path-building call around it, if any. */
function registryPath(node: ts.Node): ts.Node | undefined {
  if (!isRegistryPart(node)) return undefined;
  const parent = node.parent;
  if (
    parent !== undefined &&
    ts.isCallExpression(parent) &&
    parent.arguments.includes(node as ts.Expression)
  ) {
    if (PATH_BUILDERS.test(calleeName(parent))) return parent;
    if (READS.test(calleeName(parent))) return node;
  }
  return undefined;
}

/** Whether `node` is (inside) an argument of a read call. */
function readCallAround(node: ts.Node): ts.CallExpression | undefined {
  for (let at: ts.Node = node; at.parent !== undefined; at = at.parent) {
    const parent = at.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(at as ts.Expression)) {
      if (READS.test(calleeName(parent))) return parent;
      if (!PATH_BUILDERS.test(calleeName(parent))) return undefined;
    }
    if (ts.isVariableDeclaration(parent) || ts.isExpressionStatement(parent)) return undefined;
  }
  return undefined;
}

/** Every read of the registry in one source text. */
export function registryReadsIn(file: string, text: string): RegistryRead[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: RegistryRead[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      what,
    });
  /** Variables holding the registry's path, by name. */
  const pathVariables = new Set<string>();

  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      (node.name.text === "VERSIONS_FILE" ||
        (node.initializer !== undefined &&
          ts.isStringLiteralLike(node.initializer) &&
          node.initializer.text.endsWith("openapi/versions.json")))
    ) {
      at(node, `declares its own ${node.name.text}`);
    }
    const built = registryPath(node);
    if (built !== undefined) {
      if (readCallAround(built) !== undefined) at(node, "reads the registry's path");
      const declaration = built.parent;
      if (
        declaration !== undefined &&
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer === built &&
        ts.isIdentifier(declaration.name)
      ) {
        pathVariables.add(declaration.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  if (pathVariables.size > 0) {
    const uses = (node: ts.Node): void => {
      if (
        ts.isIdentifier(node) &&
        pathVariables.has(node.text) &&
        !ts.isVariableDeclaration(node.parent) &&
        readCallAround(node) !== undefined
      ) {
        at(node, `reads the registry's path through ${node.text}`);
      }
      ts.forEachChild(node, uses);
    };
    uses(source);
  }
  return found;
}

/** The TypeScript and JavaScript sources under `dirs` of `root`, relative to it. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const entries = fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" });
    for (const name of entries) {
      const rel = path.join(dir, name);
      if (rel.split(path.sep).includes("node_modules")) continue;
      if (!/\.(ts|mts|js|mjs)$/.test(name)) continue;
      out.push(rel);
    }
  }
  return out.sort();
}
