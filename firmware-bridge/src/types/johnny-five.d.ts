// The part of johnny-five 2 the rig driver uses (its community types lack Light, Sensor.disable and the emitters).
declare module 'johnny-five' {
  import { EventEmitter } from 'node:events';

  export class Board extends EventEmitter {
    constructor(options: { io: unknown; repl?: boolean; debug?: boolean; sigint?: boolean; timeout?: number });
    readonly isReady: boolean;
  }
  export class Led {
    constructor(options: { pin: number; board: Board });
    brightness(value: number): this;
  }
  export class Sensor extends EventEmitter {
    constructor(options: { pin: number | string; board: Board; freq?: number });
    readonly raw: number;
    disable(): this;
  }
  export class Switch extends EventEmitter {
    constructor(options: { pin: number; board: Board; invert?: boolean });
    readonly isClosed: boolean;
  }
  export class Light extends EventEmitter {
    constructor(options: { controller: 'BH1750' | 'ALSPT19'; board: Board; pin?: number | string; address?: number });
    readonly lux: number;
  }
  const five: { Board: typeof Board; Led: typeof Led; Sensor: typeof Sensor; Switch: typeof Switch; Light: typeof Light };
  export default five;
}
