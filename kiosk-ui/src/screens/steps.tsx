/** The simple steps: confirm identity, refusal, dress check, busy, receipt, see staff. */
import type { KioskView } from '../api.ts';
import type { Translate } from '../i18n.ts';
import type { Send } from '../send.ts';
import { useState } from 'preact/hooks';
import { DressPicture } from './dress-pictures.tsx';
import { externalCode, type MessageCode } from '../../../controller/src/domain/messages/index.ts';

export function Busy({ text, flash = false }: { text: string; flash?: boolean }) {
  return (
    <section class={`busy ${flash ? 'flash' : ''}`}>
      <div class="spinner" aria-hidden="true" />
      <p class="busy-text">{text}</p>
    </section>
  );
}

type FieldName = 'name' | 'gender' | 'birthDate' | 'major' | 'department' | 'className' | 'school' | 'idNumber';

const fieldLabel = {
  name: 'kiosk.ui.field.name', gender: 'kiosk.ui.field.gender', birthDate: 'kiosk.ui.field.birth_date', major: 'kiosk.ui.field.major',
  department: 'kiosk.ui.field.department', className: 'kiosk.ui.field.class_name', school: 'kiosk.ui.field.school', idNumber: 'kiosk.ui.field.id_number',
} as const satisfies Record<FieldName, MessageCode>;

const genderLabel = { M: 'kiosk.ui.gender.m', F: 'kiosk.ui.gender.f' } as const satisfies Record<'M' | 'F', MessageCode>;

export function Confirm({ t, view, send }: { t: Translate; view: KioskView; send: Send }) {
  // 信息不符: the student ticks the wrong fields instead of only "not me", and is still photographed.
  const [reporting, setReporting] = useState(false);
  const [wrong, setWrong] = useState<readonly FieldName[]>([]);
  const id = view.session?.identity;
  if (!id) return <Busy text="…" />;
  const toggle = (k: FieldName) => setWrong(wrong.includes(k) ? wrong.filter((f) => f !== k) : [...wrong, k]);
  const rows: Array<[FieldName, string]> = [
    ['name', id.name], ['gender', t(genderLabel[id.gender])], ['birthDate', id.birthDate], ['major', id.major],
    ['department', id.department], ['className', id.className], ['school', id.schoolName], ['idNumber', id.maskedIdNumber],
  ];
  return (
    <section class="confirm">
      <h1>{t(reporting ? 'kiosk.ui.discrepancy.title' : 'kiosk.ui.confirm.title')}</h1>
      <dl class="identity">
        {rows.map(([k, v]) => (
          <div class={`field ${wrong.includes(k) ? 'wrong' : ''}`} key={k} data-field={k}>
            <dt>
              {reporting ? (
                <label>
                  <input type="checkbox" data-testid={`wrong-${k}`} checked={wrong.includes(k)} onChange={() => toggle(k)} /> {t(fieldLabel[k])}
                </label>
              ) : t(fieldLabel[k])}
            </dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {reporting ? (
        <div class="row">
          <button type="button" class="secondary big" data-testid="discrepancy-back" onClick={() => { setReporting(false); setWrong([]); }}>{t('kiosk.ui.cancel')}</button>
          <button type="button" class="primary big" data-testid="discrepancy-submit" disabled={wrong.length === 0} onClick={() => send('report-discrepancy', { fields: wrong })}>
            {t('kiosk.ui.discrepancy.submit')}
          </button>
        </div>
      ) : (
        <div class="row">
          <button type="button" class="secondary big" data-testid="confirm-no" onClick={() => send('cancel')}>{t('kiosk.ui.confirm.no')}</button>
          <button type="button" class="secondary big" data-testid="confirm-wrong" onClick={() => setReporting(true)}>{t('kiosk.ui.confirm.wrong')}</button>
          <button type="button" class="primary big" data-testid="confirm-yes" onClick={() => send('confirm')}>{t('kiosk.ui.confirm.yes')}</button>
        </div>
      )}
    </section>
  );
}

export function Refused({ t, view, send }: { t: Translate; view: KioskView; send: Send }) {
  return (
    <section class="refused">
      <div class="icon-stop" aria-hidden="true">!</div>
      <h1>{t('kiosk.ui.refused.title')}</h1>
      {view.notice && <p class="reason" data-reason={view.notice.code}>{t(externalCode(view.notice.code), view.notice.params ?? {})}</p>}
      <button type="button" class="primary big" data-testid="back" onClick={() => send('cancel')}>{t('kiosk.ui.back')}</button>
    </section>
  );
}

export function Dress({ t, send }: { t: Translate; send: Send }) {
  const items = ['contrast', 'no_hat', 'no_tinted', 'no_jewellery'] as const;
  return (
    <section class="dress">
      <h1>{t('kiosk.ui.dress.title')}</h1>
      <ul class="dress-items">
        {items.map((i) => (
          <li key={i} data-dress={i}>
            <DressPicture kind={i} />
            <span>{t(`kiosk.ui.dress.${i}`)}</span>
          </li>
        ))}
      </ul>
      <div class="row">
        <button type="button" class="secondary big" onClick={() => send('cancel')}>{t('kiosk.ui.cancel')}</button>
        <button type="button" class="primary big" data-testid="dress-ready" onClick={() => send('confirm')}>{t('kiosk.ui.dress.ready')}</button>
      </div>
    </section>
  );
}

export function Receipt({ t, view, send }: { t: Translate; view: KioskView; send: Send }) {
  const r = view.session?.receipt;
  return (
    <section class="receipt">
      <div class="icon-ok" aria-hidden="true">✓</div>
      <h1>{t('kiosk.ui.receipt.title')}</h1>
      <p class="name">{view.session?.identity?.name}</p>
      <div class="sequence">
        <span>{t('kiosk.ui.receipt.sequence')}</span>
        <strong data-testid="sequence">{r ? String(r.sequence).padStart(4, '0') : '—'}</strong>
        <small>{r?.day}</small>
      </div>
      <p>{t('kiosk.ui.receipt.hint')}</p>
      <button type="button" class="primary big" data-testid="finish" onClick={() => send('confirm')}>{t('kiosk.ui.receipt.done')}</button>
    </section>
  );
}

export function SeeStaff({ t, view, send }: { t: Translate; view: KioskView; send: Send }) {
  return (
    <section class="see-staff">
      <div class="icon-stop" aria-hidden="true">!</div>
      <h1>{t('kiosk.ui.see_staff.title')}</h1>
      {view.notice && <p class="reason" data-reason={view.notice.code}>{t(externalCode(view.notice.code), view.notice.params ?? {})}</p>}
      <button type="button" class="primary big" data-testid="back" onClick={() => send('cancel')}>{t('kiosk.ui.back')}</button>
    </section>
  );
}
