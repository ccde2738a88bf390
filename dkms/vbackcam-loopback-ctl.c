/*
 * vbackcam-loopback-ctl: v4l2loopback's control device (/dev/v4l2loopback), for dkms/vbackcam-loopback. It does
 * what upstream's v4l2loopback-ctl does for us, so vbackcam does not need v4l2loopback-utils.
 *
 *   vbackcam-loopback-ctl add NR LABEL EXCLUSIVE_CAPS MAX_BUFFERS   add /dev/videoNR; prints its path
 *   vbackcam-loopback-ctl remove NR                                 remove the loopback device /dev/videoNR
 *   vbackcam-loopback-ctl query NR      "exclusive_caps=0|1 max_buffers=N label=LABEL" of the loopback device
 *                                       /dev/videoNR; exit status 3 when /dev/videoNR is not a loopback device
 *   vbackcam-loopback-ctl version       the loaded module's version, e.g. 0.15.4
 *
 * Exit status: 0; 1 with one line on stderr; 2 for bad usage; 3 (query) not a loopback device.
 * Built with -DV4L2LOOPBACK_HEADER="path/v4l2loopback.h" (dkms/test does), it checks at compile time that the
 * numbers below are the header's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The control device's ABI, as v4l2loopback.h (0.12.5 to 0.15.4) declares it. */
struct vb_loopback_config {
    __s32 output_nr;
    __s32 unused; /* capture_nr: must equal output_nr until upstream splits devices */
    char card_label[32];
    __u32 min_width, max_width, min_height, max_height;
    __s32 max_buffers, max_openers, debug, announce_all_caps;
};
#define VB_CTL_VERSION _IOR('~', 0, __u32)
#define VB_CTL_ADD _IOW('~', 1, struct vb_loopback_config)
#define VB_CTL_REMOVE _IOW('~', 2, __u32)
#define VB_CTL_QUERY _IOWR('~', 3, struct vb_loopback_config)

#ifdef V4L2LOOPBACK_HEADER
#include V4L2LOOPBACK_HEADER
_Static_assert(sizeof(struct vb_loopback_config) == sizeof(struct v4l2_loopback_config), "config size");
_Static_assert(VB_CTL_VERSION == V4L2LOOPBACK_CTL_VERSION, "CTL_VERSION");
_Static_assert(VB_CTL_ADD == V4L2LOOPBACK_CTL_ADD, "CTL_ADD");
_Static_assert(VB_CTL_REMOVE == V4L2LOOPBACK_CTL_REMOVE, "CTL_REMOVE");
_Static_assert(VB_CTL_QUERY == V4L2LOOPBACK_CTL_QUERY, "CTL_QUERY");
#endif

static const char *control = "/dev/v4l2loopback";

static int fail(const char *what) {
    fprintf(stderr, "vbackcam-loopback-ctl: %s: %s\n", what, strerror(errno));
    return 1;
}

static int open_control(void) {
    int fd = open(control, O_RDWR);
    if (fd < 0 && errno == ENOENT)
        fprintf(stderr, "vbackcam-loopback-ctl: no %s: v4l2loopback is not loaded, or is older than 0.12.5 "
                        "(no control device)\n", control);
    else if (fd < 0)
        fail(control);
    return fd;
}

/* A device number: 0..255, the range of video4linux minors. */
static int number(const char *s) {
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || n < 0 || n > 255) {
        fprintf(stderr, "vbackcam-loopback-ctl: '%s' is not a device number (0-255)\n", s);
        exit(2);
    }
    return (int)n;
}

static int add(int nr, const char *label, int exclusive, int buffers) {
    struct vb_loopback_config c;
    memset(&c, 0, sizeof c);
    c.output_nr = c.unused = nr;
    if (strlen(label) >= sizeof c.card_label) {
        fprintf(stderr, "vbackcam-loopback-ctl: label '%s' is longer than %zu bytes\n", label, sizeof c.card_label - 1);
        return 2;
    }
    strcpy(c.card_label, label);
    c.announce_all_caps = !exclusive;
    c.max_buffers = buffers;
    int fd = open_control();
    if (fd < 0) return 1;
    int r = ioctl(fd, VB_CTL_ADD, &c);
    if (r < 0 && errno == EEXIST) {
        fprintf(stderr, "vbackcam-loopback-ctl: a v4l2loopback device numbered %d exists already\n", nr);
        return 1;
    }
    if (r < 0) return fail("V4L2LOOPBACK_CTL_ADD");
    printf("/dev/video%d\n", r);
    return 0;
}

static int query(int nr) {
    struct vb_loopback_config c;
    memset(&c, 0, sizeof c);
    c.output_nr = nr;
    c.unused = -1;
    int fd = open_control();
    if (fd < 0) return 1;
    if (ioctl(fd, VB_CTL_QUERY, &c) < 0) {
        if (errno == ENODEV) return 3;
        return fail("V4L2LOOPBACK_CTL_QUERY");
    }
    c.card_label[sizeof c.card_label - 1] = 0;
    printf("exclusive_caps=%d max_buffers=%d label=%s\n", !c.announce_all_caps, c.max_buffers, c.card_label);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && !strcmp(argv[1], "add")) {
        char *end;
        long buffers = strtol(argv[5], &end, 10);
        if (*end || buffers < 1 || buffers > 32 || (strcmp(argv[4], "0") && strcmp(argv[4], "1"))) {
            fprintf(stderr, "vbackcam-loopback-ctl: EXCLUSIVE_CAPS must be 0 or 1 and MAX_BUFFERS 1-32\n");
            return 2;
        }
        return add(number(argv[2]), argv[3], argv[4][0] == '1', (int)buffers);
    }
    if (argc == 3 && !strcmp(argv[1], "remove")) {
        int nr = number(argv[2]);
        int fd = open_control();
        if (fd < 0) return 1;
        if (ioctl(fd, VB_CTL_REMOVE, (unsigned long)nr) < 0) {
            if (errno == EBUSY) {
                fprintf(stderr, "vbackcam-loopback-ctl: /dev/video%d is open in another program\n", nr);
                return 1;
            }
            return fail("V4L2LOOPBACK_CTL_REMOVE");
        }
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "query")) return query(number(argv[2]));
    if (argc == 2 && !strcmp(argv[1], "version")) {
        __u32 v = 0;
        int fd = open_control();
        if (fd < 0) return 1;
        if (ioctl(fd, VB_CTL_VERSION, &v) < 0) return fail("V4L2LOOPBACK_CTL_VERSION");
        printf("%u.%u.%u\n", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
        return 0;
    }
    fprintf(stderr, "usage: vbackcam-loopback-ctl add NR LABEL EXCLUSIVE_CAPS MAX_BUFFERS | remove NR | query NR | version\n");
    return 2;
}
