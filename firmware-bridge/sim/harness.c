/*
 * simavr harness for the rig firmware: runs the firmware ELF on a simulated ATmega328P at 16 MHz,
 * paced to wall-clock time, with its UART on a PTY (the host opens it like a real board).
 *
 * stdout (one line per event, flushed):  "pty /dev/pts/N" once, then "pwm PIN VALUE" whenever a
 *   PWM output changes (0 when the pin is not connected to its timer), "boot" when the MCU restarts.
 * stdin (one command per line):  "adc CHANNEL MILLIVOLTS", "pin PIN LEVEL" (drives a digital input),
 *   "lux RAW" (BH1750 reading), "temp MILLIVOLTS" (the MCU's internal temperature sensor output), "unplug" (the PTY goes away, as a USB cable pulled), "plug" (a new
 *   PTY appears; "pty PATH" is printed again), "quit".
 * With `--link PATH`, PATH is kept as a symlink to the current PTY (as udev's by-id links are).
 * Exits on "quit", on end of stdin (the parent went away) or on SIGTERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <simavr/avr_adc.h>
#include <simavr/avr_ioport.h>
#include <simavr/avr_twi.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_irq.h>

#define FREQ 16000000UL
#define BH1750_ADDR 0x23

static avr_t *avr;
static int pty_master = -1;
static int pty_slave_hold = -1;
static const char *link_path;
static volatile sig_atomic_t stop_requested;
static int uart_xon = 1;
static avr_irq_t *uart_in;
static avr_irq_t *twi_in;

/* BH1750 twin: any write selects the mode; reads return the raw count big-endian. */
static uint16_t lux_raw = 0;
static uint8_t twi_selected;
static uint8_t twi_read_index;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void uart_out_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  uint8_t c = (uint8_t)value;
  /* The host reads the PTY; if it is slow the kernel buffer absorbs it. A full buffer drops the
   * byte, like a real UART whose host stopped reading. */
  if (pty_master < 0) return; /* unplugged: the bytes go nowhere */
  ssize_t r = write(pty_master, &c, 1);
  (void)r;
}

static void uart_xon_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)value; (void)param;
  uart_xon = 1;
}

static void uart_xoff_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq; (void)value; (void)param;
  uart_xon = 0;
}

static void twi_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  avr_twi_msg_irq_t v;
  v.u.v = value;
  if (getenv("HARNESS_TWI_DEBUG")) fprintf(stderr, "twi msg %02x addr %02x data %02x TWSR %02x TWCR %02x\n", v.u.twi.msg, v.u.twi.addr, v.u.twi.data, avr->data[0xB9], avr->data[0xBC]);
  if (v.u.twi.msg & TWI_COND_STOP) twi_selected = 0;
  if (v.u.twi.msg & TWI_COND_START) {
    twi_selected = 0;
    if ((v.u.twi.addr >> 1) == BH1750_ADDR) {
      twi_selected = v.u.twi.addr;
      twi_read_index = 0;
      avr_raise_irq(twi_in, avr_twi_irq_msg(TWI_COND_ACK, twi_selected, 1));
    }
  }
  if (!twi_selected) return;
  if (v.u.twi.msg & TWI_COND_WRITE) {
    avr_raise_irq(twi_in, avr_twi_irq_msg(TWI_COND_ACK, twi_selected, 1));
  }
  if (v.u.twi.msg & TWI_COND_READ) {
    uint8_t b = twi_read_index++ == 0 ? (uint8_t)(lux_raw >> 8) : (uint8_t)lux_raw;
    avr_raise_irq(twi_in, avr_twi_irq_msg(TWI_COND_READ, twi_selected, b));
  }
}

/* Arduino pin number to simavr port letter and bit. */
static int pin_port(int pin, char *port, int *bit) {
  if (pin < 0 || pin > 19) return 0;
  if (pin < 8) { *port = 'D'; *bit = pin; }
  else if (pin < 14) { *port = 'B'; *bit = pin - 8; }
  else { *port = 'C'; *bit = pin - 14; }
  return 1;
}

/* Levels the room drives on digital inputs (-1: not driven). simavr caches an IRQ's last value, so
 * a level raised while the firmware still had the pin as an output (its reset state) would be lost
 * when the pin later becomes an input; the harness therefore re-asserts the levels in the PINx
 * registers on every I/O exchange. */
static int driven[20];
static const uint16_t pin_reg_addr[3] = {0x29, 0x23, 0x26}; /* PIND, PINB, PINC (data space) */

static void assert_driven_inputs(void) {
  for (int pin = 0; pin < 20; pin++) {
    if (driven[pin] < 0) continue;
    int idx = pin < 8 ? 0 : pin < 14 ? 1 : 2;
    int bit = pin < 8 ? pin : pin < 14 ? pin - 8 : pin - 14;
    if (driven[pin]) avr->data[pin_reg_addr[idx]] |= (uint8_t)(1 << bit);
    else avr->data[pin_reg_addr[idx]] &= (uint8_t)~(1 << bit);
  }
}

struct pwm_out {
  int pin;
  uint16_t ocr;  /* data-space address of the compare register */
  uint16_t tccr; /* TCCRxA */
  uint8_t com;   /* COMx1 bit */
  int last;
};

/* ATmega328P data-space addresses (datasheet register summary). */
static struct pwm_out pwms[] = {
  {6, 0x47, 0x44, 1 << 7, -1},  /* OCR0A, TCCR0A COM0A1 */
  {5, 0x48, 0x44, 1 << 5, -1},  /* OCR0B, COM0B1 */
  {9, 0x88, 0x80, 1 << 7, -1},  /* OCR1AL, TCCR1A COM1A1 */
  {10, 0x8A, 0x80, 1 << 5, -1}, /* OCR1BL, COM1B1 */
  {11, 0xB3, 0xB0, 1 << 7, -1}, /* OCR2A, TCCR2A COM2A1 */
  {3, 0xB4, 0xB0, 1 << 5, -1},  /* OCR2B, COM2B1 */
};

static void report_pwm(void) {
  for (size_t i = 0; i < sizeof pwms / sizeof pwms[0]; i++) {
    int v = (avr->data[pwms[i].tccr] & pwms[i].com) ? avr->data[pwms[i].ocr] : 0;
    if (v != pwms[i].last) {
      pwms[i].last = v;
      printf("pwm %d %d\n", pwms[i].pin, v);
      fflush(stdout);
    }
  }
}

static void close_pty(void) {
  if (pty_slave_hold >= 0) close(pty_slave_hold);
  if (pty_master >= 0) close(pty_master);
  pty_slave_hold = pty_master = -1;
}

/* Opens a new PTY, points the link at it and announces it. Returns 0 on failure. */
static int open_pty(void) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
    perror("pty");
    if (m >= 0) close(m);
    return 0;
  }
  const char *slave = ptsname(m);
  /* Hold the slave open in raw mode so the master never sees EIO between host connections. */
  int s = open(slave, O_RDWR | O_NOCTTY);
  if (s < 0) {
    perror("pty slave");
    close(m);
    return 0;
  }
  struct termios tio;
  tcgetattr(s, &tio);
  cfmakeraw(&tio);
  tcsetattr(s, TCSANOW, &tio);
  fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
  pty_master = m;
  pty_slave_hold = s;
  if (link_path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.new", link_path);
    unlink(tmp);
    if (symlink(slave, tmp) != 0 || rename(tmp, link_path) != 0) perror("link");
  }
  printf("pty %s\n", slave);
  fflush(stdout);
  return 1;
}

static char line[128];
static size_t line_len;

static int handle_line(const char *l) {
  int a, b;
  if (sscanf(l, "adc %d %d", &a, &b) == 2 && a >= 0 && a < 8) {
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0 + a), (uint32_t)b);
  } else if (sscanf(l, "pin %d %d", &a, &b) == 2) {
    char port;
    int bit;
    if (pin_port(a, &port, &bit)) {
      driven[a] = b ? 1 : 0;
      avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), bit), b ? 1 : 0);
    }
  } else if (sscanf(l, "temp %d", &a) == 1) {
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_TEMP), (uint32_t)(a < 0 ? 0 : a));
  } else if (sscanf(l, "lux %d", &a) == 1) {
    lux_raw = (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
  } else if (strncmp(l, "unplug", 6) == 0) {
    close_pty();
  } else if (strncmp(l, "plug", 4) == 0) {
    if (pty_master < 0 && !open_pty()) return 0;
  } else if (strncmp(l, "quit", 4) == 0) {
    return 0;
  }
  return 1;
}

/* Non-blocking stdin: returns 0 when the harness should stop. */
static int poll_stdin(void) {
  char buf[256];
  ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
  if (n == 0) return 0;
  if (n < 0) return errno == EAGAIN || errno == EINTR;
  for (ssize_t i = 0; i < n; i++) {
    if (buf[i] == '\n') {
      line[line_len] = 0;
      line_len = 0;
      if (!handle_line(line)) return 0;
    } else if (line_len + 1 < sizeof line) {
      line[line_len++] = buf[i];
    }
  }
  return 1;
}

static uint8_t pending[512];
static size_t pending_len, pending_off;

static void poll_pty(void) {
  if (pty_master < 0) {
    pending_off = pending_len = 0;
    return;
  }
  if (pending_off == pending_len) {
    ssize_t n = read(pty_master, pending, sizeof pending);
    pending_off = 0;
    pending_len = n > 0 ? (size_t)n : 0;
  }
  while (pending_off < pending_len && uart_xon) avr_raise_irq(uart_in, pending[pending_off++]);
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[2], "--link") == 0) link_path = argv[3];
  else if (argc != 2) {
    fprintf(stderr, "usage: %s FIRMWARE.elf [--link PATH]\n", argv[0]);
    return 64;
  }
  for (int i = 0; i < 20; i++) driven[i] = -1;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  elf_firmware_t fw;
  memset(&fw, 0, sizeof fw);
  /* libsimavr chats on stdout while loading; keep stdout for our event lines. */
  fflush(stdout);
  int saved_stdout = dup(STDOUT_FILENO);
  dup2(STDERR_FILENO, STDOUT_FILENO);
  int loaded = elf_read_firmware(argv[1], &fw);
  fflush(stdout);
  dup2(saved_stdout, STDOUT_FILENO);
  close(saved_stdout);
  if (loaded != 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 66;
  }
  strcpy(fw.mmcu, "atmega328p");
  fw.frequency = FREQ;
  avr = avr_make_mcu_by_name(fw.mmcu);
  if (!avr) return 70;
  avr_init(avr);
  avr_load_firmware(avr, &fw);
  avr->frequency = FREQ;
  avr->vcc = avr->avcc = avr->aref = 5000;
  avr->log = LOG_ERROR;

  fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);

  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(uint32_t)AVR_UART_FLAG_STDIO;
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  uart_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_out_hook, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uart_xon_hook, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uart_xoff_hook, NULL);
  twi_in = avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_OUTPUT), twi_hook, NULL);

  if (!open_pty()) return 71;

  uint64_t wall0 = now_ns();
  avr_cycle_count_t cycle0 = avr->cycle;
  avr_cycle_count_t last_poll = avr->cycle;
  int status = 0;
  for (;;) {
    avr_flashaddr_t pc_before = avr->pc;
    int state = avr_run(avr);
    if (state == cpu_Done || state == cpu_Crashed) {
      fprintf(stderr, "avr stopped (state %d)\n", state);
      status = 1;
      break;
    }
    if (avr->pc == 0 && pc_before != 0) {
      uart_xon = 1; /* the reset emptied the UART's input FIFO without signalling XON */
      printf("boot\n");
      fflush(stdout);
    }
    if (avr->cycle < cycle0) { /* counter restarted: rebase the pacing */
      cycle0 = avr->cycle;
      last_poll = avr->cycle;
      wall0 = now_ns();
    }
    /* Every simulated 0.5 ms: exchange I/O and pace to wall-clock time. */
    if (avr->cycle - last_poll >= FREQ / 2000) {
      last_poll = avr->cycle;
      if (stop_requested || !poll_stdin()) break;
      poll_pty();
      assert_driven_inputs();
      report_pwm();
      uint64_t sim_ns = (uint64_t)(avr->cycle - cycle0) * 1000000000ULL / FREQ;
      uint64_t wall_ns = now_ns() - wall0;
      if (sim_ns > wall_ns + 1000000ULL) {
        uint64_t d = sim_ns - wall_ns;
        struct timespec ts = {(time_t)(d / 1000000000ULL), (long)(d % 1000000000ULL)};
        nanosleep(&ts, NULL);
      }
    }
  }
  close_pty();
  if (link_path) unlink(link_path);
  avr_terminate(avr);
  return status;
}
