#pragma once

// Opening a received delivery as a session, the whole job: check the zip, read what it holds, extract it into a
// folder and write the chosen session files beside the WAVs. Shared by `stemship session` and the GUI.

#include "session/sessionwriter.h"
#include "templates/sessiontemplate.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace stemship::session {

struct OpenSessionRequest {
    QString zipPath;
    QString dir;                                        // created when missing
    QList<SessionFormat> formats;                       // empty: all three
    std::optional<templates::SessionTemplate> tmpl;     // none: the bundled template the stems suggest, if any
    std::optional<TempoMap> fallbackMap;                // for a zip without manifest.json
};

struct OpenedSession {
    QStringList sessionFiles;       // written, full paths
    QString templateName;           // the template that laid it out, empty for none
    bool templateSuggested = false; // chosen from the stems' names, not given
    int tracks = 0;
    qint64 buildMilliseconds = 0;   // after extraction: probing, laying out, writing the session files
};

// Error codes: "usage" (missing zip, no manifest and no tempo, a file that exists: exit 2), "unsafe_archive"
// (hostile entries: exit 1, nothing written), "cancelled", else a job failure (exit 1). Nothing the run wrote
// stays behind on an error or a cancel. progress(fraction) as the entries are extracted.
Result<OpenedSession> openAsSession(const OpenSessionRequest &request, const CancelToken *cancel,
                                    const std::function<void(double)> &progress = {});

}  // namespace stemship::session
