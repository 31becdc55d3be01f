/**
 * Reference photos (参考照片) from the dashboard: a ZIP, or photos named by ID number, 采集码 or
 * student number. Each chosen file goes up as its own request, in turn (the server takes one run at
 * a time); the result counts the enrolled photos and lists every skipped file with its reason in
 * both languages.
 */
import { REFERENCE_PHOTO_LIMITS } from '../../../controller/src/domain/identity/reference-photos.ts';
import { externalCode, message } from '../../../controller/src/domain/messages/index.ts';
import { api, ApiError } from './api.ts';
import { detach, el, replace, table } from './dom.ts';
import { t } from './i18n.ts';

interface Skipped { file: string; code: string; message: { zh: string; en: string } }
interface Enrolment { enrolled: string[]; skipped: Skipped[] }

const MB = 1024 * 1024;

/** An upload the server refused as a whole, as one skipped row worded from the catalogue. */
function refused(file: string, err: unknown): Skipped {
  const code = externalCode(err instanceof ApiError ? err.code : 'staff.internal');
  return { file, code, message: { zh: message(code, 'zh'), en: message(code, 'en') } };
}

function bothLanguages(m: Skipped['message']): HTMLElement {
  return el('span', {}, el('span', { lang: 'zh-CN' }, m.zh), el('br'), el('span', { lang: 'en' }, m.en));
}

export function referencePhotosSection(): HTMLElement {
  const input = el('input', { type: 'file', name: 'reference-files', accept: '.zip,.jpg,.jpeg,.png', multiple: true, required: true });
  const button = el('button', { type: 'submit' }, t('staff.ui.references_enrol'));
  const status = el('p', { role: 'status' });
  const result = el('div', { id: 'references-result' });

  const enrol = async (): Promise<void> => {
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    const all: Enrolment = { enrolled: [], skipped: [] };
    button.disabled = true;
    replace(result);
    try {
      for (const [i, f] of files.entries()) {
        replace(status, t('staff.ui.references_working', { n: i + 1, total: files.length }));
        try {
          const r = await api<Enrolment>('POST', `/api/identity/references?name=${encodeURIComponent(f.name)}`, f, { 'content-type': 'application/octet-stream' });
          all.enrolled.push(...r.enrolled);
          all.skipped.push(...r.skipped);
        } catch (err) {
          // Signed out meanwhile: the page's handler shows it; other refusals belong to this file only.
          if (err instanceof ApiError && err.status === 401) throw err;
          all.skipped.push(refused(f.name, err));
        }
      }
    } finally {
      button.disabled = false;
      replace(status);
    }
    replace(result,
      el('p', { class: 'ok', 'data-enrolled': String(all.enrolled.length) }, t('staff.ui.references_enrolled', { count: all.enrolled.length })),
      all.skipped.length ? el('p', { class: 'error' }, t('staff.ui.references_skipped', { count: all.skipped.length })) : null,
      all.skipped.length ? table([t('staff.ui.file_name'), t('staff.ui.reason')], all.skipped.map((s) => [s.file, bothLanguages(s.message)])) : null);
  };

  return el('section', { class: 'references', id: 'references' },
    el('h2', {}, t('staff.ui.references')),
    el('p', {}, t('staff.ui.references_help', { upload: REFERENCE_PHOTO_LIMITS.uploadBytes / MB, photo: REFERENCE_PHOTO_LIMITS.photoBytes / MB })),
    el('form', { onsubmit: (e: Event) => {
      e.preventDefault();
      detach(enrol());
    } }, el('label', {}, t('staff.ui.references_file'), input), ' ', button),
    status,
    result);
}
