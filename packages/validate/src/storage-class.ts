/**
 * SW-GR-STORAGECLASS: a StorageClass that provisions EBS volumes must make them gp3 (or another
 * current type), never gp2, and encrypted. Both provisioners are checked: the EBS CSI driver's
 * (`ebs.csi.aws.com`, whose default type is gp3) and the in-tree one (`kubernetes.io/aws-ebs`,
 * migrated to the CSI driver, whose default type is gp2). Neither encrypts unless
 * `parameters.encrypted` is "true".
 */
import { asObj, str, type Obj } from "./objects";
import type { Sink } from "./semantic";

const EBS_PROVISIONERS: Readonly<Record<string, string>> = { "ebs.csi.aws.com": "gp3", "kubernetes.io/aws-ebs": "gp2" };

export function checkStorageClass(o: Obj, sink: Sink): void {
  const provisioner = str(o.provisioner);
  if (provisioner === undefined || !(provisioner in EBS_PROVISIONERS)) return;
  const parameters = asObj(o.parameters);
  const type = str(parameters.type)?.toLowerCase() ?? EBS_PROVISIONERS[provisioner]!;
  if (type === "gp2") {
    sink.add(
      "SW-GR-STORAGECLASS",
      parameters.type === undefined ? ["provisioner"] : ["parameters", "type"],
      parameters.type === undefined ? `provisioner ${provisioner} makes gp2 volumes unless parameters.type says otherwise` : "gp2 volumes: gp3 is cheaper per GiB with baseline IOPS and throughput independent of size",
    );
  }
  const encrypted = parameters.encrypted;
  if (encrypted !== "true" && encrypted !== true) {
    sink.add("SW-GR-STORAGECLASS", encrypted === undefined ? ["parameters"] : ["parameters", "encrypted"], `EBS volumes of this class are not encrypted (parameters.encrypted is ${encrypted === undefined ? "not set" : JSON.stringify(encrypted)})`);
  }
}
