/**
 * Each module defines every policy once: what the policy engine checks at synth time is the very
 * document rendered into the module (tools/policy-definitions.ts), in all three modules.
 */
import { buildApp } from "../app/synthesize";
import { DEFAULT_OPTIONS } from "../lib/config";
import { ModuleStack } from "../lib/module-stack";
import { doc } from "../lib/policy/types";
import { definitionProblems } from "../tools/policy-definitions";
import { tempDir } from "./helpers/synth";

/** org-scp decides at plan time which statements share an SCP: it renders statements, not documents. */
const PACKED_AT_PLAN_TIME = ["org-scp"];

/** Policies made at plan time of the caller's own statements (custom groups): the caller's to check. */
const CALLER_POLICIES: Record<string, string[]> = { "iam-baseline": ["$.locals.custom_group_policies"] };

const check = (s: ModuleStack, tf: unknown, records: ModuleStack["policies"]) =>
  definitionProblems(s.spec.id, tf, records, s.strictInputs, {
    packedAtPlanTime: PACKED_AT_PLAN_TIME.includes(s.spec.id),
    callerPolicies: CALLER_POLICIES[s.spec.id],
  });
const problemsOf = (s: ModuleStack, tf: unknown = s.toTerraform()) => check(s, tf, s.policies);

describe("one definition per policy", () => {
  const { stacks } = buildApp(DEFAULT_OPTIONS, tempDir("definitions"));

  it.each(stacks.map((s) => [s.spec.id, s] as const))("%s: the engine checks exactly the policies it renders", (_id, s) => {
    expect(s.policies.length).toBeGreaterThan(0);
    expect(problemsOf(s)).toEqual([]);
  });

  describe("the check can fail", () => {
    const s = stacks.find((x) => x.spec.id === "data-lake")!;
    const tf = s.toTerraform();

    it("a copy kept for the engine only (registered, never rendered) is found", () => {
      const copy = {
        ...s.policies[0],
        name: "engine_only_copy",
        document: doc([{ Sid: "Drifted", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]),
      };
      expect(check(s, tf, [...s.policies, copy])).toEqual([{ module: s.spec.id, problem: expect.stringContaining('"engine_only_copy"') }]);
    });

    it("a rendered policy the engine never saw is found", () => {
      const drifted = JSON.parse(JSON.stringify(tf));
      drifted.resource.aws_iam_policy_extra = { extra: { policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = []})}' } };
      expect(problemsOf(s, drifted)).toEqual([{ module: s.spec.id, problem: expect.stringContaining("aws_iam_policy_extra") }]);
    });

    it("a rendered statement that differs from the registered one is found on both sides", () => {
      const iam = stacks.find((x) => x.spec.id === "iam-baseline")!;
      const record = iam.policies.find((r) => /"Sid":"\w+"/.test(JSON.stringify(r.document)))!;
      const changed = JSON.parse(JSON.stringify(record).replace(/"Sid":"(\w+)"/, '"Sid":"$1Changed"'));
      const others = iam.policies.filter((r) => r !== record);
      const problems = check(iam, iam.toTerraform(), [...others, changed]).map((p) => p.problem);
      expect(problems).toEqual(
        expect.arrayContaining([expect.stringContaining(`"${record.name}"`), expect.stringContaining("never checked")]),
      );
    });
  });

  describe("the plan-time packing check can fail", () => {
    const s = stacks.find((x) => x.spec.id === "org-scp")!;
    const tf = s.toTerraform();

    it("a statement rendered but missing from the engine's policies is found, and one checked but not rendered", () => {
      const records = JSON.parse(JSON.stringify(s.policies)) as ModuleStack["policies"];
      const withSid = records.find((r) => r.document.Statement.some((st) => st.Sid === "DenyRootUser"))!;
      const st = withSid.document.Statement.find((x) => x.Sid === "DenyRootUser")!;
      (st as { Sid?: string }).Sid = "DenyRootUserRenamed";
      expect(check(s, tf, records).map((p) => p.problem)).toEqual([
        "statement DenyRootUser is rendered but the engine never checked it",
        "statement DenyRootUserRenamed is checked by the engine but rendered nowhere in the module",
      ]);
    });
  });
});
