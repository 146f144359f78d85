#!/usr/bin/env node
/**
 * The CDKTF app: one module stack per module, then each module's README.
 * Run through `npx cdktf synth` (see cdktf.json) or `npm run synth`.
 */
import { loadOptions } from "./lib/config";
import { GuardrailError } from "./lib/errors";
import { synthesize } from "./app/synthesize";
import { synthSummary } from "./app/summary";

try {
  const options = loadOptions();
  const result = synthesize(options);
  if (!process.env.GUARDRAIL_QUIET) console.log(synthSummary(result, options.scpMaxChars));
} catch (e) {
  if (e instanceof GuardrailError) {
    // A list of what to fix, not a stack trace.
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
