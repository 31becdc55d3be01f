/** A batch written to a local file (`rig export`): same ZIP as the LAN route, renamed into place when complete. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { AuditTrail } from './ports/audit.ts';
import type { AcceptedPhotoSource } from './ports/accepted-photos.ts';
import { batchZipStream, planBatch, type Naming } from '../formats/export/batch.ts';

export interface ExportRequest {
  date: string;
  department?: string;
  className?: string;
  naming: Naming;
}

export async function exportBatchToFile(
  source: AcceptedPhotoSource,
  audit: { trail: AuditTrail; actor: string },
  dataDir: string,
  request: ExportRequest,
  outFile: string,
  now: Date,
  onProgress?: (done: number, total: number, bytes: number) => void,
): Promise<{ files: number }> {
  const rows = planBatch(await source.list(request), request.naming);
  const scope = [request.date, request.department, request.className].filter((s): s is string => s !== undefined);
  // Our own temp name, created exclusively: an existing "X.part" of someone else's is never truncated.
  const part = `${outFile}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    await pipeline(batchZipStream(rows, { dataDir, title: scope.join(' '), now, onProgress }), createWriteStream(part, { flags: 'wx' }));
    const fd = await open(part, 'r+');
    await fd.sync();
    await fd.close();
    await rename(part, outFile);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  await audit.trail.append({
    actor: audit.actor, origin: 'local', action: 'batch.export', target: scope.join(' / '),
    details: { date: request.date, department: request.department ?? null, class: request.className ?? null, naming: request.naming, files: rows.length, out: outFile },
  }, now);
  return { files: rows.length };
}
