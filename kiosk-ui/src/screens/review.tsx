/**
 * Review: the deliverable when the shot passed; otherwise the shot with the failing regions marked and
 * the reasons in words, the student's own only (domain/photo/reasons.ts). A fault only the room can fix
 * (lights, backdrop, camera) is not the student's to read: it shows "please wait, the room is being adjusted".
 */
import { adviseReview, audienceOf } from '../../../controller/src/domain/photo/reasons.ts';
import type { KioskView } from '../api.ts';
import type { Locale, Translate } from '../i18n.ts';
import type { Send } from '../send.ts';

export function Review({ t, locale, view, send }: { t: Translate; locale: Locale; view: KioskView; send: Send }) {
  const session = view.session;
  const review = session?.review;
  if (!session || !review) return null;
  const pass = review.verdict === 'pass';
  // The engine's error, when there is one, is among the findings (id 'error'), so it is weighed too.
  const advice = adviseReview(review.findings);
  const forStudent = advice.roomFault ? [] : review.findings.filter((f) => audienceOf(f.reason) === 'student');
  const blocking = forStudent.filter((f) => f.severity === 'blocking');
  const advisory = forStudent.filter((f) => f.severity === 'advisory');
  const src = `/api/kiosk/review/${pass ? 'deliverable' : 'original'}.jpg?attempt=${review.attemptId}`;
  return (
    <section class={`review ${pass ? 'pass' : 'fail'}`} data-verdict={review.verdict}>
      <h1 class="verdict">{pass ? t('kiosk.ui.review.pass') : t('kiosk.ui.review.fail')}</h1>
      <div class="review-body">
        <div class="photo-frame">
          <img src={src} alt="" data-testid="review-photo" />
          {!pass &&
            blocking.filter((f) => f.region).map((f) => (
              <div
                key={f.id}
                class="region"
                data-region={f.id}
                style={{ left: `${(f.region?.x ?? 0) * 100}%`, top: `${(f.region?.y ?? 0) * 100}%`, width: `${(f.region?.w ?? 0) * 100}%`, height: `${(f.region?.h ?? 0) * 100}%` }}
              />
            ))}
        </div>
        <div class="findings">
          {advice.roomFault && <p class="room-fault" data-reason="kiosk.room.adjusting" data-room-reasons={advice.technician.join(' ')}>{t('kiosk.room.adjusting')}</p>}
          {blocking.length > 0 && (
            <ul class="blocking">
              {blocking.map((f) => <li key={f.id} data-reason={f.reason}>{f.message[locale]}</li>)}
            </ul>
          )}
          {advisory.length > 0 && (
            <ul class="advisory">
              {advisory.map((f) => <li key={f.id} data-reason={f.reason}><b>{t('kiosk.ui.review.advisory')}</b> {f.message[locale]}</li>)}
            </ul>
          )}
          <p class="retakes">{t('kiosk.ui.review.retakes_left', { n: session.retakesLeft })}</p>
        </div>
      </div>
      <div class="row">
        <button type="button" class="secondary big" data-testid="retake" onClick={() => send('retake')}>{t('kiosk.ui.review.retake')}</button>
        {pass && <button type="button" class="primary big" data-testid="accept" onClick={() => send('accept')}>{t('kiosk.ui.review.accept')}</button>}
      </div>
    </section>
  );
}
