/**
 * The subset of ApplicationSet Go templates Slipway generates: `{{.a.b}}` field references,
 * evaluated with `missingkey=error` semantics. Anything else is reported as unsupported, so
 * the preview never guesses what Argo CD would produce.
 */

export class TemplateError extends Error {}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const FIELD = /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function lookup(params: unknown, expression: string): string {
  let value: unknown = params;
  for (const key of expression.slice(1).split(".")) {
    if (value === null || typeof value !== "object" || !(key in (value as object))) {
      throw new TemplateError(`map has no entry for key "${key}" in \`{{${expression}}}\` (missingkey=error)`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || typeof value === "object") throw new TemplateError(`\`{{${expression}}}\` is not a scalar`);
  return String(value);
}

export function renderString(template: string, params: unknown): string {
  return template.replace(ACTION, (_match, expression: string) => {
    if (!FIELD.test(expression)) throw new TemplateError(`unsupported template action \`{{${expression}}}\` (the preview evaluates field references only)`);
    return lookup(params, expression);
  });
}

/** Renders every string (keys included) of a template object. */
export function renderTemplate<T>(template: T, params: unknown): T {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return renderString(value, params);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderString(k, params), walk(v)]));
    }
    return value;
  };
  return walk(template) as T;
}
