/**
 * Turns schema errors into one problem per setting, addressed by dotted path
 * (`rig.lights.key.pin: expected integer`), so a bad file is fixed in one pass.
 */
import type { TLocalizedValidationError } from 'typebox/error';
import { bilingual, type ConfigCode } from '../domain/messages/index.ts';

export interface ConfigProblem {
  /** Dotted path of the setting, or the file name for whole-file problems. */
  path: string;
  code: ConfigCode;
  params: Record<string, string | number>;
  /** Where the bad value came from when not the file: an environment variable or the command line. */
  source?: string;
}

/** A configuration that cannot be used; `problems` lists every one found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[], readonly file: string | null) {
    super(formatProblems(problems));
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.path}: ${bilingual(p.code, p.params)}${p.source ? ` [${p.source}]` : ''}`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return [bilingual('config.invalid', { count: problems.length }), ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function dotted(parts: readonly string[]): string {
  return parts.length === 0 ? '(root)' : parts.join('.');
}

type SchemaError = TLocalizedValidationError;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

/** One problem per path and code; anyOf branches (e.g. string | null) fold into one "expected" line. */
export function problemsFromErrors(errors: readonly SchemaError[]): ConfigProblem[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath));
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  const push = (parts: string[], code: ConfigCode, params: ConfigProblem['params'] = {}) => {
    const path = dotted(parts);
    const key = `${path}\u0000${code}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, code, params });
  };
  for (const e of errors) {
    const parts = pointerToPath(e.instancePath);
    const params = e.params as Record<string, unknown>;
    const insideAnyOf = [...anyOfPaths].some((p) => e.schemaPath.startsWith(`${p}/anyOf/`));
    if (insideAnyOf) continue;
    switch (e.keyword) {
      case 'anyOf': {
        const branches = errors.filter((b) => b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/anyOf/`));
        const expected = branches.map((b) => {
          const bp = b.params as Record<string, unknown>;
          return b.keyword === 'type' ? String(bp.type) : b.keyword === 'const' ? JSON.stringify(bp.allowedValue) : b.message;
        });
        push(parts, 'config.expected_type', { expected: [...new Set(expected)].join(' | ') });
        break;
      }
      case 'additionalProperties':
        for (const key of stringList(params.additionalProperties)) push([...parts, key], 'config.unknown_key');
        break;
      case 'boolean':
        // `additionalProperties: false` reports each extra key here as well; the case above names it.
        break;
      case 'required':
        for (const key of stringList(params.requiredProperties)) push([...parts, key], 'config.required');
        break;
      case 'type':
        push(parts, 'config.expected_type', { expected: String(params.type) });
        break;
      case 'enum':
        push(parts, 'config.expected_one_of', { allowed: stringList(params.allowedValues).join(' | ') });
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        push(parts, 'config.out_of_range', { comparison: String(params.comparison), limit: String(params.limit) });
        break;
      case 'minLength':
        push(parts, 'config.too_short');
        break;
      case 'pattern':
        push(parts, 'config.bad_format', { pattern: String(params.pattern) });
        break;
      default:
        push(parts, 'config.expected_type', { expected: e.message });
    }
  }
  return out;
}
