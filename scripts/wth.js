#!/usr/bin/env node
// The `wth` CLI is TypeScript; this shim registers tsx so one node process (one PID) runs it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
