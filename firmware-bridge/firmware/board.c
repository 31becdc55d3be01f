/*
 * ATmega328P hardware layer: UART with ring buffers, millisecond clock, PWM timers, ADC, TWI
 * master, pin map of an Uno/Nano (pins 0-7 PORTD, 8-13 PORTB, 14-19 PORTC = A0-A5).
 */
#include "board.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/twi.h>

/* ---- UART ---- */
#define RX_SIZE 64 /* power of two */
#define TX_SIZE 128
static volatile uint8_t rx_buf[RX_SIZE];
static volatile uint8_t rx_head, rx_tail;
static volatile uint8_t tx_buf[TX_SIZE];
static volatile uint8_t tx_head, tx_tail;

void uart_init(void) {
  /* 57600 baud at 16 MHz with U2X: UBRR 34 (the value the Arduino core uses, -0.8 %). */
  UCSR0A = _BV(U2X0);
  UBRR0H = 0;
  UBRR0L = 34;
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

ISR(USART_RX_vect) {
  uint8_t c = UDR0;
  uint8_t next = (uint8_t)((rx_head + 1) & (RX_SIZE - 1));
  if (next != rx_tail) { /* a full buffer drops the byte: the parser resynchronises on the next command */
    rx_buf[rx_head] = c;
    rx_head = next;
  }
}

ISR(USART_UDRE_vect) {
  if (tx_head == tx_tail) {
    UCSR0B &= (uint8_t)~_BV(UDRIE0);
    return;
  }
  UDR0 = tx_buf[tx_tail];
  tx_tail = (uint8_t)((tx_tail + 1) % TX_SIZE);
}

int16_t uart_read(void) {
  if (rx_head == rx_tail) return -1;
  uint8_t c = rx_buf[rx_tail];
  rx_tail = (uint8_t)((rx_tail + 1) & (RX_SIZE - 1));
  return c;
}

void uart_write(uint8_t c) {
  uint8_t next = (uint8_t)((tx_head + 1) % TX_SIZE);
  while (next == tx_tail) {
    /* Buffer full: wait for the UDRE interrupt to drain a byte (interrupts are on in the main loop). */
  }
  tx_buf[tx_head] = c;
  tx_head = next;
  UCSR0B |= _BV(UDRIE0);
}

/* ---- millisecond clock on Timer0 overflow (fast PWM, /64: 1024 us per overflow) ---- */
static volatile uint32_t ms_count;
static volatile uint8_t ms_fract;

ISR(TIMER0_OVF_vect) {
  uint32_t m = ms_count;
  uint8_t f = (uint8_t)(ms_fract + 3); /* 24 us in units of 8 us */
  m += 1;
  if (f >= 125) {
    f -= 125;
    m += 1;
  }
  ms_fract = f;
  ms_count = m;
}

uint32_t millis(void) {
  uint8_t s = SREG;
  cli();
  uint32_t m = ms_count;
  SREG = s;
  return m;
}

void timers_init(void) {
  TCCR0A = _BV(WGM01) | _BV(WGM00);
  TCCR0B = _BV(CS01) | _BV(CS00);
  TIMSK0 = _BV(TOIE0);
  TCCR1A = _BV(WGM10); /* 8-bit fast PWM */
  TCCR1B = _BV(WGM12) | _BV(CS11) | _BV(CS10);
  TCCR2A = _BV(WGM21) | _BV(WGM20);
  TCCR2B = _BV(CS22); /* /64 on timer 2 */
}

/* ---- pins ---- */
static volatile uint8_t *port_reg(uint8_t port) { return port == 0 ? &PORTD : port == 1 ? &PORTB : &PORTC; }
static volatile uint8_t *ddr_reg(uint8_t port) { return port == 0 ? &DDRD : port == 1 ? &DDRB : &DDRC; }
static volatile uint8_t *pin_reg(uint8_t port) { return port == 0 ? &PIND : port == 1 ? &PINB : &PINC; }
static uint8_t pin_port(uint8_t pin) { return pin < 8 ? 0 : pin < 14 ? 1 : 2; }
static uint8_t pin_bit(uint8_t pin) { return pin < 8 ? pin : pin < 14 ? (uint8_t)(pin - 8) : (uint8_t)(pin - 14); }

void pin_direction(uint8_t pin, uint8_t output, uint8_t pullup) {
  volatile uint8_t *ddr = ddr_reg(pin_port(pin));
  volatile uint8_t *prt = port_reg(pin_port(pin));
  uint8_t m = (uint8_t)_BV(pin_bit(pin));
  if (output) {
    *ddr |= m;
  } else {
    *ddr &= (uint8_t)~m;
    if (pullup) *prt |= m; else *prt &= (uint8_t)~m;
  }
}

void pin_write(uint8_t pin, uint8_t level) {
  volatile uint8_t *prt = port_reg(pin_port(pin));
  uint8_t m = (uint8_t)_BV(pin_bit(pin));
  if (level) *prt |= m; else *prt &= (uint8_t)~m;
}

uint8_t pin_read(uint8_t pin) { return (*pin_reg(pin_port(pin)) >> pin_bit(pin)) & 1; }

/* Firmata ports are groups of 8 pins: 0 = 0-7, 1 = 8-15, 2 = 16-19. */
uint8_t firmata_port_read(uint8_t fport) {
  uint8_t v = 0;
  for (uint8_t i = 0; i < 8; i++) {
    uint8_t pin = (uint8_t)(fport * 8 + i);
    if (pin >= PIN_COUNT) break;
    if (pin_read(pin)) v |= (uint8_t)_BV(i);
  }
  return v;
}

uint8_t pin_is_pwm(uint8_t pin) { return pin == 3 || pin == 5 || pin == 6 || pin == 9 || pin == 10 || pin == 11; }

void pwm_connect(uint8_t pin, uint8_t on) {
  switch (pin) {
    case 6: if (on) TCCR0A |= _BV(COM0A1); else TCCR0A &= (uint8_t)~_BV(COM0A1); break;
    case 5: if (on) TCCR0A |= _BV(COM0B1); else TCCR0A &= (uint8_t)~_BV(COM0B1); break;
    case 9: if (on) TCCR1A |= _BV(COM1A1); else TCCR1A &= (uint8_t)~_BV(COM1A1); break;
    case 10: if (on) TCCR1A |= _BV(COM1B1); else TCCR1A &= (uint8_t)~_BV(COM1B1); break;
    case 11: if (on) TCCR2A |= _BV(COM2A1); else TCCR2A &= (uint8_t)~_BV(COM2A1); break;
    case 3: if (on) TCCR2A |= _BV(COM2B1); else TCCR2A &= (uint8_t)~_BV(COM2B1); break;
    default: break;
  }
}

void pwm_write(uint8_t pin, uint8_t value) {
  switch (pin) {
    case 6: OCR0A = value; break;
    case 5: OCR0B = value; break;
    case 9: OCR1A = value; break;
    case 10: OCR1B = value; break;
    case 11: OCR2A = value; break;
    case 3: OCR2B = value; break;
    default: break;
  }
}

/* ---- ADC ---- */
void adc_init(void) {
  ADCSRA = _BV(ADEN) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0); /* /128: 125 kHz */
}

static uint16_t adc_convert(void) {
  ADCSRA |= _BV(ADSC);
  uint16_t guard = 0;
  while ((ADCSRA & _BV(ADSC)) && ++guard < 20000) {
  }
  return ADC;
}

uint16_t adc_read(uint8_t channel) {
  ADMUX = (uint8_t)(_BV(REFS0) | (channel & 0x07));
  return adc_convert();
}

/* Internal temperature sensor: channel 8 against the internal 1.1 V reference (datasheet 24.8).
 * The first conversion after switching the reference is not to be trusted, so it is thrown away,
 * and one conversion on AVcc afterwards lets the reference settle back for the light sensors. */
uint16_t adc_read_temperature(void) {
  ADMUX = (uint8_t)(_BV(REFS1) | _BV(REFS0) | _BV(MUX3));
  (void)adc_convert();
  uint16_t t = adc_convert();
  ADMUX = _BV(REFS0);
  (void)adc_convert();
  return t;
}

/* ---- TWI master (100 kHz), interrupt-completed, every wait bounded so a missing sensor cannot
 * wedge the loop. Each step arms TWIE; the ISR only disarms it and flags completion (TWINT stays
 * set until the next step clears it by writing one), so the code behaves the same on silicon and in
 * simavr 1.6, whose TWI does not clear TWINT on a polled write-one. ---- */
static volatile uint8_t twi_done;

ISR(TWI_vect) {
  TWCR = _BV(TWEN); /* TWINT written 0: left set; TWIE off so the ISR does not fire again */
  twi_done = 1;
}

void twi_init(void) {
  TWSR = 0;
  TWBR = 72; /* (16 MHz / 100 kHz - 16) / 2 */
  TWCR = _BV(TWEN);
}

static uint8_t twi_step(uint8_t extra) {
  twi_done = 0;
  TWCR = (uint8_t)(_BV(TWINT) | _BV(TWEN) | _BV(TWIE) | extra);
  uint32_t guard = 0;
  while (!twi_done) {
    if (++guard > 100000UL) return 0;
  }
  return 1;
}

static uint8_t twi_start(uint8_t sla) {
  if (!twi_step(_BV(TWSTA))) return 0;
  uint8_t st = TW_STATUS;
  if (st != TW_START && st != TW_REP_START) return 0;
  TWDR = sla;
  if (!twi_step(0)) return 0;
  st = TW_STATUS;
  return st == TW_MT_SLA_ACK || st == TW_MR_SLA_ACK;
}

static void twi_stop(void) { TWCR = _BV(TWINT) | _BV(TWSTO) | _BV(TWEN); }

uint8_t twi_write(uint8_t addr, const uint8_t *data, uint8_t len) {
  if (!twi_start((uint8_t)(addr << 1))) {
    twi_stop();
    return 0;
  }
  for (uint8_t i = 0; i < len; i++) {
    TWDR = data[i];
    if (!twi_step(0) || TW_STATUS != TW_MT_DATA_ACK) {
      twi_stop();
      return 0;
    }
  }
  twi_stop();
  return 1;
}

uint8_t twi_read(uint8_t addr, uint8_t *data, uint8_t len) {
  if (len == 0) return 1;
  if (!twi_start((uint8_t)((addr << 1) | 1))) {
    twi_stop();
    return 0;
  }
  for (uint8_t i = 0; i < len; i++) {
    if (!twi_step((uint8_t)(i + 1 < len ? _BV(TWEA) : 0))) {
      twi_stop();
      return 0;
    }
    data[i] = TWDR;
  }
  twi_stop();
  return 1;
}
