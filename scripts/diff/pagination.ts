/** The names that carry DESIGN.md's pagination contract (and common spellings of them). */

/** Query parameters that carry a list's cursor. */
export const CURSOR_PARAMETERS = new Set([
  "starting_after",
  "ending_before",
  "cursor",
  "after",
  "before",
]);
export const LIMIT_PARAMETERS = new Set(["limit"]);

/** Response fields that carry the pagination contract. */
export const NEXT_CURSOR_FIELDS = new Set(["next_cursor", "has_more"]);

/** Which pagination parameter a parameter is, if any. */
export function paginationOf(p: { where: string; name: string }): "cursor" | "limit" | undefined {
  if (p.where !== "query") return undefined;
  if (CURSOR_PARAMETERS.has(p.name)) return "cursor";
  if (LIMIT_PARAMETERS.has(p.name)) return "limit";
  return undefined;
}
