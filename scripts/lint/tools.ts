import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The toolkit's own checkout: where the lint configuration and the linters are installed. */
export const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The house rules are the toolkit's, whichever checkout is linted. */
export const REDOCLY_CONFIG = path.join(TOOL_ROOT, "redocly.yaml");
export const SPECTRAL_RULESET = path.join(TOOL_ROOT, ".spectral.yaml");

const require = createRequire(import.meta.url);

/** The JavaScript entry point of an installed package's command-line tool. */
function binOf(packageName: string, binName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[binName];
  if (bin === undefined) throw new Error(`${packageName} has no "${binName}" command`);
  return path.join(path.dirname(manifestPath), bin);
}

export const REDOCLY_BIN = binOf("@redocly/cli", "redocly");
export const SPECTRAL_BIN = binOf("@stoplight/spectral-cli", "spectral");

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a linter's CLI in its own Node process (the one we run on) and collects its output.
 * Telemetry and update checks stay off: linting never reaches the network.
 */
export function runTool(bin: string, args: string[], cwd: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: "off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        NO_UPDATE_NOTIFIER: "1",
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? (signal === null ? 1 : 128),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** The last meaningful lines of a tool's chatter, without Redocly's boxed Node 20 banner. */
export function tail(run: ToolRun, lines = 8): string {
  return `${run.stderr}\n${run.stdout}`
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !/^\s*[║╔╚]/.test(line))
    .slice(-lines)
    .join(" | ");
}

/** `target` relative to `root`, with forward slashes (how findings name files). */
export function relativeTo(root: string, target: string): string {
  return path.relative(root, path.resolve(root, target)).split(path.sep).join("/");
}
