// The store thread's first module. It registers tsx in this thread, as scripts/wth.js does for
// the process: Node 20 does not hand a parent's module hooks on to its worker threads.
import { register } from "tsx/esm/api";

register();
await import("./store-thread-entry.ts");
