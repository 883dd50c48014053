#pragma once

// The targets' documented outcomes, checked on every input (fuzzing and the corpus replays alike): a broken
// promise aborts with a line saying which, so the replay fails on a wrong answer, not only on a crash.

#include <cstdio>
#include <cstdlib>

#define FUZZ_EXPECT(condition, what)                                                  \
    do {                                                                              \
        if (!(condition)) {                                                           \
            std::fprintf(stderr, "fuzz: documented outcome broken: %s\n", what);     \
            std::abort();                                                             \
        }                                                                             \
    } while (false)
