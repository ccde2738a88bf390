/*
 * systemtest/v4l2probe: the system test's small V4L2 tool, run inside the VM.
 *
 *   v4l2probe caps DEV           one line: card, driver, device caps, capture=0|1 output=0|1
 *   v4l2probe read DEV SECONDS [RAWFILE]
 *                                a consumer like a video-call app: QUERYCAP, G_FMT, mmap buffers, STREAMON, dequeue
 *                                frames for SECONDS (or until SIGTERM/SIGINT), STREAMOFF. One line per frame:
 *                                  frame SEQ EPOCH_S WxH FOURCC BYTES TL=R,G,B TR=R,G,B C=R,G,B
 *                                (mean RGB of the top-left and top-right eighths and of the centre); the last
 *                                frame is kept in RAWFILE. "timeout EPOCH_S" after a second without a frame.
 *
 * Exit status: 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int xioctl(int fd, unsigned long req, void *arg) {
    int r;
    do r = ioctl(fd, req, arg); while (r < 0 && errno == EINTR && !stop);
    return r;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int die(const char *what) {
    fprintf(stderr, "v4l2probe: %s: %s\n", what, strerror(errno));
    return 1;
}

static int caps(const char *dev) {
    int fd = open(dev, O_RDWR | O_NONBLOCK);
    if (fd < 0) return die(dev);
    struct v4l2_capability cap;
    if (xioctl(fd, VIDIOC_QUERYCAP, &cap) < 0) return die("VIDIOC_QUERYCAP");
    uint32_t dc = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    printf("card=%s driver=%s device_caps=0x%08x capture=%d output=%d\n", (char *)cap.card, (char *)cap.driver, dc,
           !!(dc & V4L2_CAP_VIDEO_CAPTURE), !!(dc & V4L2_CAP_VIDEO_OUTPUT));
    close(fd);
    return 0;
}

static inline uint8_t clamp(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/* Mean RGB (BT.601 limited range) of the YUYV pixels in [x0,x1) x [y0,y1). */
static void mean_rgb(const uint8_t *p, unsigned stride, int x0, int x1, int y0, int y1, int rgb[3]) {
    double s[3] = {0, 0, 0};
    long n = 0;
    x0 &= ~1;
    for (int y = y0; y < y1; y += 2)
        for (int x = x0; x + 1 < x1; x += 2) {
            const uint8_t *q = p + (size_t)y * stride + (size_t)x * 2;
            int c = q[0] - 16, d = q[1] - 128, e = q[3] - 128;
            s[0] += clamp((298 * c + 409 * e + 128) >> 8);
            s[1] += clamp((298 * c - 100 * d - 208 * e + 128) >> 8);
            s[2] += clamp((298 * c + 516 * d + 128) >> 8);
            n++;
        }
    for (int i = 0; i < 3; i++) rgb[i] = n ? (int)(s[i] / n + 0.5) : -1;
}

static int consume(const char *dev, double seconds, const char *raw) {
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int fd = open(dev, O_RDWR | O_NONBLOCK);
    if (fd < 0) return die(dev);
    struct v4l2_capability cap;
    if (xioctl(fd, VIDIOC_QUERYCAP, &cap) < 0) return die("VIDIOC_QUERYCAP");
    uint32_t dc = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(dc & V4L2_CAP_VIDEO_CAPTURE)) {
        fprintf(stderr, "v4l2probe: %s has no capture capability (device caps 0x%08x)\n", dev, dc);
        return 1;
    }
    struct v4l2_format fmt;
    memset(&fmt, 0, sizeof fmt);
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd, VIDIOC_G_FMT, &fmt) < 0) return die("VIDIOC_G_FMT");
    unsigned w = fmt.fmt.pix.width, h = fmt.fmt.pix.height, stride = fmt.fmt.pix.bytesperline;
    uint32_t fcc = fmt.fmt.pix.pixelformat;
    char fourcc[5] = {fcc & 0xff, (fcc >> 8) & 0xff, (fcc >> 16) & 0xff, (fcc >> 24) & 0xff, 0};
    if (!stride) stride = w * 2;
    printf("format %ux%u %s bytesperline=%u sizeimage=%u\n", w, h, fourcc, stride, fmt.fmt.pix.sizeimage);
    fflush(stdout);

    struct v4l2_requestbuffers req = {.count = 4, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP};
    if (xioctl(fd, VIDIOC_REQBUFS, &req) < 0) return die("VIDIOC_REQBUFS");
    void *mem[16];
    size_t len[16];
    if (req.count > 16) req.count = 16;
    for (unsigned i = 0; i < req.count; i++) {
        struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP, .index = i};
        if (xioctl(fd, VIDIOC_QUERYBUF, &b) < 0) return die("VIDIOC_QUERYBUF");
        len[i] = b.length;
        mem[i] = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b.m.offset);
        if (mem[i] == MAP_FAILED) return die("mmap");
        if (xioctl(fd, VIDIOC_QBUF, &b) < 0) return die("VIDIOC_QBUF");
    }
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd, VIDIOC_STREAMON, &type) < 0) return die("VIDIOC_STREAMON");
    printf("streamon %.3f buffers=%u\n", now(), req.count);
    fflush(stdout);

    double end = now() + seconds;
    unsigned long frames = 0;
    while (!stop && now() < end) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        struct timeval tv = {1, 0};
        int r = select(fd + 1, &fds, NULL, NULL, &tv);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return die("select");
        if (r == 0) {
            printf("timeout %.3f\n", now());
            fflush(stdout);
            continue;
        }
        struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP};
        if (xioctl(fd, VIDIOC_DQBUF, &b) < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return die("VIDIOC_DQBUF");
        }
        const uint8_t *p = mem[b.index];
        int tl[3] = {-1, -1, -1}, tr[3] = {-1, -1, -1}, c[3] = {-1, -1, -1};
        if (fcc == V4L2_PIX_FMT_YUYV && b.bytesused >= stride * h) {
            mean_rgb(p, stride, 0, w / 8, 0, h / 8, tl);
            mean_rgb(p, stride, w - w / 8, w, 0, h / 8, tr);
            mean_rgb(p, stride, w * 7 / 16, w * 9 / 16, h * 7 / 16, h * 9 / 16, c);
        }
        printf("frame %u %.3f %ux%u %s %u TL=%d,%d,%d TR=%d,%d,%d C=%d,%d,%d\n", b.sequence, now(), w, h, fourcc,
               b.bytesused, tl[0], tl[1], tl[2], tr[0], tr[1], tr[2], c[0], c[1], c[2]);
        fflush(stdout);
        if (raw && (frames++ % 10 == 0)) {
            FILE *f = fopen(raw, "w");
            if (f) {
                fwrite(p, 1, b.bytesused, f);
                fclose(f);
            }
        }
        if (xioctl(fd, VIDIOC_QBUF, &b) < 0) return die("VIDIOC_QBUF");
    }
    xioctl(fd, VIDIOC_STREAMOFF, &type);
    printf("streamoff %.3f\n", now());
    for (unsigned i = 0; i < req.count; i++) munmap(mem[i], len[i]);
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && !strcmp(argv[1], "caps")) return caps(argv[2]);
    if ((argc == 4 || argc == 5) && !strcmp(argv[1], "read")) return consume(argv[2], atof(argv[3]), argc == 5 ? argv[4] : NULL);
    fprintf(stderr, "usage: v4l2probe caps DEV | read DEV SECONDS [RAWFILE]\n");
    return 2;
}
