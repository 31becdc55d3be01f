/** Make-up certificates (补采证明): register, list, and the printable form. */
import { api, apiProblem } from './api.ts';
import { el, replace, table } from './dom.ts';
import { t } from './i18n.ts';
import type { MessageCode } from '../../../controller/src/domain/messages/index.ts';

interface Certificate {
  id: number; idNumber: string; name: string; schoolCode: string; gender: 'M' | 'F'; educationLevel: string; schoolName: string;
  contact: { address: string; postcode: string; person: string; phone: string }; issuedAt: string; issuedBy: string;
}

const fields: Array<[string, MessageCode, Record<string, string>]> = [
  ['name', 'staff.ui.student_name', {}],
  ['idNumber', 'staff.ui.id_number', { pattern: '\\d{17}[\\dXx]' }],
  ['schoolCode', 'staff.ui.school_code', { pattern: '\\d{5}' }],
  ['educationLevel', 'staff.ui.education_level', {}],
  ['schoolName', 'staff.ui.school_name', {}],
  ['contactAddress', 'staff.ui.address', {}],
  ['postcode', 'staff.ui.postcode', { pattern: '\\d{6}' }],
  ['contactPerson', 'staff.ui.contact_person', {}],
  ['contactPhone', 'staff.ui.phone', {}],
];

export async function makeupsPage(main: HTMLElement): Promise<void> {
  const inputs = new Map(fields.map(([name, , extra]) => [name, el('input', { name, required: true, ...extra })]));
  const genderSelect = el('select', { name: 'gender' }, el('option', { value: 'M' }, t('staff.ui.male')), el('option', { value: 'F' }, t('staff.ui.female')));
  const out = el('p', { role: 'status' });
  const { certificates } = await api<{ certificates: Certificate[] }>('GET', '/api/makeups');
  replace(main, el('h1', {}, t('staff.ui.makeups')),
    el('form', { class: 'grid', onsubmit: (e: Event) => {
      e.preventDefault();
      const body: Record<string, string> = { gender: genderSelect.value };
      for (const [name, input] of inputs) body[name] = input.value.trim();
      api<{ id: number }>('POST', '/api/makeups', body)
        .then(({ id }) => { location.hash = `#certificate/${id}`; }, (err: unknown) => replace(out, apiProblem(err)));
    } },
    ...fields.map(([name, label]) => el('label', {}, t(label), inputs.get(name)!)),
    el('label', {}, t('staff.ui.gender'), genderSelect),
    el('button', { type: 'submit' }, t('staff.ui.submit'))),
    out,
    table((['staff.ui.student_name', 'staff.ui.id_number', 'staff.ui.issued', ''] as const).map((c) => (c ? t(c) : '')),
      certificates.map((c) => [c.name, c.idNumber, new Date(c.issuedAt).toLocaleDateString('zh-CN'), el('a', { href: `#certificate/${c.id}` }, t('staff.ui.print'))])));
}

export async function certificatePrintPage(main: HTMLElement, id: string): Promise<void> {
  if (!/^\d+$/.test(id)) return;
  const { certificate: c, capture } = await api<{ certificate: Certificate; capture: { day: string; sequence: number; acceptedAt: string } | null }>('GET', `/api/makeups/${id}`);
  const row = (label: MessageCode, value: string) => el('tr', {}, el('th', {}, t(label)), el('td', {}, value));
  replace(main, el('article', { class: 'certificate' },
    el('h1', {}, t('staff.ui.certificate_title')),
    el('table', {},
      row('staff.ui.student_name', c.name),
      row('staff.ui.gender', t(c.gender === 'M' ? 'staff.ui.male' : 'staff.ui.female')),
      row('staff.ui.id_number', c.idNumber),
      row('staff.ui.school_code', c.schoolCode),
      row('staff.ui.school_name', c.schoolName),
      row('staff.ui.education_level', c.educationLevel),
      row('staff.ui.address', c.contact.address),
      row('staff.ui.postcode', c.contact.postcode),
      row('staff.ui.contact_person', c.contact.person),
      row('staff.ui.phone', c.contact.phone)),
    el('p', {}, t('staff.ui.certificate_body')),
    el('p', { class: 'capture-status', 'data-used': capture ? 'yes' : 'no' }, capture
      ? t('staff.ui.certificate_used', { day: capture.day, sequence: String(capture.sequence).padStart(4, '0') })
      : t('staff.ui.certificate_unused')),
    el('p', { class: 'signature' }, `${t('staff.ui.issued')}: ${c.issuedBy}  ${new Date(c.issuedAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}`)),
    el('div', { class: 'no-print' },
      el('button', { type: 'button', onclick: () => window.print() }, t('staff.ui.print')),
      el('a', { href: '#makeups' }, t('staff.ui.makeups'))));
}
