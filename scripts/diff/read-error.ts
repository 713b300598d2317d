/** A document could not be read: the CLI exits 2 and prints the file, the line and the pointer. */
export class DocumentReadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${reason}`);
    this.name = "DocumentReadError";
  }
}
