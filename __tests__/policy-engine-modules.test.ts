/**
 * The policy engine at synth time, over the real module stacks (the engine's own rules are tested
 * without cdktf in policy-engine.test.ts).
 */
import { buildApp, checkAllPolicies } from "../app/synthesize";
import { DEFAULT_OPTIONS } from "../lib/config";
import { PolicyRecord } from "../lib/policy/engine";
import { doc } from "../lib/policy/types";
import { tempDir } from "./helpers/synth";

const rec = (document: PolicyRecord["document"], extra: Partial<PolicyRecord> = {}): PolicyRecord => ({
  module: "test-module",
  name: "test_policy",
  kind: "managed",
  document,
  ...extra,
});

describe("the engine runs over every module at synth time", () => {
  it("every module registers its policy documents, and the defaults pass", () => {
    const { stacks } = buildApp(DEFAULT_OPTIONS, tempDir("engine"));
    for (const s of stacks)
      expect({ module: s.spec.id, registered: s.policies.length > 0 }).toEqual({ module: s.spec.id, registered: true });
    expect(() => checkAllPolicies(stacks, DEFAULT_OPTIONS)).not.toThrow();
  });

  it("a bad policy in any module fails synth with one error listing every problem", () => {
    const { stacks } = buildApp(DEFAULT_OPTIONS, tempDir("engine"));
    stacks[0].policies.push(
      rec(doc([{ Sid: "Bad", Effect: "Allow", Action: ["iam:CreateUsers", "*"], Resource: "*" }]), {
        module: stacks[0].spec.id,
        name: "injected",
      }),
    );
    stacks[1].policies.push(
      rec(doc([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }]), {
        module: stacks[1].spec.id,
        name: "open",
        kind: "bucket",
      }),
    );
    expect(() => checkAllPolicies(stacks, DEFAULT_OPTIONS)).toThrow(
      /iam-baseline \/ injected, statement 0 \(Sid Bad\): .*iam:CreateUsers[\s\S]*iam-baseline \/ injected, statement 0 \(Sid Bad\): Allow of "\*" on "\*"[\s\S]*data-lake \/ open, statement 0: Allow to Principal "\*"/,
    );
  });
});
