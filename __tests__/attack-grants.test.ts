/**
 * The per-persona grants table of the iam-baseline README: counted statically from the policy
 * data with the IAM catalog at synth (no simulator), so adopters choose a persona from facts.
 */
import { grantsOf, personaGrants, personaGrantsSection } from "../lib/persona-grants";

describe("per-persona grants table", () => {
  const rows = Object.fromEntries(personaGrants().map((r) => [r.persona, r]));

  it("has a row per persona, with counts per access level", () => {
    expect(Object.keys(rows).sort()).toEqual(["admin", "analyst", "automation", "data_team", "developer", "devops", "engineer"]);
    for (const r of Object.values(rows)) expect(r.counts).toMatch(/^\d+ \/ \d+ \/ \d+ \/ \d+ \/ \d+$/);
  });

  it("states facts an adopter needs: admin grants everything, the developer group no IAM changes, the analyst data-destroying EC2 actions", () => {
    expect(rows.admin.services).toMatch(/^every action/);
    expect(rows.developer.permissionsManagement).toBe("none");
    expect(rows.developer.dataDestroying).toBe("none");
    expect(rows.analyst.dataDestroying).toContain("`ec2:TerminateInstances`");
    expect(rows.engineer.permissionsManagement).not.toBe("none");
  });

  it("a widened statement shows in the table (the count can fail)", () => {
    const base = grantsOf([{ Effect: "Allow", Action: "logs:GetLogEvents", Resource: "*" }]);
    expect(base.permissionsManagement).toBe("none");
    const widened = grantsOf([
      { Effect: "Allow", Action: ["logs:GetLogEvents", "iam:AttachUserPolicy", "dynamodb:DeleteItem"], Resource: "*" },
    ]);
    expect(widened.permissionsManagement).toBe("`iam:AttachUserPolicy`");
    expect(widened.dataDestroying).toBe("`dynamodb:DeleteItem`");
    // An unconditional Deny removes; a conditional one does not.
    expect(
      grantsOf([
        { Effect: "Allow", Action: "iam:AttachUserPolicy", Resource: "*" },
        { Effect: "Deny", Action: "iam:*", Resource: "*" },
      ]).permissionsManagement,
    ).toBe("none");
  });

  it("is a section of the iam-baseline README only", () => {
    expect(personaGrantsSection("iam-baseline")?.body).toContain("| `developer` |");
    expect(personaGrantsSection("data-lake")).toBeUndefined();
  });
});
