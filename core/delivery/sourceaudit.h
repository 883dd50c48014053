#pragma once

// Package's audit of its sources, without a second read (CLI-CONTRACT: NOTES lists the audit findings). Pass 1
// reads every stem once; each block it reads also feeds the audit's own measurement (audit::StemMeasurer, on
// the source's own samples and rate, as `stemship audit` measures them), and once pass 1 is over the audit's own
// checks run on those measurements: per stem, the set (with the template's names and thresholds) and the zips
// among the inputs. So NOTES says what `stemship audit` says for the same files, in the same words.

#include "audit/stemreport.h"
#include "delivery/collectstage.h"
#include "delivery/stemrender.h"

#include <memory>
#include <optional>
#include <vector>

namespace stemship::audit {
class StemMeasurer;
}

namespace stemship::delivery {

class SourceAudit {
public:
    SourceAudit(const DeliverySpec &spec, const std::vector<DeliveryItem> &items);
    ~SourceAudit();
    SourceAudit(const SourceAudit &) = delete;
    SourceAudit &operator=(const SourceAudit &) = delete;

    // What pass 1 feeds for item i (called from its worker only); nullptr for the reference mix, no stem of the set.
    const SourceTap *tapFor(std::size_t item) const;
    // The audit of the stems in the order of spec.sources, as `stemship audit` lists them; a stem pass 1 could
    // not read (skipped with --skip-unreadable) reports why, as the audit reports an unreadable file.
    audit::AuditReport report(const std::vector<std::optional<Error>> &errors) const;

private:
    struct Stem {
        audit::StemReport report;
        std::unique_ptr<audit::StemMeasurer> measurer;  // while pass 1 reads it
        bool measured = false;
        SourceTap tap;
    };
    const DeliverySpec &m_spec;
    const std::vector<DeliveryItem> &m_items;
    audit::AuditSettings m_settings;
    std::vector<std::unique_ptr<Stem>> m_stems;  // per item; empty for the reference
};

}  // namespace stemship::delivery
