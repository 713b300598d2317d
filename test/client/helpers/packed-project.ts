import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { type Finished, REPO_ROOT, run } from "./processes.ts";

const TSC = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");

/**
 * Turns `project` (whose `src/` the caller has filled) into an integrator's strict TypeScript
 * project that installs the client packed from `packageDir`, then type-checks it: what an
 * integrator does, so samples and snippets are compiled against the package as shipped.
 */
export async function installPackedClient(
  packageDir: string,
  work: string,
  project: string,
  name: string,
): Promise<{ installed: Finished; compiled: Finished }> {
  const packed = await run("npm", ["pack", "--pack-destination", work, "--json"], {
    cwd: packageDir,
  });
  expect(packed.code, packed.stderr).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  await writeFile(
    path.join(project, "package.json"),
    `${JSON.stringify({ name, private: true, type: "module" }, null, 2)}\n`,
  );
  await writeFile(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        rootDir: "src",
        outDir: "dist",
        types: ["node"],
        skipLibCheck: false,
      },
      include: ["src"],
    }),
  );
  // The same @types/node as this repository, so the npm cache usually has it already.
  const typesNode = JSON.parse(
    await readFile(path.join(REPO_ROOT, "node_modules/@types/node/package.json"), "utf8"),
  ) as { version: string };
  const installed = await run(
    "npm",
    [
      "install",
      path.join(work, filename),
      `@types/node@${typesNode.version}`,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
    ],
    { cwd: project },
  );
  const compiled = await run(process.execPath, [TSC, "-p", "."], { cwd: project });
  return { installed, compiled };
}
