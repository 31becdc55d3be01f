/** 信息不符: reports from the kiosk's confirm step; resolve with a note, download the open ones for the office. */
import { api, apiProblem } from './api.ts';
import { detach, el, replace, table } from './dom.ts';
import { t } from './i18n.ts';
import { discrepancyFieldLabel, type DiscrepancyField } from '../../../controller/src/domain/discrepancy.ts';

interface Report {
  id: number; fields: DiscrepancyField[]; reportedAt: string; resolvedAt: string | null; resolvedBy: string | null; note: string | null;
  student: { name: string; idNumber: string; department: string; className: string; studentNumber: string };
}

const fieldNames = (fields: readonly DiscrepancyField[]) => fields.map((f) => t(discrepancyFieldLabel[f])).join(t('kiosk.ui.list_sep'));

export async function discrepanciesPage(main: HTMLElement): Promise<void> {
  const out = el('p', { role: 'status' });
  const { discrepancies } = await api<{ discrepancies: Report[] }>('GET', '/api/discrepancies');
  const resolveCell = (d: Report): HTMLElement => {
    if (d.resolvedAt) return el('span', {}, t('staff.ui.discrepancy_resolved', { by: d.resolvedBy ?? '', note: d.note ?? '' }));
    const note = el('input', { name: 'note', required: true, maxlength: '500', placeholder: t('staff.ui.discrepancy_note') });
    return el('form', { class: 'inline', 'data-discrepancy': String(d.id), onsubmit: (e: Event) => {
      e.preventDefault();
      detach(api('POST', `/api/discrepancies/${d.id}/resolve`, { note: note.value })
        .then(() => discrepanciesPage(main))
        .catch((err: unknown) => replace(out, apiProblem(err))));
    } }, note, el('button', { type: 'submit' }, t('staff.ui.discrepancy_resolve')));
  };
  replace(main,
    el('h1', {}, t('staff.ui.discrepancies')),
    el('p', {}, el('a', { href: '/api/discrepancies.xlsx', download: '', 'data-action': 'discrepancies-xlsx' }, t('staff.ui.discrepancies_xlsx'))),
    discrepancies.length === 0
      ? el('p', {}, t('staff.ui.discrepancies_none'))
      : table([t('staff.ui.student_name'), t('staff.ui.id_number'), t('staff.ui.department'), t('staff.ui.class'), t('staff.ui.discrepancy_fields'), t('staff.ui.discrepancy_reported'), ''],
        discrepancies.map((d) => [d.student.name, d.student.idNumber, d.student.department, d.student.className, fieldNames(d.fields),
          d.reportedAt.slice(0, 16).replace('T', ' '), resolveCell(d)])),
    out);
}
