/** Dashboard pages: progress, today's photos, search, roster upload, retake override, audit log. */
import { api, ApiError, today } from './api.ts';
import { append, detach, el, replace, table } from './dom.ts';
import { currentLocale, t } from './i18n.ts';
import { visibleText } from '../../../controller/src/domain/visible-text.ts';

interface ClassProgress { department: string; className: string; total: number; captured: number; pending: number; failedAttempts: number; absent: number; held: number }
interface Student { idNumber: string; name: string; gender: 'M' | 'F'; birthDate: string; educationLevel: string; major: string; department: string; className: string; studentNumber: string; collectionCode: string | null }
interface Photo { sequence: number; sha256: string; bytes: number; acceptedAt: string; codeText: string | null; student: Student }

const gender = (g: 'M' | 'F') => t(g === 'M' ? 'staff.ui.male' : 'staff.ui.female');

function dateInput(value: string, onChange: (v: string) => void): HTMLInputElement {
  const input = el('input', { type: 'date', value, onchange: () => onChange(input.value) });
  return input;
}

export async function progressPage(main: HTMLElement): Promise<void> {
  const draw = async (date: string) => {
    const { classes } = await api<{ classes: ClassProgress[] }>('GET', `/api/progress?date=${encodeURIComponent(date)}`);
    replace(main, el('h1', {}, t('staff.ui.progress')), dateInput(date, (d) => detach(draw(d))),
      table((['staff.ui.department', 'staff.ui.class', 'staff.ui.total', 'staff.ui.captured', 'staff.ui.pending', 'staff.ui.failed', 'staff.ui.absent', 'staff.ui.held'] as const).map((c) => t(c)),
        classes.map((c) => [c.department, c.className, c.total, c.captured, c.pending, c.failedAttempts, c.absent,
          c.held ? el('a', { href: '#identity' }, String(c.held)) : 0])));
  };
  await draw(today());
}

export async function photosPage(main: HTMLElement): Promise<void> {
  const draw = async (date: string) => {
    const photos: Photo[] = [];
    let since = 0;
    for (;;) {
      const page = await api<{ photos: Photo[]; next: number | null }>('GET', `/api/photos?date=${encodeURIComponent(date)}&since=${since}`);
      photos.push(...page.photos);
      if (page.next === null) break;
      since = page.next;
    }
    const naming = el('select', {}, el('option', { value: 'idnumber' }, t('staff.ui.id_number')), el('option', { value: 'code' }, '采集码 / code'));
    const progress = el('progress', { max: '1', value: '0', hidden: true });
    const status = el('span', { role: 'status' });
    const makeupOnly = el('input', { type: 'checkbox', name: 'makeup' });
    const download = el('button', { type: 'button', onclick: () => detach(downloadBatch(date, naming.value, progress, status, makeupOnly.checked)) }, t('staff.ui.export'));
    replace(main, el('h1', {}, t('staff.ui.photos')), dateInput(date, (d) => detach(draw(d))),
      el('div', { class: 'toolbar' }, el('label', {}, t('staff.ui.naming'), naming), el('label', {}, makeupOnly, t('staff.ui.makeup_only')), download, progress, status),
      table((['staff.ui.sequence', '', 'staff.ui.student_name', 'staff.ui.department', 'staff.ui.class', 'staff.ui.student_number', 'staff.ui.time'] as const).map((c) => (c ? t(c) : '')),
        photos.map((p) => [
          p.sequence,
          el('img', { class: 'thumb', alt: '', loading: 'lazy', src: `/api/photos/${date}/${p.sequence}/thumbnail` }),
          p.student.name, p.student.department, p.student.className, p.student.studentNumber,
          new Date(p.acceptedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai' }),
        ])));
  };
  await draw(today());
}

/** A byte count as staff read it: a one-class batch is some hundred KB, a whole day tens of MB. */
function byteSize(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Streams the ZIP with a progress bar (the server sends the archive's exact length up front), then
 * hands it to the browser as a download.
 */
async function downloadBatch(date: string, naming: string, bar: HTMLProgressElement, status: HTMLElement, makeupOnly = false): Promise<void> {
  bar.hidden = false;
  bar.value = 0;
  const res = await fetch(`/api/batches/${date}.zip?naming=${encodeURIComponent(naming)}${makeupOnly ? '&makeup=true' : ''}`, { credentials: 'same-origin' });
  if (!res.ok || !res.body) return replace(status, t('staff.internal'));
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (total > 0) bar.value = received / total;
    replace(status, total > 0
      ? t('staff.ui.downloading_of', { size: byteSize(received), total: byteSize(total) })
      : t('staff.ui.downloading', { size: byteSize(received) }));
  }
  // Fewer bytes than announced: the server stopped (a damaged photo), and the archive is not whole.
  if (total > 0 && received !== total) return replace(status, t('staff.ui.download_incomplete'));
  bar.value = 1;
  replace(status, t('staff.ui.downloaded', { size: byteSize(received) }));
  const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'application/zip' }));
  const a = el('a', { href: url, download: `${date}.zip` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The kiosk's verdict for this student now: a button that asks, then the reason in the chosen language. */
function checkInCell(idNumber: string): HTMLElement {
  const out = el('span', { class: 'check-in' });
  const ask = el('button', { type: 'button', 'data-action': 'check-in', onclick: () => {
    api<{ checkIn: { allowed: boolean; message: { zh: string; en: string } } }>('GET', `/api/students/${encodeURIComponent(idNumber)}/check-in`)
      .then(({ checkIn }) => replace(out, el('span', { 'data-allowed': String(checkIn.allowed) }, currentLocale() === 'zh' ? checkIn.message.zh : checkIn.message.en)))
      .catch((err: unknown) => replace(out, err instanceof ApiError ? err.message : String(err)));
  } }, t('staff.ui.check_in'));
  out.append(ask);
  return out;
}

export async function searchPage(main: HTMLElement): Promise<void> {
  const q = el('input', { name: 'q', type: 'search', placeholder: t('staff.ui.query'), required: true });
  const results = el('div', { id: 'results' });
  const form = el('form', { onsubmit: (e: Event) => {
    e.preventDefault();
    api<{ students: Student[] }>('GET', `/api/students?q=${encodeURIComponent(q.value)}`).then(({ students }) => {
      replace(results, students.length === 0 ? el('p', {}, t('staff.ui.no_results')) : table(
        (['staff.ui.student_name', 'staff.ui.gender', 'staff.ui.id_number', 'staff.ui.department', 'staff.ui.class', 'staff.ui.student_number', 'staff.ui.major', 'staff.ui.check_in'] as const).map((c) => t(c)),
        students.map((s) => [el('span', { class: 'student-name' }, s.name), gender(s.gender), s.idNumber, s.department, s.className, s.studentNumber, s.major, checkInCell(s.idNumber)])));
    }, (err: unknown) => replace(results, el('p', { class: 'error' }, err instanceof ApiError ? err.message : String(err))));
  } }, q, el('button', { type: 'submit' }, t('staff.ui.go')));
  replace(main, el('h1', {}, t('staff.ui.search')), form, results);
  const initial = new URLSearchParams(location.hash.split('?')[1] ?? '').get('q');
  if (initial) {
    q.value = initial;
    form.requestSubmit();
  }
}

interface RosterReport { added: number; updated: number; unchanged: number; errors: Array<{ row: number; column: string | null; code: string; message: string }> }

export async function rosterPage(main: HTMLElement): Promise<void> {
  const file = el('input', { type: 'file', accept: '.xlsx,.csv', required: true });
  const bar = el('progress', { max: '1', value: '0' });
  const report = el('div', { id: 'report' });
  const send = (dryRun: boolean) => {
    const f = file.files?.[0];
    if (!f) return;
    // XHR, not fetch: it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/rosters?name=${encodeURIComponent(f.name)}&dryRun=${dryRun}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
    xhr.onload = () => {
      bar.value = 1;
      const body = JSON.parse(xhr.responseText) as RosterReport | { error: { message: string; details: RosterReport | null } };
      if ('error' in body) {
        const rows = body.error.details?.errors ?? [];
        replace(report, el('p', { class: 'error' }, body.error.message),
          rows.length ? table((['staff.ui.row', 'staff.ui.column', 'staff.ui.problem'] as const).map((c) => t(c)), rows.map((r) => [r.row, r.column ?? '', r.message])) : null);
      } else replace(report, el('p', { class: 'ok' }, t('staff.ui.imported', { added: body.added, updated: body.updated, unchanged: body.unchanged })));
    };
    xhr.send(f);
  };
  replace(main, el('h1', {}, t('staff.ui.roster')), el('label', {}, t('staff.ui.file'), file),
    el('div', { class: 'toolbar' },
      el('button', { type: 'button', onclick: () => send(true) }, t('staff.ui.check')),
      el('button', { type: 'button', onclick: () => send(false) }, t('staff.ui.import')), bar),
    report);
}

export async function overridePage(main: HTMLElement): Promise<void> {
  const id = el('input', { name: 'idNumber', required: true, pattern: '\\d{17}[\\dXx]' });
  const reason = el('textarea', { name: 'reason', required: true, minlength: '2', maxlength: '500' });
  const out = el('p', { role: 'status' });
  replace(main, el('h1', {}, t('staff.ui.override')), el('form', { onsubmit: (e: Event) => {
    e.preventDefault();
    api('POST', '/api/overrides', { idNumber: id.value.trim(), reason: reason.value })
      .then(() => replace(out, t('staff.ui.done')), (err: unknown) => replace(out, err instanceof ApiError ? err.message : String(err)));
  } }, el('label', {}, t('staff.ui.id_number'), id), el('label', {}, t('staff.ui.reason'), reason), el('button', { type: 'submit' }, t('staff.ui.submit'))), out);
}

interface AuditEntry { at: string; actor: string; origin: string; action: string; target: string | null }

export async function auditPage(main: HTMLElement): Promise<void> {
  const { entries } = await api<{ entries: AuditEntry[] }>('GET', '/api/audit?limit=200');
  replace(main, el('h1', {}, t('staff.ui.audit')));
  append(main, table((['staff.ui.time', 'staff.ui.actor', 'staff.ui.origin', 'staff.ui.action', 'staff.ui.target'] as const).map((c) => t(c)),
    // Names that failed to sign in and uploaded file names are whatever was sent: control characters shown written out.
    entries.map((e) => [new Date(e.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }), visibleText(e.actor), visibleText(e.origin), visibleText(e.action), visibleText(e.target ?? '')])));
}
