/*
 * The unit-test runner: each test function runs in turn; a failed CHECK
 * prints file:line and the values, and the process exits non-zero.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

int harness_failures;
int harness_checks;
static const char *current;

void harness_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: %s: ", file, line, current);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    harness_failures++;
}

static void on_deadline(int sig)
{
    static const char msg[] = ": timed out: a call blocked\n";

    (void)sig;
    if (write(STDERR_FILENO, current, strlen(current)) < 0 ||
        write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
        _exit(2);
    _exit(1);
}

void harness_deadline(unsigned secs)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_deadline;
    sigaction(SIGALRM, &sa, NULL);
    alarm(secs);
}

int harness_run(const struct harness_test *tests)
{
    int passed = 0, failed = 0;

    for (; tests->name; tests++) {
        int before = harness_failures;

        current = tests->name;
        tests->fn();
        if (harness_failures == before) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL %s\n", tests->name);
        }
    }
    printf("%d checks; %d passed, %d failed\n", harness_checks, passed,
           failed);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
