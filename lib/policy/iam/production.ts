/**
 * What a production environment's non-admin roles may never do to data, derived from the
 * catalog's data-destroying class (../destructive): the direct destroyers as compact wildcard
 * patterns, and the indirect ways (backup retention 0, point-in-time recovery off, versioning
 * suspended, expiring lifecycle, log retention, key deletion, key material, key-policy
 * replacement), conditioned where the catalog has a key that isolates the destroying form and
 * denied whole where it has none. Pure data: no cdktf import.
 */
import { Condition, Statement } from "../types";
import { dataDestroyingActions, directDestroyerPatterns } from "../destructive";

/** Direct destroyers: expanding these patterns against the catalog gives exactly the class. */
export const PRODUCTION_DATA_DENY_ACTIONS: readonly string[] = directDestroyerPatterns();

/**
 * Destroying changes the catalog class does not list that the module denies too: a DynamoDB
 * time-to-live setting deletes every expired item.
 */
export const PRODUCTION_EXTRA_DENY_ACTIONS: readonly string[] = ["dynamodb:UpdateTimeToLive"];

/** Indirect destroyers denied whole (no condition key isolates their destroying form). */
export const PRODUCTION_INDIRECT_DENY_ACTIONS: readonly string[] = [
  ...new Set([
    ...dataDestroyingActions()
      .indirect.filter((e) => !e.condition)
      .map((e) => e.action),
    ...PRODUCTION_EXTRA_DENY_ACTIONS,
  ]),
].sort();

/** The production data statements: direct class, indirect ways (whole or conditioned). */
export function productionDataStatements(): Statement[] {
  const conditioned = new Map<string, { condition: Condition; actions: string[] }>();
  for (const e of dataDestroyingActions().indirect) {
    if (!e.condition) continue;
    const key = JSON.stringify(e.condition);
    if (!conditioned.has(key)) conditioned.set(key, { condition: JSON.parse(key) as Condition, actions: [] });
    conditioned.get(key)!.actions.push(e.action);
  }
  return [
    { Sid: "DenyProductionDataDeletion", Effect: "Deny", Action: [...PRODUCTION_DATA_DENY_ACTIONS], Resource: "*" },
    { Sid: "DenyIndirectProductionDataLoss", Effect: "Deny", Action: [...PRODUCTION_INDIRECT_DENY_ACTIONS], Resource: "*" },
    ...[...conditioned.values()].map(
      (c, i): Statement => ({
        Sid: `DenyDestroyingForm${i + 1}`,
        Effect: "Deny",
        Action: [...new Set(c.actions)].sort(),
        Resource: "*",
        Condition: c.condition,
      }),
    ),
  ];
}
