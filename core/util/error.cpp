#include "util/error.h"

namespace stemship {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None: return {};
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    case ErrorCode::Usage: return QStringLiteral("usage");
    case ErrorCode::NotFound: return QStringLiteral("not_found");
    case ErrorCode::Unreadable: return QStringLiteral("unreadable");
    case ErrorCode::Unwritable: return QStringLiteral("unwritable");
    case ErrorCode::UnsupportedFormat: return QStringLiteral("unsupported_format");
    case ErrorCode::NonFinite: return QStringLiteral("non_finite");
    case ErrorCode::CorruptSamples: return QStringLiteral("corrupt_samples");
    case ErrorCode::UnsafeArchive: return QStringLiteral("unsafe_archive");
    case ErrorCode::Hostile: return QStringLiteral("hostile");
    case ErrorCode::InvalidTemplate: return QStringLiteral("invalid_template");
    case ErrorCode::InvalidProfile: return QStringLiteral("invalid_profile");
    case ErrorCode::NullFailed: return QStringLiteral("null_failed");
    case ErrorCode::ProfileViolation: return QStringLiteral("profile_violation");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return {};
}

}  // namespace stemship
