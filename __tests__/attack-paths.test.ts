/**
 * Attack-path invariants: the analysis of tools/attack (the whole IAM catalog swept per
 * principal, escalation chains followed from principal to principal) over every example and test
 * root must find no path. Each invariant also has a deliberately widened fixture
 * (__tests__/fixtures/attack/roots.ts) that must turn it red, and a safe fixture that must stay
 * green, so every check demonstrably can fail.
 *
 * The examples and test roots are planned offline with terraform (skipped loudly without it,
 * failing with CI=true); the fixtures need no terraform. The reviewed per-principal reports
 * (examples/<name>/attack-report.json and the README section) must equal the computed ones:
 * `npm run attack-report` records a reviewed change.
 */
import * as fs from "fs";
import * as path from "path";
import {
  analyzeRoot,
  INVARIANTS,
  renderFinding,
  renderFindings,
  type Finding,
  type Invariant,
  type RootAnalysis,
} from "../tools/attack/analyze";
import { attackReport, renderReadmeSection } from "../tools/attack/report";
import { analyzeExamples, EXAMPLE_NAMES, EXAMPLES_DIR, exampleOptions, MULTI_ACCOUNT, planExamples } from "../tools/attack/examples";
import { prepareExamples } from "../tools/access/examples";
import { describeTerraform, plan } from "../tools/terraform";
import { allows, contextOf } from "../tools/attack/sweep";
import type { Node } from "../tools/attack/model";
import {
  planOf,
  SAFE_VARIANTS,
  safeBoundedWorkload,
  safeDesignedDeploy,
  safeLockdown,
  safeOrganization,
  safeOwnedCompute,
  safeSharedAccount,
  safeSharedWorkloads,
  WIDENED,
  type FixtureRoot,
} from "./fixtures/attack/roots";

/** Throws with every path of the invariant, its chain printed step by step. */
function expectNoPath(a: RootAnalysis, inv: Invariant): void {
  const paths = a.findings.filter((f) => f.invariant === inv);
  if (paths.length) throw new Error(`${a.name}: ${paths.length} ${inv} path(s):\n${renderFindings(a, { invariants: [inv] })}`);
}

/** A copy of a plan with one IAM role's trust policy rewritten (a widened fixture of a planned root). */
function widenTrust(planJson: any, roleName: string, edit: (trust: any) => any): any {
  const copy = JSON.parse(JSON.stringify(planJson));
  let found = 0;
  const walk = (m: any) => {
    for (const r of m?.resources ?? [])
      if (r.type === "aws_iam_role" && r.values?.name === roleName) {
        r.values.assume_role_policy = JSON.stringify(edit(JSON.parse(r.values.assume_role_policy)));
        found++;
      }
    for (const c of m?.child_modules ?? []) walk(c);
  };
  walk(copy.planned_values?.root_module);
  if (found !== 1) throw new Error(`widenTrust: role ${roleName} found ${found} times in the plan`);
  return copy;
}

/**
 * Paths the analysis still finds on the examples and test roots, each reviewed and recorded with
 * why it is open (`__tests__/fixtures/attack/open-findings.json`). They are known gaps, not
 * accepted designs: the list may only shrink, and any path not on it fails the suite.
 */
const OPEN_FINDINGS_FILE = path.join(__dirname, "fixtures", "attack", "open-findings.json");
type OpenFindings = { reasons: Record<string, string>; roots: Record<string, Record<string, string[]>> };
const readOpen = (): OpenFindings => JSON.parse(fs.readFileSync(OPEN_FINDINGS_FILE, "utf8"));
const findingKey = (a: RootAnalysis, f: Finding) => renderFinding(a, f).split("\n")[0];
const openFindings = (root: string, inv: Invariant): string[] => readOpen().roots[root]?.[inv] ?? [];
function recordOpenFindings(root: string, inv: Invariant, keys: string[]): void {
  const o = readOpen();
  o.roots[root] = { ...(o.roots[root] ?? {}), [inv]: [...new Set(keys)].sort() };
  if (!keys.length) delete o.roots[root][inv];
  fs.writeFileSync(OPEN_FINDINGS_FILE, JSON.stringify(o, null, 2) + "\n");
}

const analyze = (name: string, root: FixtureRoot) => analyzeRoot(planOf(root), { name, accountId: "111122223333" });

describe("attack-path invariants on fixtures (no terraform needed)", () => {
  const safe: Record<string, () => FixtureRoot> = {
    "safe shared account": safeSharedAccount,
    "safe organization": safeOrganization,
    "safe lockdown": safeLockdown,
    ...SAFE_VARIANTS,
  };
  const results = new Map<string, RootAnalysis>();
  beforeAll(async () => {
    for (const [name, root] of Object.entries(safe)) results.set(name, await analyze(name, root()));
  });

  it.each(Object.keys(safe).flatMap((s) => INVARIANTS.map((i) => [s, i] as const)))("%s: no %s path", (name, inv) => {
    expectNoPath(results.get(name)!, inv);
  });

  it("the safe fixtures exercise every invariant", () => {
    const exercised = new Set(INVARIANTS.filter((i) => [...results.values()].some((a) => !a.notExercised.includes(i))));
    expect([...exercised].sort()).toEqual([...INVARIANTS].sort());
  });

  it.each(Object.entries(WIDENED))("widened fixture turns it red: %s", async (name, w) => {
    const a = await analyze(name, w.root());
    const inv = w.invariant as Invariant;
    expect(() => expectNoPath(a, inv)).toThrow(new RegExp(`${inv} path`));
    if (process.env.ATTACK_VERBOSE) console.log(renderFindings(a, { invariants: [inv] })); // eslint-disable-line no-console
  });

  it("a designed edge is followed but not reported: the deploy role reaches the automation role's Lambda takeover", async () => {
    const safe = await analyze("designed", safeDesignedDeploy());
    expect(safe.escalation.get("role:acme-github-deploy")).toContain("principal: role acme-dev-automation");
    const a = await analyze("designed-widened", WIDENED["automation role reached by design may update any Lambda"].root());
    const fromDeploy = a.findings.filter((f) => f.start === "role:acme-github-deploy");
    expect(fromDeploy.map((f) => f.detail)).toEqual(["admin rights"]);
    expect(fromDeploy[0].chain[0].designed).toBe(true);
  });

  it("a passed workload role is bounded only where the plan enforces the boundary", async () => {
    const label = "a workload role bounded by acme-workload-boundary";
    const safe = await analyze("bounded", safeBoundedWorkload());
    expect(safe.model.workloadBoundary?.rolePrefix).toBe("acme-workload-");
    expect(safe.escalation.get("user:dev-ana")?.join("\n")).toContain(`principal: ${label}`);
    for (const name of ["workload boundary not in the plan", "workload boundary guard missing on one role"]) {
      const a = await analyze(name, WIDENED[name].root());
      expect(a.model.workloadBoundary).toBeUndefined();
    }
    const widened = await analyze("iam", WIDENED["workload boundary allows iam:*"].root());
    const f = widened.findings.find((x) => x.start === "user:dev-ana" && x.invariant === "escalation");
    expect(f?.chain[0].to).toBe("stand-in:workload-bounded");
    expect(f?.detail).toBe("admin rights");
  });

  it("the owned-compute rule leaves a principal its own compute: the dev role updates dev-* functions and execs into its tasks", async () => {
    const a = await analyze("owned", safeOwnedCompute());
    const dev = a.model.nodes.find((n) => n.id === "role:acme-dev-app")!;
    const ctx = (extra: Record<string, string> = {}) => contextOf(dev, a.model.region, extra);
    const arn = (s: string) => `arn:aws:${s.split(":")[0]}:${a.model.region}:111122223333:${s.split(":").slice(1).join(":")}`;
    expect(await allows(dev, "lambda:UpdateFunctionCode", arn("lambda:function:dev-api"), ctx())).toBe(true);
    expect(await allows(dev, "lambda:UpdateFunctionCode", arn("lambda:function:workload"), ctx())).toBe(false);
    const owned = ctx({ "aws:ResourceTag/owner": "environment/dev" });
    expect(await allows(dev, "ecs:ExecuteCommand", arn("ecs:cluster/c1"), owned)).toBe(true);
    expect(await allows(dev, "ecs:ExecuteCommand", arn("ecs:task/c1/abc"), owned)).toBe(true);
    expect(await allows(dev, "ecs:ExecuteCommand", arn("ecs:task/c1/abc"), ctx())).toBe(false);
    // The closure authorizes exec against both required resources: the foreign task stops it.
    expect(a.edges.filter((e) => e.from === "role:acme-dev-app" && e.to === "stand-in:workload-admin")).toEqual([]);
    const widened = await analyze("exec", WIDENED["dev role may exec into any task"].root());
    const f = widened.findings.find((x) => x.start === "role:acme-dev-app" && x.invariant === "escalation");
    expect(f?.chain[0].how).toMatch(/^ecs:ExecuteCommand on arn:aws:ecs:[^ ]+:cluster\/workload and arn:aws:ecs:[^ ]+:task\/workload/);
  });

  it("a production-tagged workload role is followed only where a principal may pass one", async () => {
    const safe = await analyze("shared workloads", safeSharedWorkloads());
    expect(safe.edges.some((e) => e.to === "stand-in:workload-bounded-production")).toBe(false);
    expect(safe.escalation.get("user:dev-ana")?.join("\n")).toContain("principal: a workload role bounded by acme-workload-boundary");
    const widened = await analyze("pass prod", WIDENED["developers may pass a workload role tagged production"].root());
    const f = widened.findings.find((x) => x.start === "user:dev-ana" && x.invariant === "production-data");
    expect(f?.chain.map((e) => e.to)).toEqual(["stand-in:workload-bounded-production"]);
  });

  it("the widened escalation fixture prints the chain", async () => {
    const a = await analyze("chain", WIDENED["dev role may assume any role"].root());
    const text = renderFindings(a, { invariants: ["escalation"] });
    expect(text).toContain(
      [
        "[escalation] user dev-ana (acme-developer), signed in with MFA -> a role that trusts the account root without MFA (CDK bootstrap and the like)",
        "  1. user dev-ana (acme-developer), signed in with MFA",
        "       --[sts:AssumeRole on arn:aws:iam::111122223333:role/acme-dev-app]-->",
        "     role acme-dev-app",
        "  2. role acme-dev-app",
        "       --[sts:AssumeRole on arn:aws:iam::111122223333:role/cdk-exec-role]-->",
      ].join("\n"),
    );
  });
});

describeTerraform("attack-path invariants on the examples and test roots (offline plans)", () => {
  const analyses: RootAnalysis[] = [];
  let reports: Record<string, unknown> = {};
  let plans: ReturnType<typeof planExamples>["plans"];
  beforeAll(async () => {
    plans = planExamples().plans;
    const byName = await analyzeExamples(plans);
    for (const n of EXAMPLE_NAMES) analyses.push(byName[n]);
    reports = Object.fromEntries(EXAMPLE_NAMES.map((n) => [n, attackReport(byName[n])]));
    // Test roots: the dev-prod example with the incident lockdown on, and with a typo in the
    // lockdown input (no silent weakening: it must fail to plan or keep its break-glass).
    const root = prepareExamples();
    const main = fs.readFileSync(path.join(root, "examples", "dev-prod", "main.tf"), "utf8");
    for (const [name, lockdown] of [
      ["dev-prod-lockdown", `lockdown = { enabled = true, break_glass_principal_arns = ["arn:aws:iam::111122223333:role/BreakGlass"] }`],
      [
        "dev-prod-lockdown-typo",
        `lockdown = { enabled = true, break_glass_principal_arn = ["arn:aws:iam::111122223333:role/BreakGlass"] }`,
      ],
    ] as const) {
      const dir = path.join(root, "examples", name);
      fs.cpSync(path.join(root, "examples", "dev-prod"), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "main.tf"), main.replace(/(module "iam_baseline" \{\n)/, `$1  ${lockdown}\n`));
      const r = plan(dir);
      if (!r.ok) {
        // Refused: acceptable for the typo only, and the error must name the input.
        expect(name).toBe("dev-prod-lockdown-typo");
        expect(r.stderr).toMatch(/lockdown/);
        continue;
      }
      analyses.push(await analyzeRoot(r.json, { ...exampleOptions("dev-prod", plans), name }));
    }
    // The lake in KMS mode with a given key (known at plan, so every policy is in the plan):
    // only that key, never SSE-C or the AWS managed key, and no reader beyond the declared ones.
    const single = fs.readFileSync(path.join(root, "examples", "single-account", "main.tf"), "utf8");
    const kmsDir = path.join(root, "examples", "single-account-kms");
    fs.cpSync(path.join(root, "examples", "single-account"), kmsDir, { recursive: true });
    fs.writeFileSync(
      path.join(kmsDir, "main.tf"),
      single.replace(
        /(module "data_lake" \{\n)/,
        `$1  sse_algorithm = "aws:kms"\n  kms_key_arn   = "arn:aws:kms:ap-southeast-2:111122223333:key/11111111-2222-3333-4444-555555555555"\n`,
      ),
    );
    const k = plan(kmsDir);
    if (!k.ok) throw new Error(`single-account-kms does not plan:\n${k.stderr}`);
    analyses.push(await analyzeRoot(k.json, { ...exampleOptions("single-account", plans), name: "single-account-kms" }));
    // The multi-account example with the prod account's lockdown switched on (its break-glass
    // role is already listed): the lockdown invariant across accounts.
    const multi = fs.readFileSync(path.join(root, "examples", MULTI_ACCOUNT, "main.tf"), "utf8");
    const lockDir = path.join(root, "examples", "dev-prod", "multi-account-lockdown");
    fs.cpSync(path.join(root, "examples", MULTI_ACCOUNT), lockDir, { recursive: true });
    const locked = multi.replace(
      /lockdown(\s*)= \{ break_glass_principal_arns/,
      "lockdown$1= { enabled = true, break_glass_principal_arns",
    );
    expect(locked).not.toBe(multi);
    fs.writeFileSync(path.join(lockDir, "main.tf"), locked);
    const l = plan(lockDir);
    if (!l.ok) throw new Error(`multi-account-lockdown does not plan:\n${l.stderr}`);
    analyses.push(
      await analyzeRoot(l.json, {
        ...exampleOptions(MULTI_ACCOUNT, { ...plans, [MULTI_ACCOUNT]: l.json }),
        name: "multi-account-lockdown",
      }),
    );
  });

  it.each(
    INVARIANTS.flatMap((i) =>
      [...EXAMPLE_NAMES, "dev-prod-lockdown", "dev-prod-lockdown-typo", "single-account-kms", "multi-account-lockdown"].map(
        (n) => [i, n] as const,
      ),
    ),
  )("%s: no path in %s but the reviewed open findings", (inv, name) => {
    const a = analyses.find((x) => x.name === name);
    if (!a) return; // the typo root was refused at plan time (checked above)
    const open = new Set(openFindings(name, inv));
    const found = a.findings.filter((f) => f.invariant === inv);
    if (process.env.UPDATE_OPEN_FINDINGS)
      recordOpenFindings(
        name,
        inv,
        found.map((f) => findingKey(a, f)),
      );
    // A path nobody reviewed fails; so does a recorded one that is gone (the list only shrinks).
    const unreviewed = found.filter((f) => !open.has(findingKey(a, f)));
    if (unreviewed.length)
      throw new Error(`${name}: ${unreviewed.length} unreviewed ${inv} path(s):\n${unreviewed.map((f) => renderFinding(a, f)).join("\n")}`);
    expect([...open].filter((k) => !found.some((f) => findingKey(a, f) === k))).toEqual([]);
  });

  it("owned compute keeps the persona table's allowed sides on the examples' plans (the foreign probe is denied, the owned one allowed)", async () => {
    const node = (root: string, id: string) => analyses.find((a) => a.name === root)!.model.nodes.find((n) => n.id === id)!;
    const region = "ap-southeast-2";
    const acct = "111122223333";
    const can = (n: Node, action: string, resource: string, extra: Record<string, string> = {}) =>
      allows(n, action, resource, contextOf(n, region, extra));
    const fn = (name: string) => `arn:aws:lambda:${region}:${acct}:function:${name}`;
    // A developer's and a devops' dev role update their environment's functions, not a foreign one.
    for (const id of ["role:acme-dev-developer", "role:acme-dev-devops"]) {
      const n = node("dev-prod", id);
      expect({ id, own: await can(n, "lambda:UpdateFunctionCode", fn("dev-api")) }).toEqual({ id, own: true });
      expect({ id, foreign: await can(n, "lambda:UpdateFunctionCode", fn("workload")) }).toEqual({ id, foreign: false });
      expect({
        id,
        pass: await can(n, "iam:PassRole", `arn:aws:iam::${acct}:role/workload-api`, { "iam:PassedToService": "lambda.amazonaws.com" }),
      }).toEqual({ id, pass: true });
    }
    // Prod devops changes prod-* compute (roles are passed only by the pipeline there).
    expect(await can(node("dev-prod", "role:acme-prod-devops"), "lambda:UpdateFunctionCode", fn("prod-api"))).toBe(true);
    expect(await can(node("dev-prod", "role:acme-prod-devops"), "lambda:UpdateFunctionCode", fn("workload"))).toBe(false);
    // An engineer creates a Glue job with a workload role; an analyst execs into its own task only.
    const sam = node("single-account", "user:engineer-sam");
    expect(await can(sam, "glue:CreateJob", `arn:aws:glue:${region}:${acct}:job/engineer-sam-etl`)).toBe(true);
    expect(await can(sam, "iam:PassRole", `arn:aws:iam::${acct}:role/workload-etl`, { "iam:PassedToService": "glue.amazonaws.com" })).toBe(
      true,
    );
    const kim = node("single-account", "user:analyst-kim");
    const task = `arn:aws:ecs:${region}:${acct}:task/c1/abc`;
    const cluster = `arn:aws:ecs:${region}:${acct}:cluster/c1`;
    expect(await can(kim, "ecs:ExecuteCommand", cluster, { "aws:ResourceTag/owner": "analyst-kim" })).toBe(true);
    expect(await can(kim, "ecs:ExecuteCommand", task, { "aws:ResourceTag/owner": "analyst-kim" })).toBe(true);
    expect(await can(kim, "ecs:ExecuteCommand", task)).toBe(false);
  });

  it("the multi-account lockdown test root exercises the lockdown invariant", () => {
    expect(analyses.find((a) => a.name === "multi-account-lockdown")?.notExercised).not.toContain("lockdown");
  });

  it("multi-account: one model per account; identity users reach their persona's dev and prod roles by designed edges only, nothing in dev reaches prod", () => {
    const a = analyses.find((x) => x.name === MULTI_ACCOUNT)!;
    expect(new Set(a.model.nodes.filter((n) => n.kind !== "stand-in").map((n) => n.account))).toEqual(
      new Set(["111111111111", "222222222222", "333333333333"]),
    );
    const cross = a.edges.filter((e) => e.from.slice(0, 12) !== e.to.slice(0, 12) && /^\d{12}\//.test(e.to));
    const into = (acct: string) =>
      cross
        .filter((e) => e.to.startsWith(`${acct}/`))
        .map((e) => `${e.from} -> ${e.to}${e.designed ? " (designed)" : ""}`)
        .sort();
    expect(into("333333333333")).toEqual([
      "111111111111/role:acme-github-deploy -> 333333333333/role:acme-prod-automation (designed)",
      "111111111111/user:admin-fay -> 333333333333/role:acme-prod-data-team",
      "111111111111/user:admin-fay -> 333333333333/role:acme-prod-developer",
      "111111111111/user:admin-fay -> 333333333333/role:acme-prod-devops",
      "111111111111/user:ci-bot -> 333333333333/role:acme-prod-automation (designed)",
      "111111111111/user:ci-bot:no-mfa -> 333333333333/role:acme-prod-automation (designed)",
      "111111111111/user:data-eli -> 333333333333/role:acme-prod-data-team (designed)",
      "111111111111/user:dev-ana -> 333333333333/role:acme-prod-developer (designed)",
      "111111111111/user:ops-dee -> 333333333333/role:acme-prod-devops (designed)",
    ]);
    // Nothing of the dev account (roles, workloads, its admins) assumes anything in another account.
    expect(cross.filter((e) => e.from.startsWith("222222222222/"))).toEqual([]);
    expect(a.findings).toEqual([]);
  });

  it("multi-account widened: a prod role that trusts the dev account turns production-data red, with the chain", async () => {
    const a = await analyzeRoot(
      widenTrust(plans[MULTI_ACCOUNT], "acme-prod-devops", () => ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }],
      })),
      { ...exampleOptions(MULTI_ACCOUNT, plans), name: "multi-account widened: prod devops trusts dev" },
    );
    expect(() => expectNoPath(a, "production-data")).toThrow(/production-data path/);
    const text = renderFindings(a, { invariants: ["production-data"] });
    if (process.env.ATTACK_VERBOSE) console.log(text); // eslint-disable-line no-console
    expect(text).toContain(
      [
        "[production-data] a workload role with admin rights (behind compute it can pass a role to or change) [account 222222222222] -> role acme-prod-devops [account 333333333333]",
        "  1. a workload role with admin rights (behind compute it can pass a role to or change) [account 222222222222]",
        "       --[sts:AssumeRole on arn:aws:iam::333333333333:role/acme-prod-devops from account 222222222222]-->",
        "     role acme-prod-devops [account 333333333333]",
        "  => enters production account 333333333333 from account 222222222222",
      ].join("\n"),
    );
  });

  it("multi-account widened: a prod role that trusts any principal of the identity account (no user or MFA condition) turns production-data red, with the chain", async () => {
    const a = await analyzeRoot(
      widenTrust(plans[MULTI_ACCOUNT], "acme-prod-developer", (t) => ({
        ...t,
        Statement: t.Statement.map(({ Condition: _c, ...st }: any) => st),
      })),
      { ...exampleOptions(MULTI_ACCOUNT, plans), name: "multi-account widened: prod developer trusts the identity account" },
    );
    expect(() => expectNoPath(a, "production-data")).toThrow(/production-data path/);
    const text = renderFindings(a, { invariants: ["production-data"] });
    if (process.env.ATTACK_VERBOSE) console.log(text); // eslint-disable-line no-console
    expect(text).toContain(
      [
        "[production-data] a workload role with admin rights (behind compute it can pass a role to or change) [account 111111111111] -> role acme-prod-developer [account 333333333333]",
        "  1. a workload role with admin rights (behind compute it can pass a role to or change) [account 111111111111]",
        "       --[sts:AssumeRole on arn:aws:iam::333333333333:role/acme-prod-developer from account 111111111111]-->",
        "     role acme-prod-developer [account 333333333333]",
      ].join("\n"),
    );
  });

  it("the KMS test root exercises the lake invariant with the lake key", () => {
    expect(analyses.find((a) => a.name === "single-account-kms")?.notExercised).not.toContain("lake");
  });

  it("the lockdown test root exercises the lockdown invariant", () => {
    expect(analyses.find((a) => a.name === "dev-prod-lockdown")?.notExercised).not.toContain("lockdown");
  });

  it.each(EXAMPLE_NAMES)("examples/%s: the computed attack report equals the reviewed one (npm run attack-report to update)", (name) => {
    const committed = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name, "attack-report.json"), "utf8"));
    expect(reports[name]).toEqual(committed);
  });

  it.each(EXAMPLE_NAMES)("examples/%s: the README shows the same report", (name) => {
    const readme = fs.readFileSync(path.join(EXAMPLES_DIR, name, "README.md"), "utf8");
    expect(readme).toContain(renderReadmeSection(reports[name] as ReturnType<typeof attackReport>));
  });
});
