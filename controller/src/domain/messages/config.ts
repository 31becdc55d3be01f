import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of configuration problems. Each problem is printed as `path: text`. */
export const configMessages = {
  'config.invalid': { zh: '配置有误，共 {count} 处', en: 'the configuration has {count} problem(s)' },
  'config.unknown_key': { zh: '未知的设置项', en: 'unknown key' },
  'config.required': { zh: '缺少必填项', en: 'required' },
  'config.expected_type': { zh: '类型应为 {expected}', en: 'expected {expected}' },
  'config.expected_one_of': { zh: '应为以下之一：{allowed}', en: 'expected one of {allowed}' },
  'config.out_of_range': { zh: '超出范围，应 {comparison} {limit}', en: 'out of range: must be {comparison} {limit}' },
  'config.too_short': { zh: '不能为空', en: 'must not be empty' },
  'config.bad_format': { zh: '格式不符（{pattern}）', en: 'does not match {pattern}' },
  'config.bad_time_zone': { zh: '未知时区', en: 'unknown time zone' },
  'config.not_loopback': { zh: '自助终端接口只能监听本机回环地址', en: 'the kiosk listener must bind a loopback address' },
  'config.tls_incomplete': { zh: '证书和私钥须同时配置', en: 'cert and key must be set together' },
  'config.file_missing': { zh: '文件不存在：{file}', en: 'file not found: {file}' },
  'config.file_unreadable': { zh: '无法读取配置文件：{reason}', en: 'cannot read the configuration file: {reason}' },
  'config.yaml_syntax': { zh: '配置文件不是有效的 YAML：{reason}', en: 'not valid YAML: {reason}' },
  'config.not_a_mapping': { zh: '配置文件顶层应为键值表', en: 'the top level must be a mapping of keys' },
  'config.ok': { zh: '配置有效：{file}', en: 'configuration is valid: {file}' },
} as const satisfies Catalogue;

/** The reason codes of this catalogue: a code without both texts does not compile. */
export type ConfigCode = keyof typeof configMessages;
