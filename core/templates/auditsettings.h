#pragma once

// Thresholds and severities of the stem audit, as a template's "audit" object declares them (defaults in the README).
// Here, beside the template format, so templates need nothing from the audit, which reads templates.

#include <QHash>
#include <QString>

namespace stemship::audit {

enum class Severity { Info, Warning, Error };

QString severityName(Severity severity);                       // "info" | "warning" | "error"
bool parseSeverity(const QString &name, Severity *severity);

struct AuditSettings {
    double truePeakCeilingDbtp = -1.0;    // true_peak_over above this
    int clipRunMinSamples = 3;            // consecutive full-scale samples that count as clipping
    double dcOffsetMax = 0.001;           // |mean| above this (-60 dBFS) is dc_offset
    double silenceFloorDbfs = -80.0;      // sample peak below this: silent
    double phaseCorrelationMin = -0.3;    // Pearson correlation below this: phase_inverted
    double dualMonoMaxDifferenceDbfs = -90.0;  // max |L-R| at or below this: dual_mono
    int minBitDepth = 24;                 // integer depth below this: low_bit_depth
    double startToleranceSeconds = 0.010; // late_start / early_start beyond this from the set's median start
    double lengthToleranceSeconds = 0.010;
    QHash<QString, Severity> severityOverrides;  // issue code -> severity (template may raise or lower)
};

// Default severity of an issue code per CLI-CONTRACT, after the settings' overrides.
Severity severityFor(const QString &code, const AuditSettings &settings);

}  // namespace stemship::audit
