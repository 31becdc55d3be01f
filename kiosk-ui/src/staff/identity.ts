/**
 * Photos held for review (代拍/替考 and 翻拍 checks): the held photo beside the accepted photos its face
 * matched, or with the presentation cues (moiré, no motion, flat light, a border) that held it;
 * accept into the archive or reject, audited. Below them, the enrolment of reference photos.
 */
import { api, apiProblem } from './api.ts';
import { detach, el, replace } from './dom.ts';
import { currentLocale, t } from './i18n.ts';
import type { MessageCode } from '../../../controller/src/domain/messages/index.ts';
import { referencePhotosSection } from './references.ts';

interface HoldStudent { name: string; studentNumber: string; department: string; className: string }
interface Hold {
  id: number; action: 'hold' | 'warn'; reason: 'same_face' | 'presentation' | 'reference'; heldAt: string; student: HoldStudent;
  evidence: Array<{ cue: string; value: number; limit: number }>;
  matches: Array<{ distance: number; student: HoldStudent; photo: { date: string; sequence: number } | null }>;
  decision: 'accepted' | 'rejected' | null; decidedBy: string | null;
}

/** One presentation cue that held the photo (domain/identity/presentation.ts), in words. */
const CUES: Partial<Record<string, MessageCode>> = {
  moire: 'staff.ui.cue_moire', no_motion: 'staff.ui.cue_no_motion', flat_light: 'staff.ui.cue_flat_light', border: 'staff.ui.cue_border',
};
function cue(e: Hold['evidence'][number]): string {
  const code = CUES[e.cue];
  return code ? t(code, { value: e.value, limit: e.limit }) : `${e.cue} ${e.value} (${e.limit})`;
}

const who = (s: HoldStudent): string => `${s.name} ${s.studentNumber} ${s.department} ${s.className}`;

function figure(src: string, caption: string): HTMLElement {
  return el('figure', {}, el('img', { class: 'thumb', alt: caption, src }), el('figcaption', {}, caption));
}

export async function identityPage(main: HTMLElement): Promise<void> {
  const out = el('p', { role: 'status' });
  const { holds } = await api<{ holds: Hold[] }>('GET', '/api/identity/holds');
  const open = holds.filter((h) => h.action === 'hold' && h.decision === null);
  const decide = (h: Hold, decision: 'accept' | 'reject') => (e: Event) => {
    e.preventDefault();
    detach(api('POST', `/api/identity/holds/${h.id}/decision`, { decision })
      .then(() => identityPage(main))
      .catch((err: unknown) => replace(out, apiProblem(err))));
  };
  const card = (h: Hold): HTMLElement => el('section', { class: 'hold', 'data-hold': String(h.id) },
    el('h2', {}, who(h.student)),
    el('p', {}, h.reason === 'presentation'
      ? t('staff.ui.hold_presentation', { cues: h.evidence.map(cue).join(currentLocale() === 'zh' ? '；' : '; ') })
      : h.reason === 'reference'
        ? t('staff.ui.hold_reference', { value: h.evidence[0]?.value ?? '', limit: h.evidence[0]?.limit ?? '' })
        : t('staff.ui.hold_same_face')),
    el('div', { class: 'side-by-side' },
      figure(`/api/identity/holds/${h.id}/photo`, t('staff.ui.hold_this_capture')),
      h.reason === 'reference' ? figure(`/api/identity/holds/${h.id}/reference`, t('staff.ui.hold_reference_photo')) : null,
      ...h.matches.map((m) => m.photo
        ? figure(`/api/photos/${m.photo.date}/${m.photo.sequence}/file`, t('staff.ui.hold_matched', { who: who(m.student), distance: m.distance.toFixed(2) }))
        : el('p', {}, t('staff.ui.hold_matched', { who: who(m.student), distance: m.distance.toFixed(2) })))),
    h.action === 'hold' && h.decision === null
      ? el('p', {},
        el('button', { type: 'button', 'data-decision': 'accept', onclick: decide(h, 'accept') }, t('staff.ui.hold_accept')), ' ',
        el('button', { type: 'button', 'data-decision': 'reject', onclick: decide(h, 'reject') }, t('staff.ui.hold_reject')))
      : el('p', {}, h.action === 'warn' ? t('staff.ui.hold_warned') : t('staff.ui.hold_decided', { decision: h.decision ?? '', by: h.decidedBy ?? '' })));
  replace(main,
    el('h1', {}, t('staff.ui.identity')),
    open.length === 0 ? el('p', {}, t('staff.ui.identity_none')) : null,
    ...holds.map(card),
    out,
    referencePhotosSection());
}
