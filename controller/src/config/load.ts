/**
 * Loads the configuration: schema defaults, then the file (--config, RIG_CONFIG or
 * config/default.yaml), then environment overrides, then command-line flags. The result is
 * validated against the one schema; any problem stops the caller with every problem listed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';
import { ConfigSchema, type RigConfig } from './schema.ts';
import { ConfigError, problemsFromErrors, type ConfigProblem } from './problems.ts';

/** Project root, from this file's place in controller/src/config/. */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const defaultConfigFile = join(projectRoot, 'config', 'default.yaml');

/** Environment variables that override one setting each (documented in the README). */
export const environmentOverrides: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'RIG_DATA', path: 'data' },
  { name: 'RIG_TIME_ZONE', path: 'timeZone' },
  { name: 'RIG_ROOM', path: 'room' },
  { name: 'RIG_SCHOOL_CODE', path: 'school.code' },
  { name: 'RIG_SCHOOL_NAME', path: 'school.name' },
  { name: 'RIG_PHOTO_PROFILE', path: 'photo.profile' },
  { name: 'RIG_PHOTO_BACKGROUND', path: 'photo.background' },
  { name: 'RIG_CAMERA_DRIVER', path: 'camera.driver' },
  { name: 'RIG_CAMERA_PORT', path: 'camera.port' },
  { name: 'RIG_RIG_DRIVER', path: 'rig.driver' },
  { name: 'RIG_SERIAL_PORT', path: 'rig.serialPort' },
  { name: 'RIG_KIOSK_HOST', path: 'kiosk.host' },
  { name: 'RIG_KIOSK_PORT', path: 'kiosk.port' },
  { name: 'RIG_STAFF_HOST', path: 'staff.host' },
  { name: 'RIG_STAFF_PORT', path: 'staff.port' },
  { name: 'RIG_STAFF_TLS_CERT', path: 'staff.tls.cert' },
  { name: 'RIG_STAFF_TLS_KEY', path: 'staff.tls.key' },
  { name: 'RIG_RETAKE_LIMIT', path: 'capture.retakeLimit' },
];

export type ConfigOverrides = { [key: string]: unknown };

export interface LoadOptions {
  /** Configuration file; when absent RIG_CONFIG, then config/default.yaml (if present). */
  file?: string | null;
  /** Environment to read overrides from; pass `process.env` in the CLI, `{}` in tests. */
  env?: Record<string, string | undefined>;
  /** Command-line flags, as a partial configuration object; they win over everything. */
  overrides?: ConfigOverrides;
  /** Label for `overrides` in problem reports. */
  overridesSource?: string;
  /** Base for a relative `file`. */
  cwd?: string;
}

export interface LoadedConfig {
  config: RigConfig;
  /** The file that was read, or null when only defaults, environment and flags apply. */
  file: string | null;
}

type Tree = Record<string, unknown>;

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeInto(base: Tree, top: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(top)) {
    const b = out[k];
    out[k] = isTree(b) && isTree(v) ? mergeInto(b, v) : v;
  }
  return out;
}

function treeAt(path: string, value: unknown): Tree {
  const parts = path.split('.');
  let node: unknown = value;
  for (const part of parts.reverse()) node = { [part]: node };
  return node as Tree;
}

/** The schema node of a dotted path, to convert environment strings to the setting's type. */
function schemaAt(path: string): unknown {
  let node: unknown = ConfigSchema;
  for (const part of path.split('.')) {
    node = isTree(node) && isTree(node.properties) ? node.properties[part] : undefined;
  }
  return node;
}

function fromEnvironment(path: string, raw: string): unknown {
  const schema = schemaAt(path);
  const type = isTree(schema) ? schema.type : undefined;
  if (type === 'integer' && /^-?\d+$/.test(raw.trim())) return Number(raw.trim());
  // Nullable settings (anyOf string | null): an empty variable means "unset".
  if (isTree(schema) && Array.isArray(schema.anyOf) && raw === '') return null;
  return raw;
}

/** Leaf paths of a partial tree, for attributing problems to the flag that set them. */
function leafPaths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (isTree(v) ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function readFileTree(file: string): { tree: Tree; problems: ConfigProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    return { tree: {}, problems: [{ path: file, code: 'config.file_unreadable', params: { reason } }] };
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      tree: {},
      problems: doc.errors.map((e) => ({
        path: e.linePos ? `${file}:${e.linePos[0].line}:${e.linePos[0].col}` : file,
        code: 'config.yaml_syntax',
        params: { reason: e.message.split('\n')[0] ?? e.code },
      })),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { tree: {}, problems: [] };
  if (!isTree(value)) return { tree: {}, problems: [{ path: file, code: 'config.not_a_mapping', params: {} }] };
  return { tree: value, problems: [] };
}

const loopbackHosts = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** Rules one schema keyword cannot say; checked on whatever parts are well-typed. */
function crossChecks(value: Tree, cwd: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (typeof value.timeZone === 'string' && value.timeZone !== '') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value.timeZone });
    } catch {
      problems.push({ path: 'timeZone', code: 'config.bad_time_zone', params: {} });
    }
  }
  const kiosk = value.kiosk;
  if (isTree(kiosk) && typeof kiosk.host === 'string' && !loopbackHosts.test(kiosk.host)) {
    problems.push({ path: 'kiosk.host', code: 'config.not_loopback', params: {} });
  }
  const tls = isTree(value.staff) ? value.staff.tls : undefined;
  if (isTree(tls) && (tls.cert === null) !== (tls.key === null)) {
    problems.push({ path: 'staff.tls', code: 'config.tls_incomplete', params: {} });
  }
  // Found now rather than when the staff listener starts, possibly hours into a shooting day.
  for (const part of ['cert', 'key'] as const) {
    const file = isTree(tls) ? tls[part] : undefined;
    if (typeof file === 'string' && file !== '' && !existsSync(resolve(cwd, file))) {
      problems.push({ path: `staff.tls.${part}`, code: 'config.file_missing', params: { file } });
    }
  }
  return problems;
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  // An empty RIG_CONFIG counts as unset, as shells make it easy to export one by accident.
  const requested = options.file ?? (env.RIG_CONFIG || null);
  const file = requested !== null ? (isAbsolute(requested) ? requested : resolve(cwd, requested)) : existsSync(defaultConfigFile) ? defaultConfigFile : null;

  const problems: ConfigProblem[] = [];
  let merged = Value.Default(ConfigSchema, {}) as Tree;
  if (file !== null) {
    const read = readFileTree(file);
    problems.push(...read.problems);
    merged = mergeInto(merged, read.tree);
  }

  const sources = new Map<string, string>();
  for (const { name, path } of environmentOverrides) {
    const raw = env[name];
    if (raw === undefined) continue;
    merged = mergeInto(merged, treeAt(path, fromEnvironment(path, raw)));
    sources.set(path, name);
  }
  if (options.overrides) {
    merged = mergeInto(merged, options.overrides);
    for (const path of leafPaths(options.overrides)) sources.set(path, options.overridesSource ?? 'command line');
  }

  const found = [...problemsFromErrors([...Value.Errors(ConfigSchema, merged)]), ...crossChecks(merged, cwd)];
  for (const p of found) {
    const source = sources.get(p.path);
    problems.push(source ? { ...p, source } : p);
  }
  if (problems.length > 0) throw new ConfigError(problems, file);
  return { config: merged as RigConfig, file };
}

/** Where things live inside the data folder. */
export interface DataLayout {
  root: string;
  /** SQLite database: roster, schedule, captures, audit log. */
  database: string;
  /** Image archive: originals and deliverables by date/school/department. */
  archive: string;
}

export function dataLayout(config: Pick<RigConfig, 'data'>, cwd = process.cwd()): DataLayout {
  const root = resolve(cwd, config.data);
  return { root, database: join(root, 'rig.db'), archive: join(root, 'archive') };
}
