import type { Catalogue } from './catalogue.ts';

/** Texts of `rig backup` and `rig restore`. */
export const backupMessages = {
  'backup.done': {
    zh: '备份完成：{folder}（数据库 {dbBytes} 字节；照片文件新复制 {copied} 个、未变 {unchanged} 个）',
    en: 'backup written to {folder} (database {dbBytes} bytes; {copied} photo file(s) copied, {unchanged} unchanged)',
  },
  'backup.unreferenced': {
    zh: '存档中有 {n} 个文件没有对应记录，未备份；请运行 rig verify 查看',
    en: '{n} archive file(s) have no record and were not backed up; run rig verify to see them',
  },
  'backup.problems': { zh: '备份时发现 {n} 个问题：', en: '{n} problem(s) found while backing up:' },
  'backup.file.missing': { zh: '记录中的照片文件不存在', en: 'a recorded photo file is missing' },
  'backup.file.changed': { zh: '照片文件与记录的校验值不符（已按现状复制）', en: 'a photo file no longer matches its recorded hash (copied as it is)' },
  'backup.file.outside': { zh: '记录的路径不在存档目录内，已跳过', en: 'a recorded path is outside the archive; skipped' },
  'backup.copy_mismatch': { zh: '写入备份后读回的内容不一致（备份盘可能损坏）', en: 'the copy read back different bytes (the backup disk may be failing)' },
  'backup.no_manifest': { zh: '该目录不是备份（没有 manifest.json）：{folder}', en: 'not a backup folder (no manifest.json): {folder}' },
  'backup.bad_manifest': { zh: '备份清单 manifest.json 无法识别：{folder}', en: 'manifest.json is not a backup manifest: {folder}' },
  'restore.done': {
    zh: '已恢复 {createdAt} 的备份：{files} 个照片文件，数据库版本 {schemaVersion}；请运行 rig verify 核对',
    en: 'restored the backup of {createdAt}: {files} photo file(s), schema version {schemaVersion}; run rig verify to check',
  },
  'restore.moved_aside': { zh: '原有数据库和存档已移至：{folder}', en: 'the previous database and archive were moved to {folder}' },
  'restore.not_empty': {
    zh: '数据目录不为空：{folder}。确认要覆盖请加 --force（原有数据会移到其中的 replaced-* 目录）',
    en: 'the data folder is not empty: {folder}. Add --force to replace it (its contents are moved into replaced-* inside it)',
  },
  'restore.backup_damaged': { zh: '备份已损坏，未做任何改动（{n} 个文件有问题）：', en: 'the backup is damaged; nothing was changed ({n} file(s) affected):' },
  'restore.file.missing': { zh: '备份中缺少此文件', en: 'file missing from the backup' },
  'restore.file.hash': { zh: '文件校验值与备份清单不符', en: 'file does not match the hash in the manifest' },
  'restore.file.outside': { zh: '清单中的路径不在备份目录内', en: 'a manifest path leaves the backup folder' },
} as const satisfies Catalogue;

/** The reason codes of this catalogue: a code without both texts does not compile. */
export type BackupCode = keyof typeof backupMessages;
