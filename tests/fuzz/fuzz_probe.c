/*
 * Fuzz target: the audio and artwork probes. The first byte picks a file
 * name, whose extension tells podpub what to expect; the rest is the
 * file. Audio goes through probe_audio_memory() (an in-memory
 * AVIOContext), with the fast paths and without (PROBE_EXACT_SLOW), and
 * straight into the fast path for its extension (probe_fast_memory(),
 * with a sample rate and channel count picked by the first byte), which
 * reaches its parsers with bytes libavformat would refuse; artwork
 * through probe_image(), which reads a file, so the bytes are written to
 * a file in a per-process temporary directory (removed at exit).
 *
 * Only podpub's code is instrumented: libavformat comes from Debian, so a
 * bug inside it shows only where it trips an intercepted call (memcpy...)
 * or a check in podpub's code on what it returned.
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"

#include "podpub/json.h"
#include "podpub/probe.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte modulo this table's size picks the name. */
static const char *const names[] = {
    "x.mp3", "x.m4a", "x.ogg", "x.flac", "x.wav",   /* 0-4 */
    "x.opus", "x.m4b", "x.mp4", "x.oga",             /* 5-8 */
    "x.jpg", "x.png", "x.jpeg", "x.webp",            /* 9-12: images */
    "x.aac",                                         /* 13 */
};
#define FIRST_IMAGE 9
#define LAST_IMAGE 12

static char tmp_dir[64];

static void remove_tmp(void)
{
    char path[128];

    for (size_t i = FIRST_IMAGE; i <= LAST_IMAGE; i++) {
        snprintf(path, sizeof(path), "%s/%s", tmp_dir, names[i]);
        unlink(path);
    }
    rmdir(tmp_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *base = getenv("TMPDIR");

    (void)argc;
    (void)argv;
    fuzz_init();
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/podpub-fuzz-XXXXXX",
             base && *base && strlen(base) < 40 ? base : "/tmp");
    if (!mkdtemp(tmp_dir))
        fuzz_fail("cannot make a temporary directory");
    atexit(remove_tmp);
    return 0;
}

/* The fast path alone, with codec facts picked by 'pick'. */
/* What `podpub probe` and `podpub probe --json` print of a result. */
static void print_audio(const char *name, const struct audio_info *info)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    audio_info_text(&sb, name, info);
    json_init(&j, &sb);
    audio_info_json(&j, name, info);
    fputs(sb.buf, fuzz_null);
    strbuf_release(&sb);
}

static void print_image(const char *name, const struct image_info *info)
{
    struct strbuf sb = STRBUF_INIT;
    struct json j;

    image_info_text(&sb, name, info);
    json_init(&j, &sb);
    image_info_json(&j, name, info);
    fputs(sb.buf, fuzz_null);
    strbuf_release(&sb);
}

static void probe_one_fast(const char *name, uint8_t pick,
                           const uint8_t *data, size_t size)
{
    static const int rates[8] = { 8000, 11025, 16000, 22050, 24000, 32000,
                                  44100, 48000 };
    struct audio_info info = { 0 };
    struct strbuf msg = STRBUF_INIT;
    int ret;

    snprintf(info.codec, sizeof(info.codec), "%s",
             pick & 0x80 ? "aac" : "mp3");
    info.sample_rate = rates[(pick >> 4) & 7];
    info.channels = 1 + ((pick >> 3) & 1);
    ret = probe_fast_memory(name, data, size, &info, &msg);
    if (ret == 0 && (info.duration_ms <= 0 ||
                     (info.truncated && info.header_ms < 0)))
        fuzz_fail("%s: fast path gave %lld ms", name,
                  (long long)info.duration_ms);
    if (ret < 0 && !msg.len)
        fuzz_fail("%s: fast path refused without a message", name);
    strbuf_release(&msg);
}

static void probe_one_audio(const char *name, const uint8_t *data,
                            size_t size, unsigned flags)
{
    struct audio_info info, copy;
    struct strbuf msg = STRBUF_INIT;

    if (probe_audio_memory_opts(name, data, size, &info, &msg, flags) == 0) {
        if (info.duration_ms <= 0)
            fuzz_fail("%s: probed with duration %lld ms", name,
                      (long long)info.duration_ms);
        if (info.size != size || !info.mime || !info.container)
            fuzz_fail("%s: probed without size, MIME type or container",
                      name);
        for (size_t i = 0; i < info.chapters_nr; i++)
            if (!info.chapters[i].title)
                fuzz_fail("%s: chapter %zu has no title", name, i + 1);
        probe_warning(name, &info, &msg);
        print_audio(name, &info);
        audio_info_copy(&copy, &info);
        audio_info_release(&copy);
        audio_info_release(&info);
    } else if (!msg.len) {
        fuzz_fail("%s: refused without a message", name);
    }
    strbuf_release(&msg);
}

static void probe_one_image(const char *name, const uint8_t *data,
                            size_t size)
{
    char path[128];
    struct image_info info;
    struct strbuf msg = STRBUF_INIT;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fuzz_fail("cannot write %s", path);
    for (size_t off = 0; off < size;) {
        ssize_t n = write(fd, data + off, size - off);

        if (n <= 0)
            fuzz_fail("cannot write %s", path);
        off += (size_t)n;
    }
    close(fd);
    if (probe_image(path, &info, &msg) == 0) {
        if (info.size != size || !info.content || !info.colour)
            fuzz_fail("%s: image_info without size, content or colour",
                      name);
        image_warnings(&info, &msg);
        print_image(path, &info);
    }
    strbuf_release(&msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *name;

    if (size < 1 || size > (4u << 20))
        return 0;
    name = names[data[0] % ARRAY_SIZE(names)];
    if ((size_t)(data[0] % ARRAY_SIZE(names)) >= FIRST_IMAGE &&
        (size_t)(data[0] % ARRAY_SIZE(names)) <= LAST_IMAGE) {
        probe_one_image(name, data + 1, size - 1);
    } else {
        probe_one_fast(name, data[0], data + 1, size - 1);
        probe_one_audio(name, data + 1, size - 1, 0);
        probe_one_audio(name, data + 1, size - 1, PROBE_EXACT_SLOW);
    }
    return 0;
}
