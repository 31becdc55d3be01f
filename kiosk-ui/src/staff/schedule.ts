/** Shoot slots of a day and make-up windows: list, add, edit a slot, delete (after an in-page confirm step). */
import { api, apiProblem, today } from './api.ts';
import { detach, el, replace, table } from './dom.ts';
import { t } from './i18n.ts';

interface Slot { id: number; room: string; department: string | null; className: string | null; date: string; start: string; end: string; category?: 'regular' | 'adult' | null }
interface Window { id: number; startDate: string; endDate: string; weekdays: number[]; periods: Array<{ start: string; end: string }>; room: string | null; category?: 'regular' | 'adult' | null }

function form(fields: Array<[string, string, string]>, submit: (values: Record<string, string>) => Promise<unknown>, out: HTMLElement): HTMLFormElement {
  const inputs = fields.map(([name, label, type]) => [name, label, el('input', { name, type })] as const);
  return el('form', { class: 'grid', onsubmit: (e: Event) => {
    e.preventDefault();
    const values = Object.fromEntries(inputs.map(([name, , input]) => [name, input.value]));
    submit(values).then(() => replace(out, t('staff.ui.done')), (err: unknown) => replace(out, apiProblem(err)));
  } }, ...inputs.map(([, label, input]) => el('label', {}, label, input)), el('button', { type: 'submit' }, t('staff.ui.submit')));
}

/**
 * A delete button that first asks in place (a native confirm() dialog would block the page and
 * can be suppressed by the browser); only the second, explicit click sends the DELETE.
 */
function deleteButton(url: string, out: HTMLElement, done: () => Promise<void>): HTMLElement {
  const cell = el('span', { class: 'delete' });
  const ask = () => replace(cell,
    el('span', {}, t('staff.ui.confirm_delete')), ' ',
    el('button', { type: 'button', class: 'danger', 'data-action': 'confirm-delete', onclick: () => {
      api('DELETE', url).then(done, (err: unknown) => { replace(out, apiProblem(err)); idle(); });
    } }, t('staff.ui.confirm')), ' ',
    el('button', { type: 'button', 'data-action': 'cancel-delete', onclick: idle }, t('staff.ui.cancel')));
  function idle(): void {
    replace(cell, el('button', { type: 'button', 'data-action': 'delete', onclick: ask }, t('staff.ui.delete')));
  }
  idle();
  return cell;
}

/** Fills an add form with an entry's values and turns it into an edit of that entry, until cancelled. */
function startEdit(target: HTMLFormElement, id: number, values: Record<string, string>, heading: HTMLElement, title: string, cancel: HTMLElement): void {
  target.dataset.editing = String(id);
  for (const [name, value] of Object.entries(values)) (target.elements.namedItem(name) as HTMLInputElement).value = value;
  replace(heading, title);
  cancel.hidden = false;
  target.scrollIntoView({ block: 'nearest' });
}

/** Add or, while editing, replace: the form's submit goes to POST `url` or PUT `url/ID`. */
function save(target: HTMLFormElement, url: string, values: Record<string, string>): Promise<unknown> {
  const editing = target.dataset.editing;
  return editing ? api('PUT', `${url}/${editing}`, values) : api('POST', url, values);
}

interface ImportReport { added: number; unchanged: number; errors: Array<{ row: number; column: string | null; message: string }>; dryRun: boolean }

/** Make-up windows from a file: check first (a preview), then import; every bad row listed with its column. */
function windowImport(done: () => Promise<void>): HTMLElement {
  const file = el('input', { type: 'file', accept: '.xlsx,.csv', name: 'makeup-file' });
  const report = el('div', { id: 'makeup-import-report', role: 'status' });
  const send = async (dryRun: boolean) => {
    const f = file.files?.[0];
    if (!f) return;
    const res = await fetch(`/api/makeup-windows/import?name=${encodeURIComponent(f.name)}&dryRun=${dryRun}`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: f,
    });
    const body = (await res.json()) as ImportReport | { error: { message: string; details: ImportReport | null } };
    if ('error' in body) {
      const rows = body.error.details?.errors ?? [];
      replace(report, el('p', { class: 'error' }, body.error.message),
        rows.length ? table((['staff.ui.row', 'staff.ui.column', 'staff.ui.problem'] as const).map((c) => t(c)), rows.map((r) => [r.row, r.column ?? '', r.message])) : null);
      return;
    }
    replace(report, el('p', { class: 'ok' }, t(body.dryRun ? 'makeup.windows_dry_run' : 'makeup.windows_imported', { added: body.added, unchanged: body.unchanged })));
    if (!body.dryRun) await done();
  };
  return el('div', { class: 'import' },
    el('h2', {}, t('staff.ui.import_makeup_windows')),
    el('label', {}, t('staff.ui.makeup_file'), file),
    el('div', { class: 'toolbar' },
      el('button', { type: 'button', 'data-action': 'check-makeup-file', onclick: () => detach(send(true)) }, t('staff.ui.check')),
      el('button', { type: 'button', 'data-action': 'import-makeup-file', onclick: () => detach(send(false)) }, t('staff.ui.import'))),
    report);
}

export async function schedulePage(main: HTMLElement): Promise<void> {
  const draw = async (date: string) => {
    const { slots } = await api<{ slots: Slot[] }>('GET', `/api/slots?date=${encodeURIComponent(date)}`);
    const { windows } = await api<{ windows: Window[] }>('GET', '/api/makeup-windows');
    const slotOut = el('p', { role: 'status' });
    const windowOut = el('p', { role: 'status' });
    const picker = el('input', { type: 'date', value: date, onchange: () => detach(draw(picker.value)) });
    const slotHeading = el('h2', {}, t('staff.ui.add_slot'));
    const slotForm = form([['room', t('staff.ui.room'), 'text'], ['department', t('staff.ui.department'), 'text'], ['className', t('staff.ui.class'), 'text'],
      ['date', t('staff.ui.date'), 'date'], ['start', t('staff.ui.start'), 'time'], ['end', t('staff.ui.end'), 'time'], ['category', t('staff.ui.category'), 'text']],
    async (v) => { await save(slotForm, '/api/slots', v); await draw(v.date || date); }, slotOut);
    const cancelSlotEdit = el('button', { type: 'button', 'data-action': 'cancel-edit', hidden: true, onclick: () => detach(draw(date)) }, t('staff.ui.cancel'));
    const windowHeading = el('h2', {}, t('staff.ui.add_makeup_window'));
    const windowForm = form([['startDate', t('staff.ui.start'), 'date'], ['endDate', t('staff.ui.end'), 'date'], ['weekdays', t('staff.ui.weekdays'), 'text'],
      ['periods', t('staff.ui.periods'), 'text'], ['room', t('staff.ui.room'), 'text'], ['category', t('staff.ui.category'), 'text']],
    async (v) => { await save(windowForm, '/api/makeup-windows', v); await draw(date); }, windowOut);
    const cancelWindowEdit = el('button', { type: 'button', 'data-action': 'cancel-edit', hidden: true, onclick: () => detach(draw(date)) }, t('staff.ui.cancel'));
    replace(main,
      el('h1', {}, t('staff.ui.schedule')), picker,
      table((['staff.ui.room', 'staff.ui.department', 'staff.ui.class', 'staff.ui.time', 'staff.ui.category', ''] as const).map((c) => (c ? t(c) : '')),
        slots.map((s) => [s.room, s.department ?? '', s.className ?? '', `${s.start}–${s.end}`, s.category ?? '',
          el('span', {},
            el('button', { type: 'button', 'data-action': 'edit', onclick: () => startEdit(slotForm, s.id,
              { room: s.room, department: s.department ?? '', className: s.className ?? '', date: s.date, start: s.start, end: s.end, category: s.category ?? '' },
              slotHeading, t('staff.ui.edit_slot', { id: s.id }), cancelSlotEdit) }, t('staff.ui.edit')), ' ',
            deleteButton(`/api/slots/${s.id}`, slotOut, () => draw(date)))])),
      slotHeading, slotForm, cancelSlotEdit,
      slotOut,
      el('h2', {}, t('staff.ui.makeup_windows')),
      table((['staff.ui.date', 'staff.ui.weekdays', 'staff.ui.periods', 'staff.ui.room', 'staff.ui.category', ''] as const).map((c) => (c ? t(c) : '')),
        windows.map((w) => {
          const periods = w.periods.map((p) => `${p.start}-${p.end}`).join(',');
          return [`${w.startDate} – ${w.endDate}`, w.weekdays.join(','), periods, w.room ?? '', w.category ?? '',
            el('span', {},
              el('button', { type: 'button', 'data-action': 'edit', onclick: () => startEdit(windowForm, w.id,
                { startDate: w.startDate, endDate: w.endDate, weekdays: w.weekdays.join(','), periods, room: w.room ?? '', category: w.category ?? '' },
                windowHeading, t('staff.ui.edit_makeup_window', { id: w.id }), cancelWindowEdit) }, t('staff.ui.edit')), ' ',
              deleteButton(`/api/makeup-windows/${w.id}`, windowOut, () => draw(date)))];
        })),
      windowHeading, windowForm, cancelWindowEdit,
      windowOut,
      windowImport(() => draw(date)));
  };
  await draw(today());
}
