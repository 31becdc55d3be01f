/** The real imaging engine, with the time of each validation kept: the baseline of the kiosk and soak benches. */
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import type { PhotoValidatorPort, ValidationReport } from '../../controller/src/app/ports/kiosk.ts';

export interface TimedValidator {
  validator: PhotoValidatorPort;
  /** ms per validation, in order; the caller may empty it (e.g. after a warm-up). */
  times: number[];
}

export async function timedValidator(): Promise<TimedValidator> {
  const engine = await createPhotoValidator();
  const times: number[] = [];
  const validator: PhotoValidatorPort = {
    async validate(image: Buffer, options?: { profile?: string }): Promise<ValidationReport> {
      const t = performance.now();
      const r = await engine.validate(image, options);
      times.push(performance.now() - t);
      return r;
    },
    profile: (id) => engine.profile(id),
    close: () => engine.close(),
  };
  return { validator, times };
}
