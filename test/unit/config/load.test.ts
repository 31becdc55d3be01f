import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Value from 'typebox/value';
import { parse } from 'yaml';
import { dataLayout, defaultConfigFile, environmentOverrides, loadConfig } from '../../../controller/src/config/load.ts';
import { ConfigError, type ConfigProblem } from '../../../controller/src/config/problems.ts';
import { ConfigSchema } from '../../../controller/src/config/schema.ts';

const dirs: string[] = [];
function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rig-config-'));
  dirs.push(dir);
  const file = join(dir, 'rig.yaml');
  writeFileSync(file, text);
  return file;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function problemsOf(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config/default.yaml', () => {
  it('states exactly the schema defaults', () => {
    const documented: unknown = parse(readFileSync(defaultConfigFile, 'utf8'));
    expect(documented).toEqual(Value.Default(ConfigSchema, {}));
  });

  it('is what loads when no file is named', () => {
    const { config, file } = loadConfig({ env: {} });
    expect(file).toBe(defaultConfigFile);
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.data).toBe('./data');
    expect(config.kiosk.host).toBe('127.0.0.1');
  });
});

describe('loadConfig', () => {
  it('fills everything a partial file leaves out from the defaults', () => {
    const file = configFile('school:\n  code: "10422"\nrig:\n  lights:\n    key:\n      pin: 5\n');
    const { config } = loadConfig({ file, env: {} });
    expect(config.school.code).toBe('10422');
    expect(config.school.name).toBe('示例大学');
    expect(config.rig.lights.key.pin).toBe(5);
    expect(config.rig.lights.fill.pin).toBe(10);
  });

  it('lists every problem by path, not just the first', () => {
    const file = configFile(
      [
        'rig:',
        '  lights:',
        '    key: { pin: "nine" }',
        '    fill: { pin: 100 }',
        '  sensors: { door: { closedWhen: sideways } }',
        'camera: { port: 5 }',
        'school: { code: "ABC" }',
        'kiosk: { port: -1 }',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.code]));
    expect(byPath).toEqual({
      'rig.lights.key.pin': 'config.expected_type',
      'rig.lights.fill.pin': 'config.out_of_range',
      'rig.sensors.door.closedWhen': 'config.expected_one_of',
      'camera.port': 'config.expected_type',
      'school.code': 'config.bad_format',
      'kiosk.port': 'config.out_of_range',
    });
  });

  it('prints each problem as "path: text" in both languages', () => {
    const file = configFile('rig:\n  lights:\n    key:\n      pin: 1.5\n');
    try {
      loadConfig({ file, env: {} });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('rig.lights.key.pin: 类型应为 integer / expected integer');
    }
  });

  it('rejects unknown keys at every level', () => {
    const file = configFile('colour: blue\nrig:\n  lights:\n    strobe: { pin: 3 }\n  sensors:\n    door: { pin: 2, debounce: 5 }\n');
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    expect(problems.filter((p) => p.code === 'config.unknown_key').map((p) => p.path).sort()).toEqual([
      'colour',
      'rig.lights.strobe',
      'rig.sensors.door.debounce',
    ]);
  });

  it('refuses a kiosk listener off loopback and half a TLS pair', () => {
    const file = configFile('kiosk: { host: 0.0.0.0 }\nstaff: { tls: { key: /etc/rig/key.pem } }\ntimeZone: Mars/Olympus\n');
    const codes = problemsOf(() => loadConfig({ file, env: {} })).map((p) => `${p.path} ${p.code}`);
    expect(codes.sort()).toEqual([
      'kiosk.host config.not_loopback',
      'staff.tls config.tls_incomplete',
      'staff.tls.key config.file_missing',
      'timeZone config.bad_time_zone',
    ]);
  });

  it('accepts a TLS pair whose files exist, relative to the working directory', () => {
    const file = configFile('staff: { tls: { cert: cert.pem, key: key.pem } }\n');
    const dir = file.slice(0, file.lastIndexOf('/'));
    writeFileSync(join(dir, 'cert.pem'), 'x');
    expect(problemsOf(() => loadConfig({ file, env: {}, cwd: '/' })).map((p) => p.path)).toEqual(['staff.tls.cert', 'staff.tls.key']);
    writeFileSync(join(dir, 'key.pem'), 'x');
    expect(loadConfig({ file, env: {}, cwd: dir }).config.staff.tls).toEqual({ cert: 'cert.pem', key: 'key.pem' });
  });

  it('reports a YAML syntax error with its line, a missing file, and a non-mapping file', () => {
    const broken = configFile('rig:\n  lights: [1, 2\n');
    expect(problemsOf(() => loadConfig({ file: broken, env: {} }))[0]?.code).toBe('config.yaml_syntax');
    expect(problemsOf(() => loadConfig({ file: broken, env: {} }))[0]?.path).toMatch(/rig\.yaml:\d+:\d+$/);
    expect(problemsOf(() => loadConfig({ file: '/no/such/rig.yaml', env: {} }))[0]).toMatchObject({ code: 'config.file_unreadable', params: { reason: 'ENOENT' } });
    expect(problemsOf(() => loadConfig({ file: configFile('- a\n- b\n'), env: {} }))[0]?.code).toBe('config.not_a_mapping');
  });

  it('takes environment overrides over the file, converted to the setting type', () => {
    const file = configFile('kiosk: { port: 9000 }\ndata: /srv/file-data\n');
    const { config } = loadConfig({
      file,
      env: { RIG_KIOSK_PORT: '9100', RIG_DATA: '/srv/env-data', RIG_CAMERA_PORT: 'ptpip:127.0.0.1:15740', RIG_PHOTO_PROFILE: 'seed-2008' },
    });
    expect(config.kiosk.port).toBe(9100);
    expect(config.data).toBe('/srv/env-data');
    expect(config.camera.port).toBe('ptpip:127.0.0.1:15740');
    expect(config.photo.profile).toBe('seed-2008');
  });

  it('names the environment variable behind a bad value', () => {
    const problems = problemsOf(() => loadConfig({ file: null, env: { RIG_KIOSK_PORT: 'eighty', RIG_RIG_DRIVER: 'arduino' } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'kiosk.port', code: 'config.expected_type', source: 'RIG_KIOSK_PORT' }),
        expect.objectContaining({ path: 'rig.driver', code: 'config.expected_one_of', source: 'RIG_RIG_DRIVER' }),
      ]),
    );
  });

  it('reads the file named by RIG_CONFIG, and flags win over the environment', () => {
    const file = configFile('school: { name: 环境大学 }\n');
    const { config, file: used } = loadConfig({ env: { RIG_CONFIG: file, RIG_DATA: '/env' }, overrides: { data: '/flag' } });
    expect(used).toBe(file);
    expect(config.school.name).toBe('环境大学');
    expect(config.data).toBe('/flag');
  });

  it('maps every documented environment variable to a real setting', () => {
    for (const { name, path } of environmentOverrides) {
      let node: unknown = ConfigSchema;
      for (const part of path.split('.')) node = (node as { properties: Record<string, unknown> }).properties[part];
      expect(node, name).toBeDefined();
      expect(readFileSync(defaultConfigFile, 'utf8'), `${name} documented`).toContain(name);
    }
  });

  it('places rig.db and the archive inside the data folder', () => {
    expect(dataLayout({ data: 'var/rig' }, '/srv')).toEqual({ root: '/srv/var/rig', database: '/srv/var/rig/rig.db', archive: '/srv/var/rig/archive' });
  });
});
