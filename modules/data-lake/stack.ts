import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { TerraformIterator } from "../../lib/cdktf";
import { DATA_LAKE_SPEC } from "./spec";

export class DataLakeStack extends ModuleStack {
  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, DATA_LAKE_SPEC);
    const zones = TerraformIterator.fromMap(this.variable("zones").value);
    new S3Bucket(this, "zone", {
      forEach: zones,
      bucket: `\${var.name}-\${each.key}`,
      forceDestroy: false,
      tags: `\${merge(var.tags, { "guardrail:zone" = each.key })}` as any,
    });
    this.output("bucket_names", `\${{ for k, b in aws_s3_bucket.zone : k => b.bucket }}`);
    this.output("bucket_arns", `\${{ for k, b in aws_s3_bucket.zone : k => b.arn }}`);
    this.checkOutputsDeclared();
  }
}
