/*
 * Rig firmware: the Firmata subset johnny-five needs, written from the public protocol
 * description, plus our extensions (light ramps, host heartbeat watchdog to standby, readiness
 * summary). The AVR watchdog (500 ms) resets a wedged main loop; resets are counted in EEPROM.
 *
 * Parsing rule: a byte >= 0x80 always starts a new message, so garbage and truncated frames cost
 * at most the message they hit; data bytes outside a message are dropped.
 */
#include <avr/eeprom.h>
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>

#include "board.h"
#include "protocol.h"

#define SYSEX_MAX 48
#define I2C_QUERIES 2
#define I2C_MAX_READ 8
#define MIN_SAMPLING_MS 10
#define HANG_FLAG 0

static const char firmware_name[] = "rig-firmata";

/* Survives in EEPROM so the host sees how often the watchdog had to step in. */
static uint16_t EEMEM ee_wdt_resets;

static uint8_t boot_cause;
static uint16_t wdt_resets;

static uint8_t pin_mode[PIN_COUNT];
static uint8_t pin_value[PIN_COUNT]; /* output level or PWM duty as last written */
static uint8_t analog_report_mask;
static uint8_t digital_report_mask;
static uint8_t last_port_value[3];
static uint16_t sampling_ms = 19;

struct ramp {
  uint8_t pin; /* 0xFF = free */
  uint8_t from, to;
  uint32_t start;
  uint16_t duration;
};
static struct ramp ramps[6];

static uint16_t hb_timeout_100ms; /* 0 = heartbeat watchdog off */
static uint8_t hb_standby_level;
static uint16_t hb_standby_ramp_ms;
static uint32_t hb_last;
static uint8_t standby;

static uint8_t door_pin = 0xFF, door_closed_level;
static uint8_t daylight_channel = 0x7F;
static uint16_t daylight_max = 1023;
static uint16_t daylight_raw;
static uint8_t seat_pin = 0xFF, seat_occupied_level;
static uint8_t last_flags = 0xFF;

struct i2c_query {
  uint8_t active, addr, len;
  int16_t reg; /* -1: none */
};
static struct i2c_query i2c_queries[I2C_QUERIES];
static uint8_t i2c_enabled;

/* ---- output helpers ---- */
static void send2(uint16_t v) {
  uart_write((uint8_t)(v & 0x7F));
  uart_write((uint8_t)((v >> 7) & 0x7F));
}

static void report_version(void) {
  uart_write(FM_REPORT_VERSION);
  uart_write(FM_VERSION_MAJOR);
  uart_write(FM_VERSION_MINOR);
}

static void report_firmware(void) {
  uart_write(FM_START_SYSEX);
  uart_write(FM_REPORT_FIRMWARE);
  uart_write(FM_VERSION_MAJOR);
  uart_write(FM_VERSION_MINOR);
  for (const char *p = firmware_name; *p; p++) send2((uint8_t)*p);
  uart_write(FM_END_SYSEX);
}

static void report_capabilities(void) {
  uart_write(FM_START_SYSEX);
  uart_write(FM_CAPABILITY_RESPONSE);
  for (uint8_t pin = 0; pin < PIN_COUNT; pin++) {
    if (pin >= 2) { /* 0 and 1 carry the UART */
      uart_write(FM_MODE_INPUT); uart_write(1);
      uart_write(FM_MODE_OUTPUT); uart_write(1);
      uart_write(FM_MODE_PULLUP); uart_write(1);
      if (pin_is_pwm(pin)) { uart_write(FM_MODE_PWM); uart_write(8); }
      if (pin >= ANALOG_FIRST_PIN) { uart_write(FM_MODE_ANALOG); uart_write(10); }
      if (pin == 18 || pin == 19) { uart_write(FM_MODE_I2C); uart_write(1); }
    }
    uart_write(0x7F);
  }
  uart_write(FM_END_SYSEX);
}

static void report_analog_mapping(void) {
  uart_write(FM_START_SYSEX);
  uart_write(FM_ANALOG_MAPPING_RESPONSE);
  for (uint8_t pin = 0; pin < PIN_COUNT; pin++) uart_write(pin >= ANALOG_FIRST_PIN ? (uint8_t)(pin - ANALOG_FIRST_PIN) : 0x7F);
  uart_write(FM_END_SYSEX);
}

static void report_pin_state(uint8_t pin) {
  if (pin >= PIN_COUNT) return;
  uart_write(FM_START_SYSEX);
  uart_write(FM_PIN_STATE_RESPONSE);
  uart_write(pin);
  uart_write(pin_mode[pin]);
  uint8_t state = pin_value[pin];
  if (pin_mode[pin] == FM_MODE_INPUT || pin_mode[pin] == FM_MODE_PULLUP) state = pin_read(pin);
  uart_write(state & 0x7F);
  if (state > 0x7F) uart_write((uint8_t)(state >> 7));
  uart_write(FM_END_SYSEX);
}

static void report_digital_port(uint8_t fport) {
  uint8_t v = firmata_port_read(fport);
  last_port_value[fport] = v;
  uart_write((uint8_t)(FM_DIGITAL_MESSAGE | fport));
  uart_write(v & 0x7F);
  uart_write((uint8_t)(v >> 7));
}

static uint8_t readiness_flags(void) {
  uint8_t f = 0;
  if (standby) f |= RIG_FLAG_STANDBY;
  if (hb_timeout_100ms) f |= RIG_FLAG_HEARTBEAT_ARMED;
  uint8_t door_ok = door_pin < PIN_COUNT && pin_read(door_pin) == door_closed_level;
  uint8_t day_ok = daylight_channel < ANALOG_COUNT && daylight_raw <= daylight_max;
  if (door_ok) f |= RIG_FLAG_DOOR_CLOSED;
  if (day_ok) f |= RIG_FLAG_DAYLIGHT_OK;
  if (door_ok && day_ok && !standby) f |= RIG_FLAG_READY;
  if (seat_pin < PIN_COUNT && pin_read(seat_pin) == seat_occupied_level) f |= RIG_FLAG_SEAT_OCCUPIED;
  return f;
}

static void report_status(void) {
  uint32_t now = millis();
  uint32_t up = now / 1000;
  uint32_t since = now - hb_last;
  uint8_t active = 0;
  for (uint8_t i = 0; i < 6; i++) if (ramps[i].pin != 0xFF) active++;
  last_flags = readiness_flags();
  /* Measured per report (three conversions, ~0.3 ms): the host asks about four times a second. */
  uint16_t temperature_raw = adc_read_temperature();
  uart_write(FM_START_SYSEX);
  uart_write(RIG_STATUS);
  uart_write((uint8_t)(up & 0x7F));
  uart_write((uint8_t)((up >> 7) & 0x7F));
  uart_write((uint8_t)((up >> 14) & 0x7F));
  send2(wdt_resets);
  uart_write(boot_cause & 0x7F);
  uart_write(last_flags);
  send2(since > 16383 ? 16383 : (uint16_t)since);
  send2(daylight_raw);
  uart_write(active);
  send2(temperature_raw);
  uart_write(FM_END_SYSEX);
}

/* ---- outputs ---- */
static void cancel_ramp(uint8_t pin) {
  for (uint8_t i = 0; i < 6; i++) if (ramps[i].pin == pin) ramps[i].pin = 0xFF;
}

static void set_pwm(uint8_t pin, uint8_t v) {
  pin_value[pin] = v;
  pwm_write(pin, v);
}

static void start_ramp(uint8_t pin, uint8_t to, uint16_t duration) {
  if (pin >= PIN_COUNT || pin_mode[pin] != FM_MODE_PWM) return;
  cancel_ramp(pin);
  if (duration == 0) {
    set_pwm(pin, to);
    return;
  }
  for (uint8_t i = 0; i < 6; i++) {
    if (ramps[i].pin == 0xFF) {
      ramps[i].pin = pin;
      ramps[i].from = pin_value[pin];
      ramps[i].to = to;
      ramps[i].start = millis();
      ramps[i].duration = duration;
      return;
    }
  }
}

static void run_ramps(uint32_t now) {
  for (uint8_t i = 0; i < 6; i++) {
    struct ramp *r = &ramps[i];
    if (r->pin == 0xFF) continue;
    uint32_t t = now - r->start;
    if (t >= r->duration) {
      set_pwm(r->pin, r->to);
      r->pin = 0xFF;
    } else {
      int16_t d = (int16_t)r->to - (int16_t)r->from;
      set_pwm(r->pin, (uint8_t)((int16_t)r->from + (int16_t)(((int32_t)d * (int32_t)t) / (int32_t)r->duration)));
    }
  }
}

static void set_pin_mode(uint8_t pin, uint8_t mode) {
  if (pin < 2 || pin >= PIN_COUNT) return;
  uint8_t ok = mode == FM_MODE_INPUT || mode == FM_MODE_OUTPUT || mode == FM_MODE_PULLUP ||
               (mode == FM_MODE_PWM && pin_is_pwm(pin)) || (mode == FM_MODE_ANALOG && pin >= ANALOG_FIRST_PIN) ||
               (mode == FM_MODE_I2C && (pin == 18 || pin == 19));
  if (!ok) return;
  cancel_ramp(pin);
  if (pin_is_pwm(pin)) pwm_connect(pin, 0);
  pin_mode[pin] = mode;
  pin_value[pin] = 0;
  switch (mode) {
    case FM_MODE_OUTPUT: pin_write(pin, 0); pin_direction(pin, 1, 0); break;
    case FM_MODE_PWM: pwm_write(pin, 0); pin_direction(pin, 1, 0); pwm_connect(pin, 1); break;
    case FM_MODE_PULLUP: pin_direction(pin, 0, 1); break;
    case FM_MODE_I2C: pin_direction(pin, 0, 1); break;
    default: pin_direction(pin, 0, 0); break;
  }
  if (mode == FM_MODE_ANALOG) analog_report_mask &= (uint8_t)~_BV(pin - ANALOG_FIRST_PIN);
}

static void write_digital_port(uint8_t fport, uint8_t value) {
  for (uint8_t i = 0; i < 8; i++) {
    uint8_t pin = (uint8_t)(fport * 8 + i);
    if (pin >= PIN_COUNT) break;
    if (pin_mode[pin] == FM_MODE_OUTPUT) {
      pin_value[pin] = (value >> i) & 1;
      pin_write(pin, pin_value[pin]);
    }
  }
}

static void analog_write(uint8_t pin, uint16_t value) {
  if (pin >= PIN_COUNT || pin_mode[pin] != FM_MODE_PWM) return;
  cancel_ramp(pin);
  set_pwm(pin, value > 255 ? 255 : (uint8_t)value);
}

static void reset_state(void) {
  for (uint8_t pin = 0; pin < PIN_COUNT; pin++) {
    if (pin_is_pwm(pin)) pwm_connect(pin, 0);
    if (pin >= 2) pin_direction(pin, 0, 0);
    pin_mode[pin] = pin >= ANALOG_FIRST_PIN ? FM_MODE_ANALOG : pin >= 2 ? FM_MODE_OUTPUT : FM_MODE_INPUT;
    if (pin >= 2 && pin < ANALOG_FIRST_PIN) pin_direction(pin, 1, 0), pin_write(pin, 0);
    pin_value[pin] = 0;
  }
  for (uint8_t i = 0; i < 6; i++) ramps[i].pin = 0xFF;
  for (uint8_t i = 0; i < I2C_QUERIES; i++) i2c_queries[i].active = 0;
  analog_report_mask = 0;
  digital_report_mask = 0;
  sampling_ms = 19;
  hb_timeout_100ms = 0;
  standby = 0;
  door_pin = 0xFF;
  seat_pin = 0xFF;
  daylight_channel = 0x7F;
  last_flags = 0xFF;
}

/* ---- I2C ---- */
static void i2c_reply(uint8_t addr, int16_t reg, const uint8_t *data, uint8_t len) {
  uart_write(FM_START_SYSEX);
  uart_write(FM_I2C_REPLY);
  send2(addr);
  send2(reg < 0 ? 0 : (uint16_t)reg);
  for (uint8_t i = 0; i < len; i++) send2(data[i]);
  uart_write(FM_END_SYSEX);
}

static void i2c_read_and_reply(uint8_t addr, int16_t reg, uint8_t len) {
  uint8_t data[I2C_MAX_READ];
  if (len > I2C_MAX_READ) len = I2C_MAX_READ;
  if (reg >= 0) {
    uint8_t r = (uint8_t)reg;
    if (!twi_write(addr, &r, 1)) return;
  }
  if (twi_read(addr, data, len)) i2c_reply(addr, reg, data, len);
}

static void i2c_request(const uint8_t *d, uint8_t n) {
  if (n < 2 || !i2c_enabled) return;
  uint8_t addr = d[0];
  uint8_t mode = (d[1] >> 3) & 0x03;
  uint8_t bytes[I2C_MAX_READ];
  uint8_t count = 0;
  for (uint8_t i = 2; i + 1 < n && count < I2C_MAX_READ; i += 2) bytes[count++] = (uint8_t)(d[i] | (d[i + 1] << 7));
  if (mode == 0) {
    twi_write(addr, bytes, count);
  } else if (mode == 3) {
    for (uint8_t i = 0; i < I2C_QUERIES; i++) if (i2c_queries[i].addr == addr) i2c_queries[i].active = 0;
  } else {
    int16_t reg = count >= 2 ? bytes[0] : -1;
    uint8_t len = count >= 2 ? bytes[1] : count == 1 ? bytes[0] : 0;
    if (mode == 1) {
      i2c_read_and_reply(addr, reg, len);
    } else {
      for (uint8_t i = 0; i < I2C_QUERIES; i++) {
        if (!i2c_queries[i].active) {
          i2c_queries[i] = (struct i2c_query){1, addr, len, reg};
          break;
        }
      }
    }
  }
}

/* ---- sysex ---- */
static uint16_t d14(const uint8_t *d) { return (uint16_t)(d[0] | (d[1] << 7)); }

static void sysex(const uint8_t *m, uint8_t n) {
  if (n == 0) return;
  const uint8_t *d = m + 1;
  uint8_t dn = (uint8_t)(n - 1);
  switch (m[0]) {
    case FM_REPORT_FIRMWARE: report_firmware(); break;
    case FM_CAPABILITY_QUERY: report_capabilities(); break;
    case FM_ANALOG_MAPPING_QUERY: report_analog_mapping(); break;
    case FM_PIN_STATE_QUERY: if (dn >= 1) report_pin_state(d[0]); break;
    case FM_EXTENDED_ANALOG:
      if (dn >= 2) {
        uint16_t v = 0;
        for (uint8_t i = 1; i < dn && i < 3; i++) v |= (uint16_t)d[i] << (7 * (i - 1));
        analog_write(d[0], v);
      }
      break;
    case FM_SAMPLING_INTERVAL:
      if (dn >= 2) {
        sampling_ms = d14(d);
        if (sampling_ms < MIN_SAMPLING_MS) sampling_ms = MIN_SAMPLING_MS;
      }
      break;
    case FM_I2C_CONFIG: twi_init(); i2c_enabled = 1; break;
    case FM_I2C_REQUEST: i2c_request(d, dn); break;
    case RIG_RAMP:
      if (dn >= 5) start_ramp(d[0], (uint8_t)(d14(d + 1) > 255 ? 255 : d14(d + 1)), d14(d + 3));
      break;
    case RIG_HEARTBEAT_CONFIG:
      if (dn >= 6) {
        hb_timeout_100ms = d14(d);
        hb_standby_level = (uint8_t)(d14(d + 2) > 255 ? 255 : d14(d + 2));
        hb_standby_ramp_ms = d14(d + 4);
        hb_last = millis();
        standby = 0;
      }
      break;
    case RIG_HEARTBEAT:
      hb_last = millis();
      standby = 0;
      break;
    case RIG_STATUS: report_status(); break;
    case RIG_READINESS_CONFIG:
      if (dn >= 5) {
        door_pin = d[0] < PIN_COUNT ? d[0] : 0xFF;
        door_closed_level = d[1] ? 1 : 0;
        daylight_channel = d[2];
        daylight_max = d14(d + 3);
        seat_pin = dn >= 7 && d[5] < PIN_COUNT ? d[5] : 0xFF;
        seat_occupied_level = dn >= 7 && d[6] ? 1 : 0;
        report_status();
      }
      break;
    case RIG_DEBUG_HANG:
      if (dn >= 2 && d[0] == RIG_HANG_MAGIC1 && d[1] == RIG_HANG_MAGIC2) {
        cli();
        for (;;) {
          /* wedged on purpose: only the watchdog gets us out */
        }
      }
      break;
    default: break;
  }
}

/* ---- parser ---- */
static uint8_t cmd, need, have;
static uint8_t args[2];
static uint8_t sx[SYSEX_MAX];
static uint8_t sx_len, in_sysex, sx_overflow;

static void run_command(void) {
  uint8_t hi = cmd & 0xF0, lo = cmd & 0x0F;
  if (hi == FM_DIGITAL_MESSAGE) write_digital_port(lo, (uint8_t)(args[0] | (args[1] << 7)));
  else if (hi == FM_ANALOG_MESSAGE) analog_write(lo, (uint16_t)(args[0] | (args[1] << 7)));
  else if (hi == FM_REPORT_ANALOG) {
    if (lo < ANALOG_COUNT) {
      if (args[0]) analog_report_mask |= (uint8_t)_BV(lo); else analog_report_mask &= (uint8_t)~_BV(lo);
    }
  } else if (hi == FM_REPORT_DIGITAL) {
    if (lo < 3) {
      if (args[0]) {
        digital_report_mask |= (uint8_t)_BV(lo);
        report_digital_port(lo);
      } else {
        digital_report_mask &= (uint8_t)~_BV(lo);
      }
    }
  } else if (cmd == FM_SET_PIN_MODE) set_pin_mode(args[0], args[1]);
  else if (cmd == FM_SET_DIGITAL_PIN_VALUE) {
    if (args[0] < PIN_COUNT && pin_mode[args[0]] == FM_MODE_OUTPUT) {
      pin_value[args[0]] = args[1] ? 1 : 0;
      pin_write(args[0], pin_value[args[0]]);
    }
  }
}

static void parse(uint8_t c) {
  if (c & 0x80) {
    in_sysex = 0;
    need = 0;
    if (c == FM_END_SYSEX) return; /* stray end */
    if (c == FM_START_SYSEX) {
      in_sysex = 1;
      sx_len = 0;
      sx_overflow = 0;
      return;
    }
    if (c == FM_REPORT_VERSION) { report_version(); return; }
    if (c == FM_SYSTEM_RESET) { reset_state(); return; }
    uint8_t hi = c & 0xF0;
    cmd = c;
    have = 0;
    if (hi == FM_DIGITAL_MESSAGE || hi == FM_ANALOG_MESSAGE || c == FM_SET_PIN_MODE || c == FM_SET_DIGITAL_PIN_VALUE) need = 2;
    else if (hi == FM_REPORT_ANALOG || hi == FM_REPORT_DIGITAL) need = 1;
    return;
  }
  if (in_sysex) {
    if (sx_len < SYSEX_MAX) sx[sx_len++] = c; else sx_overflow = 1;
    return;
  }
  if (need == 0) return;
  args[have++] = c;
  if (have == need) {
    run_command();
    need = 0;
  }
}

/* A sysex ends only with END_SYSEX; parse() above resets on any other command byte. */
static void feed(uint8_t c) {
  if (c == FM_END_SYSEX && in_sysex) {
    in_sysex = 0;
    if (!sx_overflow) sysex(sx, sx_len);
    return;
  }
  parse(c);
}

/* ---- periodic work ---- */
static void heartbeat_check(uint32_t now) {
  if (!hb_timeout_100ms || standby) return;
  if (now - hb_last < (uint32_t)hb_timeout_100ms * 100) return;
  standby = 1;
  for (uint8_t pin = 0; pin < PIN_COUNT; pin++) {
    if (pin_mode[pin] == FM_MODE_PWM) start_ramp(pin, hb_standby_level, hb_standby_ramp_ms);
  }
  report_status();
}

static void sample(void) {
  for (uint8_t ch = 0; ch < ANALOG_COUNT; ch++) {
    uint8_t want = (analog_report_mask >> ch) & 1;
    if (!want && ch != daylight_channel) continue;
    uint16_t v = adc_read(ch);
    if (ch == daylight_channel) daylight_raw = v;
    if (want) {
      uart_write((uint8_t)(FM_ANALOG_MESSAGE | ch));
      send2(v);
    }
  }
  for (uint8_t i = 0; i < I2C_QUERIES; i++) {
    if (i2c_queries[i].active) i2c_read_and_reply(i2c_queries[i].addr, i2c_queries[i].reg, i2c_queries[i].len);
  }
}

int main(void) {
  boot_cause = MCUSR;
  MCUSR = 0;
  wdt_disable();
  wdt_resets = eeprom_read_word(&ee_wdt_resets);
  if (wdt_resets == 0xFFFF) wdt_resets = 0; /* erased EEPROM */
  if (boot_cause & _BV(WDRF)) {
    wdt_resets++;
    eeprom_update_word(&ee_wdt_resets, wdt_resets);
  }

  uart_init();
  timers_init();
  adc_init();
  reset_state();
  sei();
  wdt_enable(WDTO_500MS);

  report_version();
  report_firmware();

  uint32_t last_ms = millis();
  uint32_t last_sample = last_ms;
  for (;;) {
    wdt_reset();
    int16_t c;
    while ((c = uart_read()) >= 0) feed((uint8_t)c);

    for (uint8_t fport = 0; fport < 3; fport++) {
      if (((digital_report_mask >> fport) & 1) && firmata_port_read(fport) != last_port_value[fport]) report_digital_port(fport);
    }

    uint32_t now = millis();
    if (now != last_ms) {
      last_ms = now;
      run_ramps(now);
      heartbeat_check(now);
    }
    if (now - last_sample >= sampling_ms) {
      last_sample = now;
      sample();
      if (readiness_flags() != last_flags && door_pin != 0xFF) report_status();
    }

  }
}
