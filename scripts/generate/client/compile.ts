/**
 * Compiles the client's TypeScript sources to ESM JavaScript and declarations, in memory and one
 * file at a time (transpileModule / transpileDeclaration): no file system, no program-wide
 * inference, so the output depends only on the source text and the compiler version.
 */
import ts from "typescript";

/** A TypeScript source to compile; `name` is its path inside the package, e.g. `runtime/client.ts`. */
export interface SourceFile {
  name: string;
  source: string;
}

/** A compiled output; `name` is its path inside the package, e.g. `runtime/client.js`. */
export interface OutputFile {
  name: string;
  contents: string;
}

const JS_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  strict: true,
  rewriteRelativeImportExtensions: true,
  removeComments: false,
  newLine: ts.NewLineKind.LineFeed,
};
const DECLARATION_OPTIONS: ts.CompilerOptions = {
  ...JS_OPTIONS,
  declaration: true,
  isolatedDeclarations: true,
};

/**
 * Compiles each source to `.js` and `.d.ts`, prefixing both with `header`. Throws, naming the
 * file, if a declaration cannot be produced in isolation (an export without an explicit type).
 */
export function compileSources(sources: readonly SourceFile[], header: string): OutputFile[] {
  const outputs: OutputFile[] = [];
  for (const { name, source } of sources) {
    const base = name.replace(/\.ts$/, "");
    const js = ts.transpileModule(source, {
      compilerOptions: JS_OPTIONS,
      fileName: name,
      reportDiagnostics: true,
    });
    const dts = ts.transpileDeclaration(source, {
      compilerOptions: DECLARATION_OPTIONS,
      fileName: name,
      reportDiagnostics: true,
    });
    const problems = [...(js.diagnostics ?? []), ...(dts.diagnostics ?? [])];
    if (problems.length > 0) {
      const text = problems
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))
        .join("\n  ");
      throw new Error(`client: cannot compile ${name}:\n  ${text}`);
    }
    outputs.push({ name: `${base}.js`, contents: header + js.outputText });
    outputs.push({ name: `${base}.d.ts`, contents: header + rewriteTsSpecifiers(dts.outputText) });
  }
  return outputs;
}

/**
 * Declarations keep `./x.ts` specifiers as written; published declarations must name `./x.js`,
 * which TypeScript then maps to `./x.d.ts` in the integrator's project.
 */
function rewriteTsSpecifiers(text: string): string {
  return text.replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1");
}
