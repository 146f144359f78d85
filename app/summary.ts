import { SynthResult } from "./synthesize";
import { resolveStatic, minified } from "../lib/policy/render";
import { sizeOf } from "../lib/policy/rules";
import { PolicyDocument } from "../lib/policy/types";

/**
 * The short per-module summary `cdktf synth` prints: resource blocks, policies, and
 * the largest policy against its quota (with the variables' defaults).
 */
export function synthSummary(result: SynthResult, scpMaxChars: number): string {
  const lines: string[] = [];
  for (const stack of result.stacks) {
    const tf = result.modules[stack.spec.id];
    const resources = Object.values<Record<string, unknown>>(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    let largest: { name: string; size: number; limit: number; how: string } | undefined;
    for (const p of stack.policies) {
      const doc = resolveStatic(p.document, stack.substitute) as PolicyDocument;
      const s =
        p.kind === "scp" || p.kind === "rcp"
          ? { size: minified(doc).length, limit: scpMaxChars, how: "chars minified" }
          : sizeOf(p.kind, doc)!;
      if (!largest || s.size / s.limit > largest.size / largest.limit) largest = { name: `${p.kind} ${p.name}`, ...s };
    }
    const big = largest
      ? `; largest ${largest.name}: ${largest.size}/${largest.limit} ${largest.how} (${Math.round((100 * largest.size) / largest.limit)}%)`
      : "";
    lines.push(`  ${stack.spec.id.padEnd(13)} ${resources} resource blocks, ${stack.policies.length} policies${big}`);
  }
  return `Synthesized ${result.stacks.length} modules into ${result.outdir}/stacks (defaults shown):\n${lines.join("\n")}`;
}
