/**
 * A throw-away copy of the repository for tests and benchmarks that mint versions: the files
 * git knows about (tracked, plus new files not ignored), with node_modules linked rather than
 * copied. The real checkout never gains a test version.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../server/versions/registry.ts";

export function copyRepository(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const listed = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  )
    .toString("utf8")
    .split("\0")
    // `node_modules` alone is a linked node_modules (a git worktree's), which .gitignore's
    // `node_modules/` does not match.
    .filter((f) => f !== "" && f !== "node_modules" && !/^(node_modules|data)\//.test(f));
  for (const file of listed) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}
