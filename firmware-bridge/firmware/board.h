/* ATmega328P hardware layer used by the Firmata core (board.c). */
#ifndef RIG_BOARD_H
#define RIG_BOARD_H

#include <stdint.h>

#define PIN_COUNT 20
#define ANALOG_FIRST_PIN 14
#define ANALOG_COUNT 6

void uart_init(void);
int16_t uart_read(void);
void uart_write(uint8_t c);

void timers_init(void);
uint32_t millis(void);

void pin_direction(uint8_t pin, uint8_t output, uint8_t pullup);
void pin_write(uint8_t pin, uint8_t level);
uint8_t pin_read(uint8_t pin);
uint8_t firmata_port_read(uint8_t fport);
uint8_t pin_is_pwm(uint8_t pin);
void pwm_connect(uint8_t pin, uint8_t on);
void pwm_write(uint8_t pin, uint8_t value);

void adc_init(void);
uint16_t adc_read(uint8_t channel);
uint16_t adc_read_temperature(void);

void twi_init(void);
uint8_t twi_write(uint8_t addr, const uint8_t *data, uint8_t len);
uint8_t twi_read(uint8_t addr, uint8_t *data, uint8_t len);

#endif
