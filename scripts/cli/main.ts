/**
 * Entry point of the `wth` CLI. Each subcommand lives in its own module under `commands/` and
 * is imported only when used, so `wth diff` never loads the server and its database driver.
 * The environment is read here once (server/config.ts, loadCliSettings) and passed down.
 */
import { type CliSettings, loadCliSettings } from "../../server/config.ts";

export interface Command {
  /** One line shown by `wth help`. */
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[], cli: CliSettings): Promise<number>;
}

const commands: Record<string, () => Promise<{ command: Command }>> = {
  lint: () => import("./commands/lint.ts"),
  generate: () => import("./commands/generate.ts"),
  bench: () => import("./commands/bench.ts"),
  serve: () => import("./commands/serve.ts"),
  worker: () => import("./commands/worker.ts"),
  integrations: () => import("./commands/integrations.ts"),
  diff: () => import("./commands/diff.ts"),
  check: () => import("./commands/check.ts"),
  mint: () => import("./commands/mint.ts"),
  release: () => import("./commands/release.ts"),
  additive: () => import("./commands/additive.ts"),
  listen: () => import("./commands/listen.ts"),
  trigger: () => import("./commands/trigger.ts"),
  changes: () => import("./commands/changes.ts"),
};

export async function main(argv: string[], cli: CliSettings = loadCliSettings()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (load === undefined) {
    process.stderr.write(`wth: unknown command "${name}". Run "wth help" for the list.\n`);
    return 2;
  }
  try {
    const { command } = await load();
    return await command.run(rest, cli);
  } catch (err) {
    // Every failure is one line naming what to do; the stack is for whoever debugs wth itself.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`wth ${name}: ${oneLine(message)}\n`);
    if (cli.debug && err instanceof Error) {
      process.stderr.write(`${err.stack}\n`);
    }
    return 1;
  }
}

/**
 * A message on one line: the lines of a multi-line message (a chain report, a failed import)
 * joined, so a CLI failure never spills a stack trace or an indented dump.
 */
export function oneLine(message: string): string {
  return message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("at "))
    .join(" ");
}

async function printHelp(): Promise<void> {
  const lines = ["usage: wth <command> [options]", "", "commands:"];
  for (const [name, load] of Object.entries(commands)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
