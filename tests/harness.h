/*
 * A minimal unit-test harness: CHECK macros that record failures with
 * their line, and a runner that prints ctest-friendly totals.
 */
#ifndef PODPUB_TEST_HARNESS_H
#define PODPUB_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

extern int harness_failures;
extern int harness_checks;

void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond) do { \
        harness_checks++; \
        if (!(cond)) \
            harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
    } while (0)

#define CHECK_INT(a, b) do { \
        long long a_ = (long long)(a), b_ = (long long)(b); \
        harness_checks++; \
        if (a_ != b_) \
            harness_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #a, \
                         a_, b_); \
    } while (0)

#define CHECK_STR(a, b) do { \
        const char *a_ = (a), *b_ = (b); \
        harness_checks++; \
        if (!a_ || !b_ || strcmp(a_, b_)) \
            harness_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", \
                         #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } while (0)

struct harness_test {
    const char *name;
    void (*fn)(void);
};

#define TEST(name) { #name, name }

/*
 * Ends the process with a failure if the current test is still running
 * 'secs' seconds from now (0: no deadline), so that a call that blocks
 * (a FIFO read, a probe) fails the test instead of hanging ctest.
 */
void harness_deadline(unsigned secs);

/* Runs 'tests' (NULL-terminated by name), prints totals, returns status. */
int harness_run(const struct harness_test *tests);

#endif
