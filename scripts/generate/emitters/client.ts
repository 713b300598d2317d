import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { compileSources, type SourceFile } from "../client/compile.ts";
import { entrySource } from "../client/entry.ts";
import { additiveSinceRelease, clientPackageVersion } from "../client/package-version.ts";
import type { Emitter, EmitterContext, GeneratedFile, JsonValue } from "../context.ts";
import { TOOL_ROOT } from "../tools.ts";

/** The runtime's one home (client-runtime/README.md); every version's package compiles it in. */
export const RUNTIME_DIR = path.join(TOOL_ROOT, "client-runtime");
/** The guide integrators follow; the package README and entry doc comment point to it. */
const GUIDE = "docs/client.md in the WatchTraderHub API repository";

/** The npm name of the client package of one version. */
export function clientPackageName(version: string): string {
  return `@watchtraderhub/api-${version}`;
}

/**
 * `client/`: an installable npm package per version — the shared runtime (`client-runtime/src`)
 * compiled to ESM with declarations, an entry that binds it to this version's openapi-typescript
 * types, and a package.json depending only on the runtime's one dependency, openapi-fetch.
 */
export const emitClient: Emitter = async (ctx) => {
  const dir = `${ctx.outDir}/client`;
  const jsHeader = `// ${ctx.banner}\n`;
  const packageName = clientPackageName(ctx.version);
  const sources: SourceFile[] = [
    ...(await runtimeSources()),
    {
      name: "index.ts",
      source: entrySource({
        version: ctx.version,
        packageName,
        schemaNames: schemaNames(ctx),
        guideUrl: GUIDE,
      }),
    },
  ];
  const compiled = compileSources(sources, jsHeader).map((file) => ({
    path: `${dir}/${file.name}`,
    contents: file.contents,
  }));
  const files: GeneratedFile[] = [
    {
      path: `${dir}/package.json`,
      contents: packageJson(
        ctx,
        packageName,
        await runtimeDependencies(),
        clientPackageVersion(ctx.version, await additiveSinceRelease(ctx.root, ctx.version)),
      ),
    },
    { path: `${dir}/README.md`, contents: readme(ctx, packageName) },
    { path: `${dir}/types.d.ts`, contents: await typesSource(ctx) },
    ...compiled,
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};

/**
 * openapi-typescript's types, as in `types.ts`, except that a request field with a `default`
 * stays optional (`defaultNonNullable: false`): an integrator may omit `box` when creating a
 * listing. Response fields are unaffected where the document lists them as `required`.
 */
async function typesSource(ctx: EmitterContext): Promise<string> {
  // openapiTS annotates the object it is given; hand it a copy so other emitters see the original.
  // The bundle is a linted OpenAPI 3.1 document; its JSON type is simply looser than OpenAPI3.
  const ast = await openapiTS(structuredClone(ctx.bundled) as unknown as OpenAPI3, {
    silent: true,
    defaultNonNullable: false,
  });
  return `/**\n * ${ctx.banner}\n */\n\n${astToString(ast)}`;
}

async function runtimeSources(): Promise<SourceFile[]> {
  const src = path.join(RUNTIME_DIR, "src");
  const names = (await readdir(src)).filter((name) => name.endsWith(".ts")).sort();
  return Promise.all(
    names.map(async (name) => ({
      name: `runtime/${name}`,
      source: await readFile(path.join(src, name), "utf8"),
    })),
  );
}

/** The runtime's dependencies as client-runtime/package.json declares them: one source of truth. */
async function runtimeDependencies(): Promise<Record<string, string>> {
  const file = path.join(RUNTIME_DIR, "package.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as { dependencies?: unknown };
  const deps = manifest.dependencies;
  if (
    typeof deps !== "object" ||
    deps === null ||
    Object.values(deps).some((range) => typeof range !== "string")
  ) {
    throw new Error(`client: ${file} has no dependencies object of version ranges`);
  }
  return deps as Record<string, string>;
}

export function firstServerUrl(ctx: EmitterContext): string {
  const servers = ctx.document.servers;
  const first = Array.isArray(servers) ? servers[0] : undefined;
  const url = isObject(first) ? first.url : undefined;
  if (typeof url !== "string") throw new Error("client: the document has no servers[0].url");
  return url.replace(/\/+$/, "");
}

function schemaNames(ctx: EmitterContext): string[] {
  const components = ctx.document.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  if (!isObject(schemas) || !isObject(schemas.ApiError)) {
    throw new Error(
      "client: the document has no components.schemas.ApiError; the client types `error` with it",
    );
  }
  return Object.keys(schemas);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function packageJson(
  ctx: EmitterContext,
  name: string,
  dependencies: Record<string, string>,
  version: string,
): string {
  const manifest = {
    "//": ctx.banner,
    name,
    version,
    description: `Typed client for the WatchTraderHub API, version ${ctx.version}.`,
    type: "module",
    main: "./index.js",
    types: "./index.d.ts",
    exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
    files: ["*.js", "*.d.ts", "runtime/", "README.md"],
    sideEffects: false,
    engines: { node: ">=20" },
    dependencies,
    keywords: ["watchtraderhub", "openapi", "api-client", ctx.version],
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function readme(ctx: EmitterContext, name: string): string {
  return `<!-- ${ctx.banner} -->
# ${name}

Typed client for the WatchTraderHub API, version **${ctx.version}**: typed calls for every
operation, auto-pagination, safe retries with idempotency keys, and webhook verification.

\`\`\`ts
import { createClient } from "${name}";

const wth = createClient({
  apiKey: process.env.WTH_API_KEY ?? "",
  baseUrl: process.env.WTH_BASE_URL ?? "http://localhost:3000",
});
const { data, error } = await wth.GET("/v1/integration");
\`\`\`

Install the client whose date matches your integration's pinned version (\`GET /v1/integration\`
→ \`api_version\`) from the API server: \`npm install <server>/sdk/${name}.tgz\`. The full guide
is ${GUIDE}.
`;
}
