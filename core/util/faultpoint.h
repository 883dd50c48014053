#pragma once

// Test hook: named points on a job's way (stage boundaries) where a fault test can hold the job or make it throw,
// so a kill, a signal or a vanishing source provably lands while the job is running. Inert unless the
// environment asks for it (read once); never set in production.
//
//   STEMSHIP_FAULT=pause@STAGE  the first thread to reach STAGE creates the file $STEMSHIP_FAULT_MARKER and holds
//                               there while that file exists (at most 60 s), then goes on
//   STEMSHIP_FAULT=throw@STAGE  every thread reaching STAGE throws std::runtime_error (a failing worker)
// Several directives are separated by commas ("pause@measuring,pause@cleanup"); each pause holds once.

namespace stemship {

void faultPoint(const char *stage);

}  // namespace stemship
