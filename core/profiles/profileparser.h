#pragma once

// Reads and checks "stemship-profile/1" JSON (docs/profile-format.md) with located problems, through the same
// located JSON reading as templates.

#include "profiles/deliveryprofile.h"
#include "templates/templateparser.h"
#include "util/error.h"

#include <QByteArray>
#include <QList>

namespace stemship::profiles {

using ProfileProblem = templates::TemplateProblem;  // "FILE: where: what", pointer and line

struct ProfileReadResult {
    DeliveryProfile profile;         // meaningful only when problems is empty
    QList<ProfileProblem> problems;  // every mistake, by line
    bool ok() const { return problems.isEmpty(); }
};

// Parses and validates: structure, types, ranges, unknown keys, and rules that contradict each other (a target
// outside its own band, a true-peak limit above 0 dBTP, a short-term limit below the integrated band...).
ProfileReadResult readProfile(const QByteArray &json);

// Contradictions and missing rules of a model; pointers name the JSON keys.
QList<ProfileProblem> checkProfile(const DeliveryProfile &profile);

}  // namespace stemship::profiles
