/**
 * INTERIM stand-in for the imaging engine until it reaches this branch: passes every shot unless a
 * failure is queued, and renders a plain 480x640 crop as the deliverable. Replaced by the real
 * engine (controller/src/imaging) in the server and the e2e tests as soon as it lands.
 */
import sharp from 'sharp';
import type { PhotoValidatorPort, ValidationReport } from '../../controller/src/server/kiosk-ports.ts';

export class StandInValidator implements PhotoValidatorPort {
  readonly queued: Array<'pass' | 'fail'> = [];
  calls = 0;

  async validate(image: Buffer): Promise<ValidationReport> {
    this.calls++;
    const verdict = this.queued.shift() ?? 'pass';
    const deliverable = await sharp(image).resize(480, 640, { fit: 'cover' }).jpeg({ quality: 80 }).toBuffer();
    const preview = await sharp(image).resize({ height: 640 }).jpeg({ quality: 70 }).toBuffer();
    const roll = verdict === 'fail';
    return {
      verdict, profile: 'chsi-2017', timings: { total: 1 },
      checks: [{
        id: 'pose.roll', passed: !roll, severity: 'blocking', value: roll ? 14 : 1, limit: '|deg| <= 8', reason: roll ? 'photo.pose.tilt' : '',
        message: { zh: '头部歪斜', en: 'Head tilted' }, region: { x: 0.3, y: 0.3, w: 0.4, h: 0.3 },
      }],
      ...(roll ? {} : { deliverable: { jpeg: deliverable } }),
      preview,
    };
  }

  async close(): Promise<void> {}
}
