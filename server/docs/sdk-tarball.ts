/**
 * Each version's typed client as an npm tarball, made from generated/<date>/client/ when first
 * asked for, so that `npm install http://<server>/sdk/@watchtraderhub/api-<date>.tgz` works
 * with no registry. The tarball is reproducible: files sorted, every time stamp zero, one owner.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const BLOCK = 512;

/** The package's files, relative to its folder, sorted; undefined when the folder is missing. */
function packageFiles(dir: string): string[] | undefined {
  if (!fs.existsSync(path.join(dir, "package.json"))) return undefined;
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** One ustar header block; names stay under 100 bytes (npm's `package/` prefix included). */
function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`tarball: file name too long: ${name}`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, "utf8");
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write("        ", 148); // checksum field counts as spaces while summing
  block.write("0", 156);
  block.write("ustar\0", 257);
  block.write("00", 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

/** The gzipped tarball of the package in `dir`, or undefined when there is none. */
export function packClient(dir: string): Buffer | undefined {
  const files = packageFiles(dir);
  if (files === undefined) return undefined;
  const parts: Buffer[] = [];
  for (const file of files) {
    const data = fs.readFileSync(path.join(dir, file));
    parts.push(header(`package/${file}`, data.length), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return zlib.gzipSync(Buffer.concat(parts), { level: 9 });
}
