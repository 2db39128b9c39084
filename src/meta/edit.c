/*
 * Changing one value of an episode file's front matter in place, every
 * other byte kept (comments, order, quoting, line ends): what `podpub
 * normalize` does when it points an episode at its new audio.
 */
#include <stdbool.h>
#include <string.h>

#include "podpub/meta.h"
#include "podpub/strbuf.h"

/*
 * The end of the YAML scalar starting at 's' (a plain one ends at the
 * line's end, a " #" comment or trailing blanks; a quoted one at its
 * closing quote). NULL when a quoted scalar does not close on its line.
 */
static const char *scalar_end(const char *s)
{
    const char *p;

    if (*s == '"' || *s == '\'') {
        for (p = s + 1; *p && *p != '\n'; p++) {
            /* Skip an escape: \x in "...", '' in '...'. */
            bool escape = *s == '"' ? *p == '\\' && p[1] && p[1] != '\n'
                                    : *p == '\'' && p[1] == '\'';

            if (escape)
                p++;
            else if (*p == *s)
                return p + 1;
        }
        return NULL;
    }
    for (p = s; *p && *p != '\n' && *p != '\r'; p++)
        if ((*p == ' ' || *p == '\t') && p[1] == '#')
            break;
    while (p > s && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    return p;
}

int episode_set_text(const char *path, const struct text *field,
                     const char *value)
{
    struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    const char *p, *end;
    int line = 1, ret;

    if (!field->s || field->pos.line < 1 || field->pos.col < 1)
        return errorf(PP_ERR_INPUT, "%s: no value to change", path);
    if ((ret = strbuf_read_file(&in, path, PP_META_MAX_BYTES)) < 0)
        goto out;
    for (p = in.buf; *p && line < field->pos.line; p++)
        line += *p == '\n';
    if (line != field->pos.line ||
        strnlen(p, (size_t)field->pos.col) < (size_t)field->pos.col) {
        ret = errorf(PP_ERR_INPUT, "%s changed since it was read", path);
        goto out;
    }
    p += field->pos.col - 1;
    end = scalar_end(p);
    /* A plain value must be the one read; a quoted one starts as it. */
    if (!end || (*p != '"' && *p != '\'' &&
                 ((size_t)(end - p) != strlen(field->s) ||
                  memcmp(p, field->s, (size_t)(end - p))))) {
        ret = errorf(PP_ERR_INPUT, "%s changed since it was read", path);
        goto out;
    }
    strbuf_add(&out, in.buf, (size_t)(p - in.buf));
    strbuf_addch(&out, '"');
    for (const char *v = value; *v; v++) {
        if (*v == '"' || *v == '\\')
            strbuf_addch(&out, '\\');
        strbuf_addch(&out, *v);
    }
    strbuf_addch(&out, '"');
    strbuf_addstr(&out, end);
    ret = write_file_atomic(path, out.buf, out.len);
out:
    strbuf_release(&in);
    strbuf_release(&out);
    return ret;
}
