/*
 * The publish lock. Its text is one line podpub writes and reads back:
 *
 *     owner=HOST:PID time=UNIX-SECONDS token=16-HEX-DIGITS
 *
 * What is read back comes from storage others may write to: it is parsed
 * strictly, printed escaped, and a lock podpub cannot read is never
 * taken over silently.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lock.h"

#define LOCK_TEXT_MAX 1024

struct lock_info {
    char owner[256];        /* "host:pid" */
    long long time;
    char token[17];         /* "" for a lock without one */
};

/* Copies a "name=value" field's value ('n' bytes) if it is plain text. */
static bool take_value(const char *v, size_t n, char *out, size_t size)
{
    if (!n || n >= size)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
            return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return true;
}

/* Parses the lock text; false when it is not what podpub writes. */
static bool lock_parse(const char *text, size_t len, struct lock_info *li)
{
    const char *p = text, *end = text + len;
    bool owner = false, time = false;

    memset(li, 0, sizeof(*li));
    if (len > LOCK_TEXT_MAX || memchr(text, '\0', len))
        return false;
    if (len && end[-1] == '\n')
        end--;
    while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        size_t n = sp ? (size_t)(sp - p) : (size_t)(end - p);
        char num[24];

        if (n > 6 && !memcmp(p, "owner=", 6)) {
            owner = take_value(p + 6, n - 6, li->owner, sizeof(li->owner));
            if (!owner)
                return false;
        } else if (n > 5 && !memcmp(p, "time=", 5)) {
            if (!take_value(p + 5, n - 5, num, 20) ||
                strspn(num, "0123456789") != n - 5)
                return false;
            li->time = strtoll(num, NULL, 10);
            time = true;
        } else if (n == 6 + 16 && !memcmp(p, "token=", 6)) {
            if (!take_value(p + 6, 16, li->token, sizeof(li->token)) ||
                strspn(li->token, "0123456789abcdef") != 16)
                return false;
        } else {
            return false;
        }
        p += n + (sp ? 1 : 0);
    }
    return owner && time;
}

/*
 * True when the lock was left by a publish on this machine whose process
 * is gone (it crashed or lost its connection): no one is publishing.
 */
static bool lock_is_dead(const struct lock_info *li)
{
    char host[256] = "";
    size_t n;
    long pid;

    if (gethostname(host, sizeof(host) - 1) < 0)
        return false;
    n = strlen(host);
    if (strncmp(li->owner, host, n) || li->owner[n] != ':')
        return false;
    pid = strtol(li->owner + n + 1, NULL, 10);
    return pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* This machine's name as a lock owner: letters, digits, '.', '-', '_'. */
static void my_host(char host[256])
{
    if (gethostname(host, 255) < 0 || !*host)
        strcpy(host, "unknown");
    host[255] = '\0';
    for (char *p = host; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789.-_", *p))
            *p = '_';
}

/* Removes what the publish with lock 'li' may have left at the target. */
static void remove_leftovers(const struct target *t,
                             const struct lock_info *li,
                             const char *const *temps)
{
    if (!*li->token)
        return;
    for (size_t i = 0; temps && temps[i]; i++) {
        char *tmp = temp_name(temps[i], li->token);

        if (target_delete(t, tmp) < 0)
            warnf("could not remove %s%s", t->display, tmp);
        free(tmp);
    }
}

int lock_take(const struct target *t, int64_t now, long stale_s,
              const char *const *temps, bool *held)
{
    struct strbuf body = STRBUF_INIT;
    char host[256], *mine;
    int ret = 0;

    *held = false;
    my_host(host);
    mine = xstrfmt("owner=%s:%ld time=%" PRId64 " token=%s\n", host,
                   (long)getpid(), now, t->token);
    for (int attempt = 0; attempt < 3; attempt++) {
        struct lock_info li;
        char *shown;
        long long age;

        ret = target_create(t, LOCK_KEY, mine, strlen(mine));
        if (ret <= 0) {
            *held = ret == 0;
            break;
        }
        /* Someone's lock is there: whose, and since when? */
        strbuf_reset(&body);
        ret = target_get(t, LOCK_KEY, &body, LOCK_TEXT_MAX + 1);
        if (ret == 1)
            continue;   /* released meanwhile: try again */
        if (ret < 0)
            break;
        shown = printable_n(body.buf, strcspn(body.buf, "\n"), 120);
        if (!lock_parse(body.buf, body.len, &li)) {
            /*
             * Half written by a publish that is taking it now (a store
             * that shows an object before its body), or planted: never
             * taken over.
             */
            ret = errorf(PP_ERR_INPUT, "%s is being published by someone "
                         "else, or %s%s holds something podpub did not write "
                         "(\"%s\"): try again later, or remove it by hand if "
                         "no one is publishing", t->display, t->display,
                         LOCK_KEY, shown);
            free(shown);
            break;
        }
        age = now - li.time;
        if ((age < 0 ? -age : age) < stale_s && !lock_is_dead(&li)) {
            ret = errorf(PP_ERR_INPUT, "%s is being published by someone "
                         "else (lock %s%s: %s); try again later, or take it "
                         "over with --lock-stale SECONDS", t->display,
                         t->display, LOCK_KEY, shown);
            free(shown);
            break;
        }
        if (attempt == 2) {
            ret = errorf(PP_ERR_INPUT, "%s: another publish took the lock "
                         "while this one was taking over a stale one (%s)",
                         t->display, shown);
            free(shown);
            break;
        }
        warnf("taking over a stale lock (%s; %s)", shown,
              age < 0 ? "dated in the future" : "older than --lock-stale or "
              "its process is gone");
        free(shown);
        remove_leftovers(t, &li, temps);
        if ((ret = target_delete(t, LOCK_KEY)) < 0)
            break;
    }
    free(mine);
    strbuf_release(&body);
    return ret;
}

int lock_release(const struct target *t)
{
    struct strbuf body = STRBUF_INIT;
    struct lock_info li;
    int ret = target_get(t, LOCK_KEY, &body, LOCK_TEXT_MAX + 1);

    if (ret == 1) {
        ret = 0;   /* already gone */
    } else if (ret == 0) {
        if (lock_parse(body.buf, body.len, &li) &&
            !strcmp(li.token, t->token))
            ret = target_delete(t, LOCK_KEY);
        else
            warnf("the lock %s%s is no longer this publish's (another "
                  "publish took it over): left alone", t->display, LOCK_KEY);
    }
    strbuf_release(&body);
    return ret;
}
