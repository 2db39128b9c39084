/*
 * strbuf: a growable, always NUL-terminated byte buffer.
 */
#ifndef PODPUB_STRBUF_H
#define PODPUB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "podpub/fileid.h"
#include "podpub/util.h"

struct strbuf {
    char *buf;       /* never NULL, always NUL-terminated */
    size_t len;      /* bytes used, excluding the NUL */
    size_t alloc;    /* 0 while 'buf' is the shared empty string */
};

extern char strbuf_empty[];
#define STRBUF_INIT { .buf = strbuf_empty }

/* Sets 'sb' to the empty state; allocates nothing. */
void strbuf_init(struct strbuf *sb);
/* Frees the contents and returns 'sb' to STRBUF_INIT. */
void strbuf_release(struct strbuf *sb);
/* Makes room for 'extra' more bytes. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Truncates to 'len' bytes (which must not exceed the current length). */
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)
/* Appends 'len' bytes of 'data'. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
/* Appends the NUL-terminated string 's'. */
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PP_PRINTF(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* Removes trailing whitespace. */
void strbuf_rtrim(struct strbuf *sb);
/*
 * Hands the buffer over to the caller (who frees it with free()) and
 * resets 'sb'. Stores the length in '*len' when 'len' is not NULL.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/*
 * Reads the whole regular file 'path' into 'sb' (appending). Refuses files
 * larger than 'limit' bytes and anything that is not a regular file (a FIFO
 * would block). Returns 0, or PP_ERR_IO / PP_ERR_INPUT after printing an
 * error that names 'path'.
 */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t limit);

/*
 * Reads what is left of the open file 'fd' into 'sb' (appending), at
 * most 'limit' bytes; 'path' names it in messages. Returns 0, or
 * PP_ERR_IO / PP_ERR_INPUT (too large) after printing an error.
 */
int strbuf_read_fd(struct strbuf *sb, int fd, const char *path, size_t limit);

/*
 * Writes all 'len' bytes of 'data' to 'fd', again after EINTR and short
 * writes: 0, or -1 with errno set.
 */
int write_all(int fd, const void *data, size_t len);

/*
 * Writes 'len' bytes of 'data' to 'path' through a temporary file in the
 * same directory and rename(), so readers see the old or the new file and
 * never a partial one. Returns 0 or PP_ERR_IO (printed).
 */
int write_file_atomic(const char *path, const void *data, size_t len);

/*
 * write_file_atomic(), unless 'path' is already a regular file (not a
 * symlink) holding exactly these 'len' bytes: then nothing is written,
 * so a rebuild that changes nothing costs a read, not a write and an
 * fsync(). Returns as write_file_atomic().
 */
int write_file_if_changed(const char *path, const void *data, size_t len);

/*
 * True when 'path' is a regular file (not a symlink) holding exactly
 * these 'len' bytes: the test write_file_if_changed() makes.
 */
bool file_holds(const char *path, const void *data, size_t len);

/*
 * outbuf: a document rendered for a file, compared with the file it will
 * replace while it is rendered. What agrees is let go and its memory
 * reused, so an unchanged feed of many megabytes is never held whole
 * (touching fresh memory costs more than rendering into it). At the
 * first difference what was let go is read back from the file, which
 * must still be the one opened (device, inode, size, modification
 * time), and the rest is kept. Renderers append to 'sb' and call
 * outbuf_flush() between pieces; the caller renders again while
 * outbuf_again() says so, then writes 'sb' unless 'same'.
 */
enum outbuf_mode {
    OUTBUF_KEEP,        /* hold the whole document in 'sb' */
    OUTBUF_COMPARE,     /* compare with the file, hold only the rest */
    OUTBUF_COUNT,       /* only its length is wanted */
};

struct outbuf {
    struct strbuf sb;   /* what has not been let go */
    size_t gone;        /* bytes before 'sb', let go */
    int fd;             /* the file, read as far as 'gone': open exactly
                           while the mode is OUTBUF_COMPARE */
    struct fileid id;   /* OUTBUF_COMPARE: the file as it was opened */
    enum outbuf_mode mode;
    bool differs;       /* it differs and what was let go is lost */
    bool same;          /* the file holds exactly the document */
};

/*
 * Starts an empty document. With OUTBUF_COMPARE, 'path' is the file it
 * will replace: when that is NULL or not a regular file (a symlink is
 * not followed) the document is kept whole from the start.
 */
void outbuf_init(struct outbuf *o, enum outbuf_mode mode, const char *path);

/*
 * Between two pieces of the document: compares and lets go of what 'sb'
 * holds once that is worth a read (OUTBUF_COMPARE), or counts and lets
 * it go (OUTBUF_COUNT). False when the document differs from the file
 * and what was let go could not be read back: the rest need not be
 * rendered now.
 */
bool outbuf_flush(struct outbuf *o);

/*
 * After the document was rendered to its end: true when it must be
 * rendered again, because it differs from the file and what was let go
 * could not be read back; 'o' then keeps everything and is empty. False
 * when 'o' is final: kept whole, counted, or found the same as the file.
 */
bool outbuf_again(struct outbuf *o);

/* The length of the whole document rendered so far. */
static inline size_t outbuf_len(const struct outbuf *o)
{
    return o->gone + o->sb.len;
}

/* Frees 'o' (a zeroed one too: it holds nothing). */
void outbuf_release(struct outbuf *o);

#endif
