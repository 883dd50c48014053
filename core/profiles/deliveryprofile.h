#pragma once

// A delivery spec ("stemship-profile/1", docs/profile-format.md): the limits a programme or a file must meet,
// and the per-rule verdict of measured figures against them.

#include <QList>
#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <optional>

namespace stemship::profiles {

inline constexpr auto kProfileFormat = "stemship-profile/1";

// Integrated loudness: a target with a tolerance (EBU R128: -23 +-0.5 LUFS), and/or plain bounds (Dolby Atmos
// music: no louder than -18 LKFS). The allowed band is the intersection of both.
struct IntegratedRule {
    std::optional<double> targetLufs;
    std::optional<double> toleranceLu;  // with a target: allowed deviation either way
    std::optional<double> minLufs;
    std::optional<double> maxLufs;

    double lowLufs() const;   // -inf when unbounded below
    double highLufs() const;  // +inf when unbounded above
    // What a gain stage should aim for: the target, else the upper bound, else the lower bound.
    std::optional<double> aimLufs() const;
};

struct DeliveryProfile {
    QString name;         // identifier; a bundled profile's file is NAME.json
    QString title;
    QString description;  // cites the spec the numbers come from
    std::optional<IntegratedRule> integrated;
    std::optional<double> truePeakMaxDbtp;
    std::optional<double> lraMinLu;
    std::optional<double> lraMaxLu;
    std::optional<double> shortTermMaxLufs;
    std::optional<double> momentaryMaxLufs;
    std::optional<int> sampleRateHz;
    std::optional<int> bitDepth;
    QStringList layouts;  // allowed channel layouts; empty = any
    std::optional<double> leadingSilenceMaxSeconds;
    std::optional<double> trailingSilenceMaxSeconds;
};

// The figures a profile judges; filled from a measured stem or the stem sum.
struct ProfileSubject {
    double integratedLufs = -INFINITY;
    double truePeakDbtp = -INFINITY;
    double loudnessRangeLu = 0.0;
    double maxShortTermLufs = -INFINITY;
    double maxMomentaryLufs = -INFINITY;
    int sampleRateHz = 0;
    int bitDepth = 0;        // integer PCM depth, or 32/64 for float files
    bool isFloat = false;
    QString layout;          // layoutName()
    std::optional<double> leadingSilenceSeconds;   // nullopt: not known (the silence rules are not judged)
    std::optional<double> trailingSilenceSeconds;

    // The loudness figures a profile judges, taken from anything that names them as the meter does
    // (metering::MeterResult for a received file, delivery::DeliveredStem for a delivered one).
    template <typename Levels>
    void setLoudness(const Levels &l)
    {
        integratedLufs = l.integratedLufs;
        truePeakDbtp = l.truePeakDbtp;
        loudnessRangeLu = l.loudnessRangeLu;
        maxShortTermLufs = l.maxShortTermLufs;
        maxMomentaryLufs = l.maxMomentaryLufs;
    }
};

// Which rules apply to a subject. With --sum the loudness rules judge the sum only (CLI-CONTRACT "Delivery
// profiles"); the format rules never judge the sum, which is no file.
enum class RuleScope { Everything, FileWithSum, Sum };

struct RuleVerdict {
    QString rule;                  // CLI-CONTRACT rule name: "integrated", "true_peak", ...
    std::optional<double> value;   // nullopt: minus infinity (silence) or not a number (layout)
    QString valueText;             // layout rule: the layout; others: empty
    double limitLow = -INFINITY;   // limit: [low, high]; a one-sided rule has one of them infinite
    double limitHigh = INFINITY;
    QStringList allowed;           // layout rule: the allowed layouts
    bool exact = false;            // sample_rate, bit_depth: a required value (low == high)
    QString unit;                  // "LUFS", "dBTP", "LU", "Hz", "bits", "s", ""
    bool passed = false;

    QString limitText() const;     // "[-23.5, -22.5]", "<= -1.0", "48000", "stereo, 5.1"
    QString valueDisplay() const;  // "-23.04", "-inf", "stereo"
};

struct ProfileVerdict {
    QString name;
    bool passed = true;
    QList<RuleVerdict> rules;
    QList<RuleVerdict> failures() const;
};

// Judges a subject against every rule of the profile in scope. Levels are compared as reported (rounded to
// 0.01), so a report's figures and its verdicts always agree.
ProfileVerdict evaluate(const DeliveryProfile &profile, const ProfileSubject &subject, RuleScope scope);

// "mono", "stereo", "5.1", "7.1", "7.1.4" from the channel count and WAVE_FORMAT_EXTENSIBLE mask, else "unknown".
QString layoutName(int channels, std::uint32_t channelMask);
QStringList knownLayouts();

}  // namespace stemship::profiles
