/*
 * Wire protocol of the rig firmware: the Firmata subset johnny-five uses, plus our sysex
 * extensions. firmware-bridge/src/protocol.ts mirrors these numbers for the host and the virtual
 * board; a test compares the two files.
 */
#ifndef RIG_PROTOCOL_H
#define RIG_PROTOCOL_H

/* Firmata 2.5 message bytes (public protocol description, firmata/protocol). */
#define FM_DIGITAL_MESSAGE 0x90
#define FM_ANALOG_MESSAGE 0xE0
#define FM_REPORT_ANALOG 0xC0
#define FM_REPORT_DIGITAL 0xD0
#define FM_SET_PIN_MODE 0xF4
#define FM_SET_DIGITAL_PIN_VALUE 0xF5
#define FM_REPORT_VERSION 0xF9
#define FM_SYSTEM_RESET 0xFF
#define FM_START_SYSEX 0xF0
#define FM_END_SYSEX 0xF7

#define FM_ANALOG_MAPPING_QUERY 0x69
#define FM_ANALOG_MAPPING_RESPONSE 0x6A
#define FM_CAPABILITY_QUERY 0x6B
#define FM_CAPABILITY_RESPONSE 0x6C
#define FM_PIN_STATE_QUERY 0x6D
#define FM_PIN_STATE_RESPONSE 0x6E
#define FM_EXTENDED_ANALOG 0x6F
#define FM_I2C_REQUEST 0x76
#define FM_I2C_REPLY 0x77
#define FM_I2C_CONFIG 0x78
#define FM_REPORT_FIRMWARE 0x79
#define FM_SAMPLING_INTERVAL 0x7A

#define FM_MODE_INPUT 0x00
#define FM_MODE_OUTPUT 0x01
#define FM_MODE_ANALOG 0x02
#define FM_MODE_PWM 0x03
#define FM_MODE_I2C 0x06
#define FM_MODE_PULLUP 0x0B

#define FM_VERSION_MAJOR 2
#define FM_VERSION_MINOR 5

/* Our extensions live in Firmata's user-defined sysex range (0x01-0x0F). */
/* RAMP: pin, target (2 x 7 bit, 0-255), duration ms (2 x 7 bit). Cancelled by any direct write. */
#define RIG_RAMP 0x01
/* HEARTBEAT_CONFIG: timeout in 100 ms units (2 x 7 bit, 0 = off), standby level (2 x 7 bit),
 * standby ramp ms (2 x 7 bit). When the host is silent that long, every PWM pin ramps to standby. */
#define RIG_HEARTBEAT_CONFIG 0x02
/* HEARTBEAT: no payload; the host is alive. */
#define RIG_HEARTBEAT 0x03
/* STATUS: query with no payload; the reply (also sent unprompted when a flag changes) is
 * uptime s (3 x 7 bit), watchdog resets (2 x 7 bit), boot cause (MCUSR), flags,
 * ms since the last heartbeat (2 x 7 bit, capped at 16383), daylight raw (2 x 7 bit), ramps active,
 * internal temperature sensor raw (2 x 7 bit, ADC counts against the 1.1 V reference). */
#define RIG_STATUS 0x04
/* READINESS_CONFIG: door pin, door closed level (0/1), daylight analog channel (127 = none),
 * daylight maximum raw (2 x 7 bit); optionally seat pin (127 = none) and seat occupied level (0/1). */
#define RIG_READINESS_CONFIG 0x05
/* DEBUG_HANG: magic 0x2A 0x55; wedges the main loop with interrupts off so that a technician (and
 * the contract suite) can see the AVR watchdog reset the board. */
#define RIG_DEBUG_HANG 0x0E
#define RIG_HANG_MAGIC1 0x2A
#define RIG_HANG_MAGIC2 0x55

#define RIG_FLAG_STANDBY 0x01
#define RIG_FLAG_HEARTBEAT_ARMED 0x02
#define RIG_FLAG_DOOR_CLOSED 0x04
#define RIG_FLAG_DAYLIGHT_OK 0x08
#define RIG_FLAG_READY 0x10
#define RIG_FLAG_SEAT_OCCUPIED 0x20

#endif
