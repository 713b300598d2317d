import { NEXT_CURSOR_FIELDS } from "./pagination.ts";
import type { Visitors } from "./visitor.ts";

/**
 * The detection the four "made required / made optional" rules share: a property on both sides
 * whose `required` flag flipped to `nowRequired`, in one direction. Response pagination fields
 * are left to the pagination rules.
 */
export function requiredFlipVisitors(
  direction: "input" | "output",
  nowRequired: boolean,
  message: (field: string) => string,
): Visitors {
  return {
    properties(node, ctx) {
      if (node.direction !== direction) return;
      for (const k of node.common) {
        if (direction === "output" && NEXT_CURSOR_FIELDS.has(k)) continue;
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (was !== is && is === nowRequired)
          ctx.report({ pointer: node.at(k), before: was, after: is, message: message(k) });
      }
    },
  };
}
