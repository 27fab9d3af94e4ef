#ifndef SHROFF_CINPUT_SHIM_H
#define SHROFF_CINPUT_SHIM_H
// Linux input devices for the scanner: evdev (struct input_event, EVIOCGRAB), hidraw (the
// report descriptor), uinput (a virtual keyboard, for the end-to-end test). The ioctl request
// numbers are function-like macros and ioctl is variadic: Swift sees neither, so each use has a
// typed wrapper here. Only the ScannerDevice target imports this module.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/input.h>
#include <linux/hidraw.h>
#include <linux/uinput.h>

/// The size of one struct input_event on this machine (24 bytes on 64-bit Linux).
static inline int shroff_input_event_size(void) { return (int)sizeof(struct input_event); }

/// EVIOCGRAB: 1 takes the device for this file descriptor alone, 0 lets it go. -1 and errno on failure
/// (EBUSY: another program holds it; ENOTTY/EINVAL: not an evdev node, e.g. a FIFO).
static inline int shroff_input_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, (void *)(long)grab); }

/// HIDIOCGRDESCSIZE + HIDIOCGRDESC: copies up to capacity bytes of a hidraw device's report
/// descriptor into bytes; returns its length, or -1 when fd is not a hidraw node.
static inline int shroff_hidraw_descriptor(int fd, unsigned char *bytes, int capacity) {
    int size = 0;
    if (ioctl(fd, HIDIOCGRDESCSIZE, &size) < 0) return -1;
    struct hidraw_report_descriptor descriptor;
    memset(&descriptor, 0, sizeof descriptor);
    descriptor.size = (unsigned)size;
    if (ioctl(fd, HIDIOCGRDESC, &descriptor) < 0) return -1;
    int count = size < capacity ? size : capacity;
    memcpy(bytes, descriptor.value, (size_t)count);
    return count;
}

// uinput: a virtual keyboard the kernel treats as a real device (tests only).
static inline int shroff_uinput_enable_keys(int fd) {
    if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0) return -1;
    if (ioctl(fd, UI_SET_EVBIT, EV_SYN) < 0) return -1;
    for (int key = KEY_ESC; key <= KEY_KPDOT; key++) {
        if (ioctl(fd, UI_SET_KEYBIT, key) < 0) return -1;
    }
    if (ioctl(fd, UI_SET_KEYBIT, KEY_KPENTER) < 0) return -1;
    return 0;
}
static inline int shroff_uinput_create(int fd, const char *name) {
    struct uinput_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.id.bustype = BUS_USB;
    setup.id.vendor = 0x1209;
    setup.id.product = 0x5343;
    strncpy(setup.name, name, UINPUT_MAX_NAME_SIZE - 1);
    if (ioctl(fd, UI_DEV_SETUP, &setup) < 0) return -1;
    return ioctl(fd, UI_DEV_CREATE);
}
static inline int shroff_uinput_destroy(int fd) { return ioctl(fd, UI_DEV_DESTROY); }
/// The /sys/devices/virtual/input/inputN name of a created uinput device, into buffer.
static inline int shroff_uinput_sysname(int fd, char *buffer, int size) { return ioctl(fd, UI_GET_SYSNAME(size), buffer); }

/// Writes one input_event (the kernel stamps the time).
static inline int shroff_uinput_emit(int fd, int type, int code, int value) {
    struct input_event event;
    memset(&event, 0, sizeof event);
    event.type = (unsigned short)type;
    event.code = (unsigned short)code;
    event.value = value;
    return (int)write(fd, &event, sizeof event);
}

#endif
