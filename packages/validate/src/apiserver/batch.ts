/**
 * Job and CronJob rules of pkg/apis/batch/validation/validation.go: validateJobSpec,
 * ValidateCronJobSpec (validateScheduleFormat, validateTimeZone), the CronJob name limit.
 */
import { cronProblem } from "./cron";
import { checkBound, int, obj, str, type Obj, type Path, type Sink } from "./util";

/** IANA zone names the runtime knows (Intl), asked once each. */
const zones = new Map<string, boolean>();
function knownZone(tz: string): boolean {
  let ok = zones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zones.set(tz, ok);
  }
  return ok;
}

export function checkBatch(kind: string, o: Obj, sink: Sink): void {
  if (kind === "CronJob") cronJob(o, sink);
  else if (kind === "Job") job(obj(o.spec), ["spec"], sink);
}

function cronJob(o: Obj, sink: Sink): void {
  const name = str(obj(o.metadata)?.name);
  // The controller names each Job <cronjob>-<11 digits>: a longer name cannot make a valid Job name.
  if (name !== undefined && name.length > 52) sink.add("SW-SEM-NAME", ["metadata", "name"], `a CronJob name is at most 52 characters (its Jobs add 11); "${name}" has ${name.length}`);
  const spec = obj(o.spec);
  if (!spec) return;
  const schedule = str(spec.schedule);
  if (schedule !== undefined) {
    if (schedule.includes("TZ")) {
      sink.add("SW-SEM-CRON-SCHEDULE", ["spec", "schedule"], spec.timeZone !== undefined ? "cannot use both timeZone and TZ or CRON_TZ in schedule" : "cannot use TZ or CRON_TZ in schedule; use spec.timeZone");
    } else {
      const p = cronProblem(schedule);
      if (p) sink.add("SW-SEM-CRON-SCHEDULE", ["spec", "schedule"], `schedule "${schedule}" is invalid: ${p}`);
    }
  }
  const tz = str(spec.timeZone);
  if (tz !== undefined && (tz === "" || tz === "Local" || tz.includes("..") || tz.includes("//") || tz.startsWith("/") || tz.endsWith("/") || !/^[A-Za-z0-9_./+-]+$/.test(tz) || !knownZone(tz))) {
    sink.add("SW-SEM-CRON-SCHEDULE", ["spec", "timeZone"], `unknown time zone "${tz}" (an IANA name such as Europe/Paris or Etc/UTC)`);
  }
  for (const k of ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"]) checkBound(spec, k, 0, ["spec"], sink);
  const jt = obj(obj(spec.jobTemplate)?.spec);
  job(jt, ["spec", "jobTemplate", "spec"], sink);
}

function job(spec: Obj | undefined, at: Path, sink: Sink): void {
  if (!spec) return;
  for (const k of ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"]) checkBound(spec, k, 0, at, sink);
  checkBound(spec, "activeDeadlineSeconds", 1, at, sink);
  const indexed = spec.completionMode === "Indexed";
  if (indexed && int(spec.completions) === undefined) sink.add("SW-SEM-JOB", [...at, "completions"], "completions is required when completionMode is Indexed");
  if (!indexed) {
    for (const k of ["backoffLimitPerIndex", "maxFailedIndexes"]) if (spec[k] !== undefined && spec[k] !== null) sink.add("SW-SEM-JOB", [...at, k], `${k} requires completionMode: Indexed`);
  }
  const mfi = int(spec.maxFailedIndexes);
  if (mfi !== undefined && spec.backoffLimitPerIndex === undefined) sink.add("SW-SEM-JOB", [...at, "maxFailedIndexes"], "maxFailedIndexes requires backoffLimitPerIndex");
  const rp = str(obj(obj(spec.template)?.spec)?.restartPolicy);
  if (spec.podFailurePolicy !== undefined && spec.podFailurePolicy !== null && rp !== undefined && rp !== "Never") sink.add("SW-SEM-JOB", [...at, "podFailurePolicy"], `podFailurePolicy requires the pod template's restartPolicy to be Never, not ${rp}`);
  if (rp === undefined && obj(spec.template)) sink.add("SW-SEM-RESTART-POLICY", [...at, "template", "spec", "restartPolicy"], "a Job's pod template needs restartPolicy OnFailure or Never (the default, Always, is refused)");
}
