/**
 * Plain, typed IAM policy data. No cdktf import: everything under lib/policy is
 * pure and can be unit-tested, measured and simulated on its own.
 */

/** A condition block: operator -> condition key -> value(s). */
export type Condition = Record<string, Record<string, string | boolean | number | Array<string>>>;

export type Principal =
  | "*"
  | {
      AWS?: string | string[];
      Service?: string | string[];
      Federated?: string | string[];
    };

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Principal;
  NotPrincipal?: Principal;
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** What kind of policy a document is: drives size limits and rules. */
export type PolicyKind =
  | "managed" // customer-managed identity policy: 6,144 chars without whitespace
  | "group-inline" // 5,120
  | "role-inline" // 10,240
  | "trust" // role trust policy: 2,048 (default quota)
  | "scp" // 5,120 (default quota), minified
  | "rcp" // 5,120 (default quota), minified
  | "bucket" // 20 KB
  | "access-point"; // 20 KB

export function doc(statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
