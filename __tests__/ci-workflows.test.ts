import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
// js-yaml comes with jest (no extra dependency); the workflows are plain YAML.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml");

/**
 * The GitHub workflows, checked as far as they can be without GitHub: their structure (a plan job
 * runs only where it is configured, tests run before publishing, the Node versions), every `run:`
 * script is valid bash and every script it calls exists; and the plan-configuration step, run as
 * CI runs it with no AWS configuration, skips every plan job with a message and succeeds.
 */

const ROOT = path.join(__dirname, "..");
const load = (name: string) => yaml.safeLoad(fs.readFileSync(path.join(ROOT, ".github", "workflows", name), "utf8"));

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string };

function problemsOfCi(ci: any): string[] {
  const problems: string[] = [];
  const jobs = ci.jobs ?? {};
  const nodes: unknown[] = jobs.test?.strategy?.matrix?.node ?? [];
  if (!nodes.includes(24)) problems.push("test job: the Node matrix must include 24 (current LTS)");
  const setupNode = (jobs.test?.steps ?? []).find((s: Step) => s.uses?.startsWith("actions/setup-node"));
  if (setupNode?.with?.["node-version"] !== "${{ matrix.node }}") problems.push("test job: setup-node must use matrix.node");
  for (const [id, job] of Object.entries<any>(jobs)) {
    const assumesRole = (job.steps ?? []).some((s: Step) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    if (!assumesRole) continue;
    if (!/needs\.config\.outputs\.\w+ == 'true'/.test(job.if ?? ""))
      problems.push(`${id}: a job that needs AWS must run only when the config job says it is configured`);
    if (!(job.needs ?? []).includes("config")) problems.push(`${id}: must need the config job`);
    if (job.permissions?.["id-token"] !== "write") problems.push(`${id}: needs id-token: write for OIDC`);
  }
  const decide = (jobs.config?.steps ?? []).find((s: Step) => s.run?.includes("scripts/ci-plan-config.sh"));
  if (!decide) problems.push("config job: must run scripts/ci-plan-config.sh");
  return problems;
}

function problemsOfRelease(release: any): string[] {
  const problems: string[] = [];
  const steps: Step[] = release.jobs?.release?.steps ?? [];
  const testAt = steps.findIndex((s) => /\bnpm test\b/.test(s.run ?? ""));
  const publishAt = steps.findIndex((s) => (s.run ?? "").includes("scripts/publish-modules.sh"));
  if (publishAt < 0) problems.push("release: must publish with scripts/publish-modules.sh");
  if (testAt < 0 || testAt > publishAt) problems.push("release: npm test must run before publishing");
  if (steps.some((s) => /git (push|tag)\b/.test(s.run ?? ""))) problems.push("release: git push/tag only inside publish-modules.sh");
  const node = steps.find((s) => s.uses?.startsWith("actions/setup-node"))?.with?.["node-version"];
  if (node !== 24) problems.push(`release: Node ${node}, expected 24`);
  return problems;
}

describe("GitHub workflows", () => {
  const ci = load("ci.yml");
  const release = load("release.yml");

  it("ci.yml: Node 20/22/24 tests, AWS jobs gated by the config job", () => {
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    expect(problemsOfCi(ci)).toEqual([]);
  });

  it("release.yml: tests before publishing, publishing only through the script, Node 24", () => {
    expect(problemsOfRelease(release)).toEqual([]);
  });

  it("the checks catch a plan job without its gate and a release that publishes untested", () => {
    const ungated = JSON.parse(JSON.stringify(ci));
    delete ungated.jobs.plan.if;
    ungated.jobs.test.strategy.matrix.node = [20];
    expect(problemsOfCi(ungated)).toEqual([
      "test job: the Node matrix must include 24 (current LTS)",
      "plan: a job that needs AWS must run only when the config job says it is configured",
    ]);
    const untested = JSON.parse(JSON.stringify(release));
    untested.jobs.release.steps = untested.jobs.release.steps.filter((s: Step) => !/\bnpm test\b/.test(s.run ?? ""));
    untested.jobs.release.steps.push({ run: "git push origin modules" });
    expect(problemsOfRelease(untested)).toEqual([
      "release: npm test must run before publishing",
      "release: git push/tag only inside publish-modules.sh",
    ]);
  });

  it("every run: script is valid bash and every script it calls exists and is executable", () => {
    for (const [file, wf] of [
      ["ci.yml", ci],
      ["release.yml", release],
    ] as const) {
      for (const [id, job] of Object.entries<any>(wf.jobs)) {
        for (const step of (job.steps ?? []) as Step[]) {
          if (!step.run) continue;
          const r = spawnSync("bash", ["-n"], { input: step.run, encoding: "utf8" });
          expect({ where: `${file} ${id} ${step.name ?? step.run.slice(0, 40)}`, stderr: r.stderr }).toEqual({
            where: `${file} ${id} ${step.name ?? step.run.slice(0, 40)}`,
            stderr: "",
          });
          for (const script of step.run.match(/scripts\/[\w.-]+/g) ?? []) {
            const p = path.join(ROOT, script);
            const runnable = fs.existsSync(p) && (!script.endsWith(".sh") || (fs.statSync(p).mode & 0o111) !== 0);
            expect(runnable ? script : `${script} missing or not executable`).toBe(script);
          }
        }
      }
    }
  });

  describe("the plan configuration step (scripts/ci-plan-config.sh)", () => {
    const run = (env: Record<string, string>) => {
      const out = fs.mkdtempSync(path.join(require("os").tmpdir(), "gh-"));
      const r = spawnSync("bash", [path.join(ROOT, "scripts", "ci-plan-config.sh")], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: path.join(out, "o"), GITHUB_STEP_SUMMARY: path.join(out, "s"), ...env },
      });
      const outputs = fs.existsSync(path.join(out, "o")) ? fs.readFileSync(path.join(out, "o"), "utf8") : "";
      return { code: r.status, stdout: r.stdout, outputs };
    };

    it("with no AWS configuration: succeeds, both plan jobs skipped, saying what to set", () => {
      const r = run({ EVENT_NAME: "pull_request", HEAD_REPO: "acme/guardrails", REPO: "acme/guardrails" });
      expect(r.code).toBe(0);
      expect(r.outputs).toBe("account=false\norganization=false\n");
      expect(r.stdout).toMatch(/::notice title=plan \(single-account, dev-prod\) skipped::set the repository variable AWS_PLAN_ROLE_ARN/);
      expect(r.stdout).toMatch(/::notice title=plan \(organization\) skipped::.*management account.*AWS_ORG_PLAN_ROLE_ARN/);
    });

    it("with a workload plan role only: the account plans run, the organization plan is skipped", () => {
      const r = run({ AWS_PLAN_ROLE_ARN: "arn:aws:iam::111122223333:role/guardrail-plan", EVENT_NAME: "push" });
      expect(r.outputs).toBe("account=true\norganization=false\n");
    });

    it("for a pull request from a fork: skipped, saying why", () => {
      const r = run({
        AWS_PLAN_ROLE_ARN: "arn:aws:iam::111122223333:role/guardrail-plan",
        EVENT_NAME: "pull_request",
        HEAD_REPO: "someone/fork",
        REPO: "acme/guardrails",
      });
      expect(r.outputs).toBe("account=false\norganization=false\n");
      expect(r.stdout).toMatch(/forks get no OIDC token/);
    });

    it("a malformed role ARN is an error naming the variable and the value", () => {
      const r = run({ AWS_PLAN_ROLE_ARN: "guardrail-plan" });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error title=AWS_PLAN_ROLE_ARN::"guardrail-plan" is not an IAM role ARN/);
    });
  });
});
