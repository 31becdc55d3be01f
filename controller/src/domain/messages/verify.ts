import type { Catalogue } from './catalogue.ts';

/** `rig verify`: what it found when reconciling the database and the image archive. */
export const verifyMessages = {
  'verify.ok': { zh: '数据库与照片存档一致：{photos} 张照片，{files} 个文件', en: 'Database and archive agree: {photos} photo(s), {files} file(s)' },
  'verify.problems': { zh: '发现 {n} 处问题', en: '{n} problem(s) found' },
  'verify.repaired': { zh: '已修复 {n} 处（文件已移入隔离文件夹，未删除）', en: '{n} repaired (files moved to the quarantine folder, not deleted)' },
  'verify.db.integrity': { zh: '数据库完整性检查未通过', en: 'The database integrity check failed' },
  'verify.db.foreign_key': { zh: '数据库中有引用不存在的记录', en: 'A database row refers to a row that does not exist' },
  'verify.file.outside': { zh: '记录的文件路径不在存档文件夹内', en: 'The recorded file path is outside the archive folder' },
  'verify.file.missing': { zh: '已采集照片的文件缺失', en: 'An accepted photo\'s file is missing' },
  'verify.file.size': { zh: '文件大小与记录不符', en: 'The file size differs from the record' },
  'verify.file.crc32': { zh: '文件校验值（CRC-32）与记录不符，文件已损坏或被替换', en: 'The file\'s CRC-32 differs from the record: damaged or replaced' },
  'verify.file.sha256': { zh: '文件校验值（SHA-256）与记录不符，文件已损坏或被替换', en: 'The file\'s SHA-256 differs from the record: damaged or replaced' },
  'verify.archive.orphan': { zh: '存档中的文件没有对应的采集记录', en: 'An archive file has no accepted-photo record' },
  'verify.sequence.gap': { zh: '采集序号不连续', en: 'Sequence numbers have a gap' },
  'verify.sequence.duplicate': { zh: '采集序号重复', en: 'A sequence number is used twice' },
} as const satisfies Catalogue;

export type VerifyCode = keyof typeof verifyMessages;
