/**
 * Entry point of the `wth` CLI. Each subcommand lives in its own module under `commands/` and
 * is imported only when used, so `wth diff` never loads the server and its database driver.
 */
export interface Command {
  /** One line shown by `wth help`. */
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
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
};

export async function main(argv: string[]): Promise<number> {
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
  const { command } = await load();
  try {
    return await command.run(rest);
  } catch (err) {
    // Errors meant for the operator (a missing setting, say) read better without a stack trace.
    if (err instanceof Error && (err as { userFacing?: unknown }).userFacing === true) {
      process.stderr.write(`wth ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function printHelp(): Promise<void> {
  const lines = ["usage: wth <command> [options]", "", "commands:"];
  for (const [name, load] of Object.entries(commands)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
