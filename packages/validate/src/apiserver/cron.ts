/**
 * Cron schedules as the CronJob controller parses them (robfig/cron's ParseStandard: five
 * fields, or a descriptor such as @hourly; `?` for day fields; names for months and days;
 * ranges, steps and lists), returning what is wrong or undefined.
 */

const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** value of names[0] */
  readonly namesFrom?: number;
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: "day of week", min: 0, max: 6, names: DAYS, namesFrom: 0 },
];

function value(s: string, f: Field): number | string {
  if (/^\d+$/.test(s)) return Number(s);
  const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
  if (i >= 0) return i + (f.namesFrom ?? 0);
  return `"${s}" is not a number${f.names ? " or a name" : ""} in the ${f.name} field`;
}

function fieldProblem(expr: string, f: Field, dayField: boolean): string | undefined {
  for (const part of expr.split(",")) {
    if (part === "") return `empty list item in the ${f.name} field`;
    const [range, step, extra] = part.split("/");
    if (extra !== undefined) return `"${part}" has more than one '/'`;
    if (step !== undefined && !/^\d+$/.test(step)) return `step "${step}" is not a number`;
    if (step !== undefined && Number(step) === 0) return `step of "${part}" must be at least 1`;
    if (range === "*" || (range === "?" && dayField)) continue;
    const bounds = (range as string).split("-");
    if (bounds.length > 2) return `"${range}" is not a range`;
    const lo = value(bounds[0] as string, f);
    if (typeof lo === "string") return lo;
    const hi = bounds.length === 2 ? value(bounds[1] as string, f) : lo;
    if (typeof hi === "string") return hi;
    if (lo < f.min) return `beginning of range (${lo}) below minimum (${f.min}) in the ${f.name} field`;
    if (hi > f.max) return `end of range (${hi}) above maximum (${f.max}) in the ${f.name} field`;
    if (lo > hi) return `beginning of range (${lo}) beyond end of range (${hi}) in the ${f.name} field`;
  }
  return undefined;
}

export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s === "") return "the schedule is empty";
  if (s.startsWith("@")) {
    if (DESCRIPTORS.has(s)) return undefined;
    if (/^@every\s+\S+$/.test(s)) return /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s) ? undefined : `"${s}" is not an @every duration`;
    return `unknown descriptor "${s}"`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const p = fieldProblem(fields[i] as string, FIELDS[i] as Field, i === 2 || i === 4);
    if (p) return p;
  }
  return undefined;
}
