/*
 * Shared declarations of the command-line front end: one cmd_<name>()
 * per command, each parsing its own options and calling the library.
 */
#ifndef PODPUB_CLI_H
#define PODPUB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

int cmd_add(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* For init and import: --ci names a CI podpub writes for (or is NULL). */
bool cli_ci_known(const char *ci);

/* For init and import: --base-url is an http(s) URL ending in '/'. */
bool cli_base_url_ok(const char *u);

struct build_result;
struct show;

/*
 * Releases what a command loaded, as its last act: build_result_release()
 * and show_release(), or, outside AddressSanitizer builds, nothing (see
 * main.c). Once per process.
 */
void cli_release(struct show *show, struct build_result *res);

/* Prints "podpub: <what>" and 'usage' to stderr; returns PP_ERR_USAGE. */
int usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reports the option getopt_long() just refused ('c' is its return value,
 * '?' or ':'), with 'usage'; returns PP_ERR_USAGE.
 */
int option_error(const char *usage, int c, char **argv);

/*
 * Parses a --at value (RFC 3339; a date or time without zone is UTC) into
 * Unix seconds. Returns 0 or -1.
 */
int parse_at(const char *arg, int64_t *t);

/*
 * Prints what a build found (the rules' findings, to stderr) and, when it
 * succeeded, what went into 'feed_name' (and 'archive_name', may be NULL)
 * and what was left out, to stdout: the output of `podpub build`.
 */
void print_build(int ret, const struct build_result *res,
                 const char *feed_name, const char *archive_name);

/* Prints 'ms' as H:MM:SS (or M:SS below an hour) to 'out'. */
void print_duration(FILE *out, long long ms);

#endif
