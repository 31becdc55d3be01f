/**
 * 信息不符 reports for staff: the list (open or all), resolving one with a note (audited), and the
 * open ones as an XLSX for the provincial office, which corrects the registry records.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../store/audit-log.ts';
import { findDiscrepancy, listDiscrepancies, resolveDiscrepancy, type DiscrepancyListing } from '../../store/discrepancy-repository.ts';
import { discrepancyText } from '../../formats/export/manifest.ts';
import { simpleXlsx } from '../../formats/export/xlsx-writer.ts';
import type { StaffContext } from './context.ts';
import { sendError } from './errors.ts';

const office = { access: { roles: ['admin', 'staff'] as const } };

/** The office's sheet: who, which fields, what the roster says now, when reported. */
export function discrepanciesXlsx(rows: readonly DiscrepancyListing[], title: string): Buffer {
  const header = ['身份证号 id_number', '姓名 name', '性别 gender', '出生日期 birth_date', '专业 major', '院系 department', '班级 class',
    '学号 student_number', '信息不符 discrepancies', '登记时间 reported_at'];
  const body = rows.map((d) => [
    d.student.idNumber, d.student.name, d.student.gender === 'M' ? '男' : '女', d.student.birthDate, d.student.major, d.student.department,
    d.student.className, d.student.studentNumber, discrepancyText(d.fields), d.reportedAt,
  ]);
  return simpleXlsx('discrepancies', [22, 12, 8, 12, 20, 16, 14, 16, 28, 24], [header, ...body], title);
}

export function discrepancyRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get('/api/discrepancies', {
      config: office,
      schema: { querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) },
    }, async (req) => ({ discrepancies: await listDiscrepancies(ctx.db, req.query.open === undefined ? {} : { open: req.query.open }) }));

    r.get('/api/discrepancies.xlsx', { config: office }, async (_req, reply) => {
      const rows = await listDiscrepancies(ctx.db, { open: true });
      const name = `discrepancies-${ctx.now().toISOString().slice(0, 10)}.xlsx`;
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(discrepanciesXlsx(rows, '信息不符 discrepancies'));
    });

    r.post('/api/discrepancies/:id/resolve', {
      config: office,
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      },
    }, async (req, reply) => {
      const note = req.body.note.trim();
      if (!note) return sendError(req, reply, 'staff.bad_request', { field: 'note' });
      const now = ctx.now();
      const outcome = await ctx.db.transaction(async (tx) => {
        const before = await findDiscrepancy(tx, req.params.id);
        if (!before || !(await resolveDiscrepancy(tx, before.id, req.staff!.name, note, now))) return null;
        await appendAudit(tx, {
          actor: req.staff!.name, origin: req.ip, action: 'discrepancy.resolve', target: `discrepancy:${before.id}`,
          details: { studentId: before.studentId, fields: before.fields, note },
        }, now);
        return findDiscrepancy(tx, before.id);
      });
      if (!outcome) return sendError(req, reply, 'staff.discrepancy_not_found', { id: req.params.id });
      return { discrepancy: outcome };
    });
  };
}
