import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A fresh temporary directory under the OS temp dir: tests, reports and the bench write only there. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `guardrail-${prefix}-`));
}
