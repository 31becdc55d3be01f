/**
 * The staff dashboard in real Chromium: sign-in, search, today's photos. Roster names carrying
 * <script> and <img onerror> must show as text: the test proves no injected script ran and nothing
 * even reached the point where the CSP had to block it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { artifactsDir } from '../support/paths.ts';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { rosterImporter } from '../../controller/src/server/staff/roster-upload.ts';
import { makeStudents, toCsv, toRows } from '../support/roster-fixtures.ts';
import { addUser, insertStudents, makeBlobPhotos, makePhotos, student, tempData, type TempData } from '../staff/helpers.ts';
import { recordCaptures } from '../staff/capture-tables.ts';
import { insertMakeupWindow, insertSlot, listMakeupWindows, listSlots } from '../../controller/src/store/schedule-repository.ts';

const hostile = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '"><svg onload="window.__pwned=\'svg\'">',
];
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const uiDir = mkdtempSync(join(tmpdir(), 'rig-staff-ui-'));

let data: TempData;
let staff: StaffApp;
let url: string;
let browser: Browser;

beforeAll(async () => {
  await build({ configFile: join(process.cwd(), 'kiosk-ui', 'vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
  data = await tempData();
  await addUser(data.db, 'lin', 'staff', 'browser-password');
  await insertStudents(data.db, [student(1), ...hostile.map((name, i) => student(20 + i, { name }))]);
  const photos = (await makePhotos(data.dir, today, 3)).map((p, i) => (i < 2 ? { ...p, student: { ...p.student, name: hostile[i]! } } : p));
  staff = await buildStaffApp({
    db: data.db, dataDir: data.dir, photos: new ListPhotoSource(photos), uiDir,
    importRoster: rosterImporter(data.db, data.dir, 'Asia/Shanghai', () => new Date()),
  });
  url = await staff.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await staff?.app.close();
  await data?.cleanup();
  rmSync(uiDir, { recursive: true, force: true });
});

async function signedInPage(): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser.newPage({ locale: 'zh-CN' });
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch((err: unknown) => dialogs.push(`dismiss failed: ${String(err)}`)); });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.fill('input[name=name]', 'lin');
  await page.fill('input[name=password]', 'browser-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
  return { page, dialogs };
}

async function expectNothingRan(page: Page, dialogs: string[]): Promise<void> {
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned?: string; __violations: string[] };
    return { pwned: w.__pwned ?? null, violations: w.__violations };
  });
  expect(state.pwned).toBeNull();
  expect(state.violations).toEqual([]);
  expect(dialogs).toEqual([]);
}

describe('staff dashboard in Chromium', () => {
  it('shows hostile roster names in search results as text, and runs none of them', async () => {
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#search`);
    await page.fill('input[name=q]', 'pwned');
    await page.click('form button[type=submit]');
    await page.waitForSelector('#results .student-name');
    const names = await page.$$eval('#results .student-name', (els) => els.map((e) => e.textContent));
    expect(names.sort()).toEqual([...hostile].sort());
    expect(await page.$$eval('#results img, #results script, #results svg', (els) => els.length)).toBe(0);
    await page.screenshot({ path: join(artifactsDir, 'staff-search.png'), fullPage: true });
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it("lists today's photos in sequence order with thumbnails, names as text", async () => {
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#photos`);
    await page.waitForSelector('img.thumb');
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.thumb')].every((i) => i.complete && i.naturalWidth > 0));
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.map((r) => Number(r[0]))).toEqual([1, 2, 3]);
    expect(rows[0]![2]).toBe(hostile[0]);
    expect(rows[1]![2]).toBe(hostile[1]);
    expect(await page.$$eval('img', (imgs) => imgs.filter((i) => !i.classList.contains('thumb')).length)).toBe(0);
    await page.screenshot({ path: join(artifactsDir, 'staff-photos.png'), fullPage: true });
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it("downloads the day's batch, its progress bar filled from the announced length", async () => {
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#photos`);
    await page.waitForSelector('img.thumb');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.toolbar button')]);
    const file = join(uiDir, 'batch.zip');
    await download.saveAs(file);
    const test = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(await page.$eval('.toolbar progress', (p) => (p as HTMLProgressElement).value)).toBe(1);
    expect(await page.textContent('.toolbar [role=status]')).toMatch(/^已下载 \d+ KB$/);
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it('uploads a roster with a bad row and shows the row-level report, importing nothing', async () => {
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#roster`);
    const rows = toRows(makeStudents(4, 3));
    rows[2]![0] = rows[2]![0]!.slice(0, 17) + (rows[2]![0]!.endsWith('1') ? '2' : '1');
    rows[2]![1] = hostile[1]!;
    const file = join(uiDir, 'bad-roster.csv');
    writeFileSync(file, toCsv(rows));
    const before = (await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n;
    await page.setInputFiles('input[type=file]', file);
    await page.click('main button:text-is("导入")');
    await page.waitForSelector('#report table');
    const cells = await page.$$eval('#report tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(cells.some((c) => c[0] === '3' && c[1] === '身份证号')).toBe(true);
    expect((await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n).toBe(before);
    await page.screenshot({ path: join(artifactsDir, 'staff-roster-report.png'), fullPage: true });
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it('registers a make-up certificate and shows its printable page (navigation hidden in print)', async () => {
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#makeups`);
    const s = student(30, { name: hostile[0]! });
    const values: Record<string, string> = {
      name: s.name, idNumber: s.idNumber, schoolCode: '10999', educationLevel: '本科', schoolName: '示例大学',
      contactAddress: '示例市示例路 1 号', postcode: '100000', contactPerson: '王老师', contactPhone: '010-12345678',
    };
    // A mistyped check character first: refused, with the character the number calls for.
    const typo = s.idNumber.slice(0, 17) + (s.idNumber[17] === '0' ? '1' : '0');
    for (const [name, value] of Object.entries({ ...values, idNumber: typo })) await page.fill(`input[name=${name}]`, value);
    await page.selectOption('select[name=gender]', s.gender);
    await page.click('form.grid button[type=submit]');
    await page.waitForFunction(() => /校验位/.test(document.querySelector('[role=status]')?.textContent ?? ''));
    expect(await page.textContent('[role=status]')).toContain(`应为 ${s.idNumber[17]}`);
    await page.fill('input[name=idNumber]', s.idNumber);
    await page.click('form.grid button[type=submit]');
    await page.waitForSelector('article.certificate');
    const text = await page.textContent('article.certificate');
    expect(text).toContain(hostile[0]);
    expect(text).toContain(s.idNumber);
    expect(text).toContain('学历证书电子注册图像补采证明');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.no-print button')).toBe(false);
    await page.screenshot({ path: join(artifactsDir, 'staff-certificate-print.png'), fullPage: true });
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it('deletes a slot and a make-up window only after the confirm step; a slot with captures stays, with the reason shown', async () => {
    const free = await insertSlot(data.db, { room: 'B202', department: '外国语学院', className: '英语2202', date: today, start: '13:00', end: '14:00' });
    const used = await insertSlot(data.db, { room: 'B202', department: '信息学院', className: '计科2201', date: today, start: '08:00', end: '09:00' });
    await recordCaptures(data.db, makeBlobPhotos(data.dir, today, 1, 1000, 1), '10999');
    const window = await insertMakeupWindow(data.db, {
      startDate: '2027-03-01', endDate: '2027-03-05', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '09:00', end: '11:00' }], room: null,
    });
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#schedule`);
    const slotRow = (room: string, className: string) => page.locator('tr', { hasText: className }).filter({ hasText: room });

    // Cancelling the confirm step deletes nothing.
    await slotRow('B202', '英语2202').locator('[data-action=delete]').click();
    await slotRow('B202', '英语2202').locator('[data-action=cancel-delete]').click();
    expect((await listSlots(data.db, { date: today })).map((s) => s.id)).toContain(free.id);

    await slotRow('B202', '英语2202').locator('[data-action=delete]').click();
    expect(await slotRow('B202', '英语2202').textContent()).toContain('确定删除？');
    await slotRow('B202', '英语2202').locator('[data-action=confirm-delete]').click();
    await slotRow('B202', '英语2202').waitFor({ state: 'detached' });
    expect((await listSlots(data.db, { date: today })).map((s) => s.id)).not.toContain(free.id);

    await slotRow('B202', '计科2201').locator('[data-action=delete]').click();
    await slotRow('B202', '计科2201').locator('[data-action=confirm-delete]').click();
    await page.getByText('不能删除').first().waitFor();
    expect((await listSlots(data.db, { date: today })).map((s) => s.id)).toContain(used.id);

    const windowRow = page.locator('tr', { hasText: '2027-03-01' });
    await windowRow.locator('[data-action=delete]').click();
    await windowRow.locator('[data-action=confirm-delete]').click();
    await windowRow.waitFor({ state: 'detached' });
    expect((await listMakeupWindows(data.db)).map((w) => w.id)).not.toContain(window.id);
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it('edits a slot from its row: the form fills in, the hours change, and a clash in the room is explained', async () => {
    const slot = await insertSlot(data.db, { room: 'C303', department: '外国语学院', className: '英语2203', date: today, start: '15:00', end: '16:00' });
    await insertSlot(data.db, { room: 'C303', department: '外国语学院', className: '英语2204', date: today, start: '17:00', end: '18:00' });
    const window = await insertMakeupWindow(data.db, {
      startDate: '2027-04-05', endDate: '2027-04-09', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '09:00', end: '11:00' }], room: 'E101',
    });
    const { page, dialogs } = await signedInPage();
    await page.goto(`${url}/staff.html#schedule`);
    const row = page.locator('tr', { hasText: '英语2203' });
    await row.locator('[data-action=edit]').click();
    await page.getByText(`修改拍摄时段 #${slot.id}`).waitFor();
    expect(await page.inputValue('form.grid input[name=className]')).toBe('英语2203');
    await page.fill('form.grid input[name=end]', '17:30');
    await page.locator('form.grid', { has: page.locator('input[name=className]') }).locator('button[type=submit]').click();
    await page.getByText('该采集室在此时间已有拍摄时段').or(page.getByText('时间重叠')).first().waitFor();
    expect((await listSlots(data.db, { date: today })).find((s) => s.id === slot.id)?.end).toBe('16:00');
    await page.fill('form.grid input[name=end]', '16:45');
    await page.locator('form.grid', { has: page.locator('input[name=className]') }).locator('button[type=submit]').click();
    await page.locator('tr', { hasText: '英语2203' }).filter({ hasText: '15:00–16:45' }).waitFor();
    expect((await listSlots(data.db, { date: today })).find((s) => s.id === slot.id)).toMatchObject({ start: '15:00', end: '16:45', room: 'C303' });

    // Make-up hours the same way: the form fills in with the window's dates, weekdays and hours.
    await page.locator('tr', { hasText: '2027-04-05' }).locator('[data-action=edit]').click();
    await page.getByText(`修改补采时间 #${window.id}`).waitFor();
    expect(await page.inputValue('input[name=periods]')).toBe('09:00-11:00');
    await page.fill('input[name=endDate]', '2027-04-16');
    await page.locator('form.grid', { has: page.locator('input[name=endDate]') }).locator('button[type=submit]').click();
    await page.locator('tr', { hasText: '2027-04-16' }).waitFor();
    expect((await listMakeupWindows(data.db)).find((w) => w.id === window.id)).toMatchObject({ startDate: '2027-04-05', endDate: '2027-04-16', room: 'E101' });
    await expectNothingRan(page, dialogs);
    await page.close();
  });

  it('sends the dashboard with the strict CSP and refuses the API without a session', async () => {
    const res = await fetch(`${url}/staff.html`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${url}/api/photos?date=${today}`)).status).toBe(401);
    expect((await fetch(`${url}/api/photos/${today}/1/thumbnail`)).status).toBe(401);
  });
});
