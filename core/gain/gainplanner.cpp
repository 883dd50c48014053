#include "gain/gainplanner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace stemship::gain {
namespace {

// Below this the ceiling is not said to have "won" (rounding noise of the levels).
constexpr double kLimitEpsilonDb = 1e-9;

std::string formatDb(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

bool isSilent(const StemLevels &l, const GainRequest &r)
{
    return !std::isfinite(l.samplePeakDbfs) || l.samplePeakDbfs < r.silenceFloorDbfs;
}

std::optional<Measure> measureOf(GainMode mode)
{
    switch (mode) {
    case GainMode::Peak: return Measure::Peak;
    case GainMode::Rms: return Measure::Rms;
    case GainMode::Lufs: return Measure::Lufs;
    default: return std::nullopt;
    }
}

}  // namespace

double levelFor(const StemLevels &levels, Measure measure)
{
    switch (measure) {
    case Measure::Peak: return levels.samplePeakDbfs;
    case Measure::Rms: return levels.rmsDbfs;
    case Measure::Lufs: return levels.integratedLufs;
    }
    return -INFINITY;
}

GainPlan planGains(const std::vector<StemLevels> &levels, const GainRequest &request)
{
    GainPlan plan;
    plan.stems.resize(levels.size());
    const double ceiling = request.ceilingDbtp;

    // Headroom below the ceiling: the largest gain a stem may get (inf for silence).
    auto headroom = [&](const StemLevels &l) {
        return std::isfinite(l.truePeakDbtp) ? ceiling - l.truePeakDbtp : INFINITY;
    };

    if (request.mode == GainMode::None || request.mode == GainMode::Balanced) {
        double wanted = 0.0;
        if (request.mode == GainMode::Balanced) {
            double highest = -INFINITY;
            for (const StemLevels &l : levels)
                if (!isSilent(l, request) && std::isfinite(levelFor(l, request.measure)))
                    highest = std::max(highest, levelFor(l, request.measure));
            wanted = std::isfinite(highest) ? request.targetDb - highest : 0.0;
        }
        double common = wanted;
        for (const StemLevels &l : levels)
            if (!isSilent(l, request))
                common = std::min(common, headroom(l));
        for (std::size_t i = 0; i < levels.size(); ++i) {
            StemGain &g = plan.stems[i];
            g.silent = isSilent(levels[i], request);
            g.gainDb = common;
            // The stems whose true peak would have crossed the ceiling at the wanted gain.
            if (!g.silent && wanted > headroom(levels[i]) + kLimitEpsilonDb) {
                g.limitedByCeiling = true;
                g.note = "true peak " + formatDb(levels[i].truePeakDbtp + wanted) + " dBTP would exceed the ceiling "
                    + formatDb(ceiling) + " dBTP; common gain lowered to " + formatDb(common) + " dB";
            } else if (g.silent) {
                g.note = "silent: delivered with the common gain";
            }
        }
        plan.commonGainDb = common;
        return plan;
    }

    const Measure measure = *measureOf(request.mode);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const StemLevels &l = levels[i];
        StemGain &g = plan.stems[i];
        const double level = levelFor(l, measure);
        if (isSilent(l, request) || !std::isfinite(level)) {
            g.silent = isSilent(l, request);
            g.gainDb = 0.0;
            g.note = g.silent ? "silent: gain 0 dB" : std::string(measureName(measure)) + " not measurable (below the gate): gain 0 dB";
            continue;
        }
        const double target = i < request.stemTargetsDb.size() && request.stemTargetsDb[i] ? *request.stemTargetsDb[i]
                                                                                           : request.targetDb;
        const double wanted = target - level;
        const double allowed = headroom(l);
        if (wanted > allowed + kLimitEpsilonDb) {
            g.gainDb = allowed;
            g.limitedByCeiling = true;
            g.note = "gain lowered from " + formatDb(wanted) + " to " + formatDb(allowed) + " dB by the ceiling "
                + formatDb(ceiling) + " dBTP";
        } else {
            g.gainDb = wanted;
        }
    }
    bool allSame = !plan.stems.empty();
    for (const StemGain &g : plan.stems)
        allSame = allSame && g.gainDb == plan.stems.front().gainDb;
    if (allSame)
        plan.commonGainDb = plan.stems.front().gainDb;
    return plan;
}

const char *gainModeName(GainMode mode)
{
    switch (mode) {
    case GainMode::None: return "none";
    case GainMode::Peak: return "peak";
    case GainMode::Rms: return "rms";
    case GainMode::Lufs: return "lufs";
    case GainMode::Balanced: return "balanced";
    }
    return "none";
}

const char *measureName(Measure measure)
{
    switch (measure) {
    case Measure::Peak: return "peak";
    case Measure::Rms: return "rms";
    case Measure::Lufs: return "lufs";
    }
    return "peak";
}

std::optional<GainMode> parseGainMode(const std::string &name)
{
    for (GainMode m : {GainMode::None, GainMode::Peak, GainMode::Rms, GainMode::Lufs, GainMode::Balanced})
        if (name == gainModeName(m))
            return m;
    return std::nullopt;
}

std::optional<Measure> parseMeasure(const std::string &name)
{
    for (Measure m : {Measure::Peak, Measure::Rms, Measure::Lufs})
        if (name == measureName(m))
            return m;
    return std::nullopt;
}

}  // namespace stemship::gain
