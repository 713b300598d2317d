import type { Command } from "../main.ts";

export const command: Command = {
  summary: "run the API server (PORT, DATA_DIR; prints a demo key on an empty database)",
  async run(args) {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(
        "usage: wth serve\n\nRuns the API on PORT (default 3000) with SQLite under DATA_DIR (default ./data).\n",
      );
      return 0;
    }
    const { runServerProcess } = await import("../../../server/main.ts");
    return runServerProcess();
  },
};
