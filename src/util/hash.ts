/** SHA-256 of files and text, streamed so a large data file is never held in memory. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { fileIdentity } from "./file-identity.js";

/**
 * Hashes already computed in this process, keyed by the file's identity and change time:
 * a spec whose variants share one large data file reads it once, not once per cell.
 */
const computed = new Map<string, Promise<string>>();

export function sha256File(path: string): Promise<string> {
  const key = `${path}\0${fileIdentity(path)}`;
  let hash = computed.get(key);
  if (hash === undefined) {
    hash = streamHash(path);
    computed.set(key, hash);
    hash.catch(() => computed.delete(key));
  }
  return hash;
}

async function streamHash(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
