#pragma once

// `package --profile`: the profile decides the delivery's rate, depth, ceiling and default loudness target, and
// the delivered files are judged against it before anything is committed (CLI-CONTRACT "Delivery profiles").

#include "delivery/deliveryspec.h"
#include "profiles/deliveryprofile.h"
#include "util/error.h"

namespace stemship::delivery {

// What the user asked for explicitly; the profile fills in the rest.
struct ExplicitFormat {
    bool sampleRate = false;
    bool bitDepth = false;
    bool ceiling = false;
};

// Sets spec->profile and, from it, the sample rate, bit depth and ceiling, and the target of a loudness gain
// mode (lufs, or balanced measuring lufs) when none is given. A stricter ceiling (the spec's, else the
// template's) still wins. An explicit choice the profile forbids (another rate or depth, a ceiling above its
// true-peak limit) is an Error with code "usage"; choices that are not explicit give way to the profile.
Status applyProfile(DeliverySpec *spec, const profiles::DeliveryProfile &profile, ExplicitFormat given);

// Judges every delivered file (the figures of the delivered signal) against spec.profile and records each verdict
// on result->stems. An Error with code "profile_violation" naming each failing file, rule, value and limit
// when any fails; the job must then write nothing. The silence rules are the audit's: a delivered file's
// silence is its place on the timeline, not the source's.
Status judgeDelivery(DeliveryResult *result, const DeliverySpec &spec);

}  // namespace stemship::delivery
