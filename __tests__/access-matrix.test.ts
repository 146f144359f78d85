/**
 * Proof of access (the IAM simulation layer): the examples plan offline, their access
 * matrices are computed from the plan JSON by the IAM simulator, and must equal the
 * reviewed expectation committed in examples/<name>/access-matrix.json (and shown in
 * the example's README). Any change that widens or narrows access shows as a diff.
 */
import * as fs from "fs";
import * as path from "path";
import { renderMatrix } from "../scripts/access-report";
import { buildMatrices, EXAMPLE_NAMES, EXAMPLES_DIR, ExampleMatrices, scpLevels } from "../tools/access/examples";
import { extractAccessModel, plannedResources } from "../tools/access/extract";
import { ADMINISTRATOR_ACCESS, computeMatrix, diffMatrices, ExampleEnv, Matrix, userPrincipals } from "../tools/access/matrix";
import { decide, defaultContext } from "../tools/simulate";
import { planResources } from "../tools/offline-terraform";
import { describeTerraform } from "../tools/terraform";

const expected = (name: string): Matrix => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name, "access-matrix.json"), "utf8"));

describeTerraform("examples: offline plan and the verified access matrix", () => {
  let built: ExampleMatrices;
  beforeAll(async () => {
    built = await buildMatrices();
  });

  it.each(EXAMPLE_NAMES)("examples/%s plans offline without warnings", (name) => {
    const p = built.plans[name];
    expect(p.ok).toBe(true);
    expect(p.stdout + p.stderr).not.toMatch(/Warning/);
    expect(plannedResources(p.json).length).toBeGreaterThanOrEqual(3);
  });

  it.each(EXAMPLE_NAMES)("examples/%s: the computed matrix equals the reviewed one (npm run access-report to update)", (name) => {
    expect(diffMatrices(expected(name), built.matrices[name])).toEqual([]);
  });

  it.each(EXAMPLE_NAMES)("examples/%s: the README shows the same matrix", (name) => {
    const readme = fs.readFileSync(path.join(EXAMPLES_DIR, name, "README.md"), "utf8");
    expect(readme).toContain(renderMatrix(built.matrices[name]));
  });

  it("single account: engineers write, list and delete in both zones; analysts read landing and write only analysis", () => {
    const row = (p: string) => built.matrices["single-account"].rows.find((r) => r.principal.startsWith(p))!.cells;
    const engineer = row("engineer");
    const analyst = row("analyst");
    for (const c of ["write_landing", "list_landing", "write_analysis", "delete_landing", "delete_analysis", "read_landing"])
      expect(engineer[c]).toBe("Allowed");
    expect(analyst).toMatchObject({ write_landing: expect.stringMatching(/^Denied/), delete_landing: expect.stringMatching(/^Denied/) });
    expect(analyst).toMatchObject({
      list_landing: "Allowed",
      read_landing: "Allowed",
      write_analysis: "Allowed",
      delete_analysis: "Allowed",
    });
    // aws s3 cp without --sse: denied for both
    expect(engineer.upload_unencrypted).toBe("Denied (bucket)");
    expect(analyst.upload_unencrypted).toBe("Denied (bucket)");
  });

  it("a deliberately widened policy turns the comparison red, naming the cell", async () => {
    const plan = JSON.parse(JSON.stringify(built.plans["single-account"].json));
    // Widen the analyst's persona policy: write into the landing zone.
    const analystPolicy = planResources(plan).find(
      (r) => r.type === "aws_iam_policy" && /analyst/.test(r.values.name) && !/lake/.test(r.values.name),
    );
    if (!analystPolicy) throw new Error("no analyst persona policy in the plan");
    const doc = JSON.parse(analystPolicy.values.policy);
    doc.Statement.push({ Sid: "Widened", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-lake-landing-zone/*" });
    analystPolicy.values.policy = JSON.stringify(doc);
    const model = extractAccessModel(plan, "111122223333");
    const env: ExampleEnv = {
      accountId: "111122223333",
      region: "ap-southeast-2",
      otherRegion: "us-west-2",
      model,
      scps: [],
      lake: { landing: "acme-lake-landing-zone", analysis: "acme-lake-analysis" },
    };
    const personaOf = (u: string) => model.users.get(u)?.[0]?.replace("acme-", "").replace(/-/g, "_");
    const widened = await computeMatrix("single-account", env, userPrincipals(env, personaOf));
    expect(diffMatrices(expected("single-account"), widened)).toEqual([
      "analyst (user analyst-kim) / write_landing: expected Denied (no allow), got Allowed",
    ]);
  });

  it("org SCPs do not block the pipeline from applying iam-baseline and data-lake (cross-module coherence)", async () => {
    const scps = scpLevels(built.plans.organization.json);
    const acct = "111122223333";
    const region = "ap-southeast-2";
    // Every resource type the two modules plan, and the API call that creates it.
    const CREATE: Record<string, [action: string, resource: string, global?: boolean]> = {
      aws_iam_account_password_policy: ["iam:UpdateAccountPasswordPolicy", "*", true],
      aws_iam_group: ["iam:CreateGroup", `arn:aws:iam::${acct}:group/g`, true],
      aws_iam_policy: ["iam:CreatePolicy", `arn:aws:iam::${acct}:policy/p`, true],
      aws_iam_group_policy_attachment: ["iam:AttachGroupPolicy", `arn:aws:iam::${acct}:group/g`, true],
      aws_iam_group_policy: ["iam:PutGroupPolicy", `arn:aws:iam::${acct}:group/g`, true],
      aws_iam_role_policy: ["iam:PutRolePolicy", `arn:aws:iam::${acct}:role/r`, true],
      aws_s3_account_public_access_block: ["s3:PutAccountPublicAccessBlock", "*"],
      aws_iam_user: ["iam:CreateUser", `arn:aws:iam::${acct}:user/u`, true],
      aws_iam_user_group_membership: ["iam:AddUserToGroup", `arn:aws:iam::${acct}:group/g`, true],
      aws_iam_user_login_profile: ["iam:CreateLoginProfile", `arn:aws:iam::${acct}:user/u`, true],
      aws_iam_role: ["iam:CreateRole", `arn:aws:iam::${acct}:role/r`, true],
      aws_iam_role_policy_attachment: ["iam:AttachRolePolicy", `arn:aws:iam::${acct}:role/r`, true],
      aws_iam_openid_connect_provider: [
        "iam:CreateOpenIDConnectProvider",
        `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com`,
        true,
      ],
      aws_iam_account_alias: ["iam:CreateAccountAlias", "*", true],
      aws_budgets_budget: ["budgets:ModifyBudget", `arn:aws:budgets::${acct}:budget/b`, true],
      aws_accessanalyzer_analyzer: ["access-analyzer:CreateAnalyzer", `arn:aws:access-analyzer:${region}:${acct}:analyzer/a`],
      aws_cloudtrail: ["cloudtrail:CreateTrail", `arn:aws:cloudtrail:${region}:${acct}:trail/t`],
      aws_s3_bucket: ["s3:CreateBucket", "arn:aws:s3:::b"],
      aws_s3_bucket_policy: ["s3:PutBucketPolicy", "arn:aws:s3:::b"],
      aws_s3_bucket_versioning: ["s3:PutBucketVersioning", "arn:aws:s3:::b"],
      aws_s3_bucket_server_side_encryption_configuration: ["s3:PutEncryptionConfiguration", "arn:aws:s3:::b"],
      aws_s3_bucket_public_access_block: ["s3:PutBucketPublicAccessBlock", "arn:aws:s3:::b"],
      aws_s3_bucket_ownership_controls: ["s3:PutBucketOwnershipControls", "arn:aws:s3:::b"],
      aws_s3_bucket_lifecycle_configuration: ["s3:PutLifecycleConfiguration", "arn:aws:s3:::b"],
      aws_s3_bucket_logging: ["s3:PutBucketLogging", "arn:aws:s3:::b"],
      aws_s3_access_point: ["s3:CreateAccessPoint", `arn:aws:s3:${region}:${acct}:accesspoint/ap`],
      aws_athena_workgroup: ["athena:CreateWorkGroup", `arn:aws:athena:${region}:${acct}:workgroup/w`],
      aws_kms_key: ["kms:CreateKey", "*"],
      aws_kms_alias: ["kms:CreateAlias", `arn:aws:kms:${region}:${acct}:alias/a`],
    };
    const types = new Set(
      ["single-account", "dev-prod"].flatMap((n) => plannedResources(built.plans[n as "dev-prod"].json).map((r) => r.type)),
    );
    const unmapped = [...types].filter((t) => !CREATE[t]);
    expect(unmapped).toEqual([]); // a new resource type must be added to the table above
    const deployer = `arn:aws:sts::${acct}:assumed-role/terraform-apply/ci`; // not exempt
    // Settings the organization keeps for itself: under org-scp's account public access block
    // control, member accounts set s3_account_public_access_block = false in iam-baseline and the
    // management account (or a StackSet) owns the setting (README, "Organizations").
    const OWNED_BY_THE_ORGANIZATION: Record<string, string> = {
      aws_s3_account_public_access_block: "DenyAccountPublicAccessBlockChanges",
    };
    for (const t of [...types].sort()) {
      const [action, resource, global] = CREATE[t];
      const context = defaultContext({
        "aws:RequestedRegion": global ? "us-east-1" : region,
        ...(action === "s3:CreateBucket" ? { "s3:LocationConstraint": region } : {}),
      });
      const d = await decide({ identity: [ADMINISTRATOR_ACCESS], scps }, { principal: deployer, action, resource, context });
      const owner = OWNED_BY_THE_ORGANIZATION[t];
      if (owner) {
        // Deliberately the organization's: denied by exactly that SCP statement, nothing else.
        expect({ type: t, deniedBy: d.allowed ? "nothing" : d.detail }).toEqual({ type: t, deniedBy: expect.stringContaining(owner) });
        continue;
      }
      expect({ type: t, action, decision: d }).toEqual({ type: t, action, decision: { allowed: true } });
    }
  });
});
