/*
 * Paths and names podpub must not trust: the one check for a relative
 * name (a key at a publishing target, a file named by an episode), files
 * opened only when they resolve inside the folders podpub may read, and
 * temporary files no one can plant in advance.
 */
#ifndef PODPUB_PATH_H
#define PODPUB_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* The longest key podpub accepts, in bytes. */
#define PP_KEY_MAX 1024

/*
 * The one rule for a relative name read from anywhere podpub does not
 * control (a remote manifest, a lock, a URL of a live feed) and for the
 * files an episode names: 'len' bytes of 's' are a relative path of
 * segments separated by single '/', with no empty, "." or ".." segment,
 * no leading or trailing '/', no backslash, no NUL or other control
 * character (C0, DEL, C1), valid UTF-8, no percent-escape that decodes
 * to any of those or to '/', '.', '%', and at most PP_KEY_MAX bytes.
 * Returns true, or false with '*why' (when not NULL) set to a short
 * reason ("a '..' segment").
 */
bool key_valid(const char *s, size_t len, const char **why);

/*
 * The folders podpub may read files from: the show's folder and the
 * producer's media_roots, each resolved (realpath) without a final '/'.
 */
struct path_roots {
    char **dirs;
    size_t nr;
    /*
     * A folder pinned by path_roots_pin(): its name, the fd it is open
     * as, and its resolved path.
     */
    bool pinned;
    int pin_fd;
    char *pin_name, *pin_real;
};

/*
 * Adds 'dir', resolved, to 'roots'. Returns 0, or -1 with errno set
 * when it cannot be resolved or is not a folder.
 */
int path_roots_add(struct path_roots *roots, const char *dir);
void path_roots_release(struct path_roots *roots);

/*
 * Opens the folder 'dir' (relative, e.g. "episodes") once, when it
 * resolves inside 'roots': file_open_confined() then opens a name
 * directly in it ("episodes/001.md") relative to that open folder and
 * without following a symlink, so its resolved path is the folder's plus
 * the name, known without asking /proc for every file. A name that is a
 * symlink, or any other path, is resolved in full as before. Call it
 * before threads use 'roots'; path_roots_release() closes it.
 */
void path_roots_pin(struct path_roots *roots, const char *dir);

/* True when the resolved path 'real' lies inside one of 'roots'. */
bool path_inside(const struct path_roots *roots, const char *real);

enum confine {
    CONFINED = 0,       /* opened: a regular file inside the roots */
    CONFINE_ERRNO,      /* open() failed: 'err' says why */
    CONFINE_OUTSIDE,    /* resolves to 'real', outside every root */
    CONFINE_NOT_FILE,   /* not a regular file (folder, FIFO, device) */
};

struct confined_file {
    int fd;             /* -1 unless CONFINED */
    struct stat st;     /* of the open file */
    char *real;         /* the resolved path (NULL when unknown) */
    int err;            /* errno for CONFINE_ERRNO */
};

/*
 * Opens 'path' for reading and judges the file actually opened (not the
 * name, which a symlink may redirect between a check and an open): it
 * must be a regular file whose resolved path lies inside 'roots'. FIFOs
 * are opened without blocking. On CONFINED the caller owns 'cf->fd';
 * confined_close() releases what 'cf' holds in every case.
 */
enum confine file_open_confined(const char *path,
                                const struct path_roots *roots,
                                struct confined_file *cf);
void confined_close(struct confined_file *cf);

/*
 * Without opening it: true, with its status in '*st', when 'path' names
 * a regular file directly in the pinned folder (path_roots_pin()) that
 * is not a symlink, which makes it a file inside 'roots' as
 * file_open_confined() would find it. False for anything else, which
 * file_open_confined() then judges (and explains) in full.
 */
bool file_stat_pinned(const char *path, const struct path_roots *roots,
                      struct stat *st);

/*
 * Prints the standard one-line reason a file was refused (the caller's
 * prefix, e.g. "episodes/001.md:5:8: audio: "), without a final newline,
 * into a string the caller frees.
 */
char *confine_reason(enum confine c, const char *path,
                     const struct confined_file *cf);

/*
 * Writes 2 * 'n' random lower-case hex digits and a NUL to 'hex' (from
 * the kernel's random source): names no one can guess in advance.
 */
void random_hex(char *hex, size_t n);

/* A random number from the same source (retry jitter). */
uint32_t random_u32(void);

/*
 * The temporary name beside 'path' for podpub's writes:
 * "dir/.name.podpub-<16 hex>.tmp". 'token' (16 hex digits) is one
 * publish's or one write's random token. The caller frees the result.
 */
char *temp_name(const char *path, const char *token);

/* True when the last segment of 'path' has the form temp_name() gives. */
bool is_temp_name(const char *path);

/*
 * Creates the temporary file for 'path' with O_CREAT | O_EXCL |
 * O_NOFOLLOW under a fresh random name, so a file or symlink planted
 * beside it is never written through. Returns the fd and sets '*tmp' (the
 * caller frees it), or -1 with errno set.
 */
int temp_create(const char *path, char **tmp);

#endif
