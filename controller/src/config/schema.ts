/**
 * The configuration schema: the single source of the validation and of the `RigConfig` type.
 * Every setting carries its default and a one-line reason; config/default.yaml mirrors these
 * defaults (a test keeps the two in step).
 */
import Type from 'typebox';

const Port = (fallback: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: fallback, description });
const Seconds = (fallback: number, description: string) =>
  Type.Integer({ minimum: 1, maximum: 86_400, default: fallback, description });
const NullableString = (description: string) =>
  Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null, description });
/** Arduino Mega has the most pins of the boards we support (0-69). */
const Pin = (fallback: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 69, default: fallback, description });
const Closed = { additionalProperties: false, default: {} } as const;

export const Driver = Type.Enum(['auto', 'simulated', 'gphoto2', 'board'], {
  description: 'auto: the real adapter when hardware is found, otherwise the simulated one',
});

const LightChannel = (pin: number, what: string) =>
  Type.Object({ pin: Pin(pin, `PWM pin driving the ${what} light's dimmer`) }, Closed);

export const ConfigSchema = Type.Object(
  {
    data: Type.String({ minLength: 1, default: './data', description: 'data folder: rig.db and the image archive; relative to the working directory' }),
    timeZone: Type.String({ minLength: 1, default: 'Asia/Shanghai', description: 'IANA zone of the school: slot and make-up times are wall-clock times there' }),
    room: NullableString('this kiosk\'s room (地点) as written in slots and make-up windows; a student scheduled elsewhere is sent there. null: no place check'),
    school: Type.Object(
      {
        code: Type.String({ pattern: '^[0-9]{5}$', default: '10000', description: '院校代码, five digits, as on the roster and in file names' }),
        name: Type.String({ minLength: 1, default: '示例大学', description: 'school name shown on the kiosk and in exports' }),
      },
      Closed,
    ),
    photo: Type.Object(
      {
        profile: Type.Enum(['chsi-2017', 'xinhua-audit', 'seed-2008'], { default: 'chsi-2017', description: 'photo-spec profile the deliverable is checked against' }),
        background: Type.Enum(['light-blue', 'white', 'light-grey'], { default: 'light-blue', description: 'backdrop colour of the room; xinhua-audit allows light-blue only' }),
      },
      Closed,
    ),
    identity: Type.Object(
      {
        sameFace: Type.Enum(['hold', 'warn', 'off'], { default: 'hold', description: 'a capture whose face matches another student\'s accepted photo: hold it for staff review, only warn staff, or no check; demo mode always only warns' }),
        threshold: Type.Number({ minimum: 0.2, maximum: 1, default: 0.55, description: 'face-descriptor distance under which two photos count as one person (README: Same face, two identities)' }),
        referenceThreshold: Type.Number({ minimum: 0.2, maximum: 1.5, default: 0.6, description: 'face-descriptor distance from the student\'s enrolled reference photo at or above which a capture is held (rig faces enroll)' }),
        moireLimit: Type.Number({ minimum: 1, maximum: 1000, default: 12, description: 'moiré score on the skin at or above which a capture is held as a likely photo of a photo or of a screen (README: Presentation attacks)' }),
        liveView: Type.Object(
          {
            motionMin: Type.Number({ minimum: 0, maximum: 5, default: 0.02, description: 'live-view motion of the face region below which the student "did not move at all" while posing; 0 turns the cue off (README: Presentation attacks)' }),
            flatLightLimit: Type.Number({ minimum: 0.05, maximum: 1, default: 0.25, description: 'darkest/brightest tone ratio in the head at or above which the live view looks flat-lit (a print or screen); 1 turns the cue off' }),
            borderLimit: Type.Number({ minimum: 0.1, maximum: 1, default: 0.7, description: 'share of the head\'s height a straight edge beside or above it may run for before it counts as the border of something held up; 1 turns the cue off' }),
          },
          Closed,
        ),
      },
      Closed,
    ),
    camera: Type.Object(
      {
        driver: Type.Enum(['auto', 'simulated', 'gphoto2'], { default: 'auto', description: 'camera adapter; auto falls back to simulated when gphoto2 finds no camera' }),
        port: NullableString('gphoto2 --port value (usb:001,004 or ptpip:HOST, or ptpip:HOST:PORT:PORT for a non-default port); null autodetects'),
        simulatedTiltRate: Type.Number({ minimum: 0, maximum: 1, default: 0.25, description: 'simulated camera only: share of shots where the demo subject tilts her head past the limit, so the retake path shows' }),
      },
      Closed,
    ),
    rig: Type.Object(
      {
        driver: Type.Enum(['auto', 'simulated', 'board'], { default: 'auto', description: 'lights and sensors adapter; auto falls back to simulated when no board answers' }),
        serialPort: NullableString('serial device of the board (e.g. /dev/ttyACM0); null scans for one'),
        baudRate: Type.Integer({ minimum: 1200, maximum: 2_000_000, default: 57_600, description: 'Firmata speaks 57600 baud by default' }),
        lights: Type.Object(
          {
            key: LightChannel(9, 'key (main, front)'),
            fill: LightChannel(10, 'fill (front, opposite side)'),
            background: LightChannel(11, 'background'),
            hair: Type.Object({
              pin: Type.Union([Type.Integer({ minimum: 0, maximum: 69 }), Type.Null()], { default: null, description: "PWM pin driving the hair light's dimmer; null: no hair light" }),
            }, Closed),
          },
          Closed,
        ),
        sensors: Type.Object(
          {
            door: Type.Object(
              {
                pin: Pin(2, 'digital pin of the door switch'),
                closedWhen: Type.Enum(['low', 'high'], { default: 'low', description: 'switch level when the door is closed (reed switch to ground: low)' }),
              },
              Closed,
            ),
            daylight: Type.Object(
              {
                pin: Pin(14, 'analog pin (A0 = 14 on an Uno) of the daylight sensor'),
                maxLevel: Type.Integer({ minimum: 0, maximum: 1023, default: 120, description: 'raw ADC reading above which daylight spoils the even lighting' }),
              },
              Closed,
            ),
            seat: Type.Object(
              {
                pin: Type.Union([Type.Integer({ minimum: 0, maximum: 69 }), Type.Null()], { default: 4, description: 'digital pin of the seat switch (pressure mat); null: none fitted' }),
                occupiedWhen: Type.Enum(['low', 'high'], { default: 'low', description: 'switch level while someone sits (mat switch to ground: low)' }),
              },
              Closed,
            ),
          },
          Closed,
        ),
      },
      Closed,
    ),
    kiosk: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'kiosk API listener: loopback only, the kiosk API has no login' }),
        port: Port(8080, 'kiosk API port; 0 picks a free one'),
      },
      Closed,
    ),
    staff: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0', description: 'staff API listener on the LAN (login required)' }),
        port: Port(8443, 'staff API port; 0 picks a free one'),
        tls: Type.Object(
          {
            cert: NullableString('PEM certificate file; with key, the staff listener speaks HTTPS'),
            key: NullableString('PEM private key file for cert'),
          },
          Closed,
        ),
      },
      Closed,
    ),
    capture: Type.Object(
      {
        retakeLimit: Type.Integer({ minimum: 0, maximum: 20, default: 3, description: 'retakes a student may take before staff must help' }),
      },
      Closed,
    ),
    storage: Type.Object(
      {
        minFreeMB: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 256, description: 'free space the data folder needs before a photo may be taken: a 24 MP original is up to ~25 MB, plus the database and thumbnails' }),
        checkSeconds: Seconds(5, 'how often the free space is measured (capture is refused when low, allowed again when space returns)'),
      },
      Closed,
    ),
    calibration: Type.Object(
      {
        maxShots: Type.Integer({ minimum: 1, maximum: 30, default: 8, description: 'test shots auto-calibration may take before it stops' }),
        lightMin: Type.Number({ minimum: 0, maximum: 100, default: 5, description: 'lowest percent calibration sets a light to (below it a lamp flickers)' }),
        lightMax: Type.Number({ minimum: 1, maximum: 100, default: 100, description: 'highest percent calibration sets a light to' }),
        iso: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['100', '200', '400'], description: 'ISO values calibration may use (the body\'s spelling)' }),
        aperture: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['f/5.6', 'f/8', 'f/11'], description: 'apertures calibration may use: f/5.6-f/11 keeps the face sharp from ear to nose' }),
        shutter: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['1/125'], description: 'shutter speeds calibration may use (flash sync)' }),
        whiteBalance: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: 'Flash', description: 'white balance set before the first test shot (the studio lamps\' colour); null leaves the camera\'s' }),
        faceLightness: Type.Number({ minimum: 20, maximum: 95, default: 70, description: 'L* the face of the calibration dummy (or sitter) should have' }),
        faceTolerance: Type.Number({ minimum: 1, maximum: 20, default: 4, description: 'how far (L*) the face may miss it' }),
        backgroundDeltaE: Type.Number({ minimum: 1, maximum: 20, default: 5, description: 'largest CIEDE2000 between the backdrop and the profile colour: half the validator\'s tolerance' }),
        backgroundSpread: Type.Number({ minimum: 1, maximum: 20, default: 4, description: 'largest spread across the backdrop (CIEDE2000); the validator refuses at 8' }),
        balance: Type.Number({ minimum: 1, maximum: 30, default: 6, description: 'largest L* between the face halves (the validator refuses at 15)' }),
        driftLightness: Type.Number({ minimum: 1, maximum: 30, default: 4, description: 'morning check: face L* drift from the active profile that fails it' }),
        driftBackground: Type.Number({ minimum: 1, maximum: 30, default: 4, description: 'morning check: backdrop CIEDE2000 drift that fails it' }),
        greyCard: Type.Union([
          Type.Object({ x: Type.Number({ minimum: 0, maximum: 1 }), y: Type.Number({ minimum: 0, maximum: 1 }), w: Type.Number({ minimum: 0.01, maximum: 1 }), h: Type.Number({ minimum: 0.01, maximum: 1 }) }, { additionalProperties: false }),
          Type.Null(),
        ], { default: null, description: 'where a grey card is mounted in the camera frame (fractions of width and height) for the white balance reading; null: none' }),
        driftLux: Type.Number({ minimum: 0.01, maximum: 1, default: 0.1, description: 'morning check: share by which the seat\'s illuminance may drift' }),
      },
      Closed,
    ),
    timeouts: Type.Object(
      {
        session: Seconds(300, 'whole capture session, start to receipt, before it returns to idle'),
        identify: Seconds(60, 'identify screen without input'),
        confirm: Seconds(60, 'confirm-identity screen without an answer'),
        dressCheck: Seconds(45, 'dress-check screen without an answer'),
        pose: Seconds(90, 'live preview before the student starts the countdown'),
        review: Seconds(90, 'review screen without accept or retake'),
        receipt: Seconds(15, 'receipt shown before idle'),
      },
      Closed,
    ),
  },
  { additionalProperties: false },
);

/** The whole configuration, as validated. */
export type RigConfig = Type.Static<typeof ConfigSchema>;
